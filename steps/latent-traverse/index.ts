/**
 * latent-traverse: move seed latents along a direction, z₀ + ε n̂ over an ε grid, generate the
 * images and measure them — the paper's Figure 5. Outputs a strip per seed (PNG), every physical
 * parameter of every image (CSV), and, pooled over the seeds, the Spearman correlation of ε with
 * each parameter and its least-squares change per unit ε, plus the mean over seeds of each seed's
 * own Spearman ρ (JSON).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { defineStep, StepInputError } from '../../engine/index.js';
import type { BackendPreference } from '../lib/ml/backend.js';
import { Random } from '../lib/random.js';
import { writePng } from '../lib/render/png.js';
import { patchGrid } from '../lib/solar/figures.js';
import { PARAMETER_NAMES, stackParameters } from '../lib/solar/physics.js';
import { olsSlope } from '../lib/stats/slope.js';
import { spearman } from '../lib/stats/spearman.js';
import type { DirectionsFile } from '../lib/svm/directions-file.js';
import { type CsvRow, writeCsv } from '../lib/table/csv.js';
import { latentTraverseParams } from './params.js';

/** Signed and unsigned quantities whose trend along ε is summarised (flag is excluded). */
const TRENDS = PARAMETER_NAMES.filter((name) => name !== 'flag');

export const latentTraverse = defineStep({
  name: 'latent-traverse',
  version: '2',
  description:
    'Shift latents along a (conditional) direction over an ε grid; images, parameters, Spearman ρ.',
  params: latentTraverseParams,
  outputs: {
    strip: 'PNG: one row per seed latent, one column per ε (grey, ±0.5 kG), like the paper’s Figure 5.',
    traverse: 'CSV: seed,epsilon and every physical parameter of each generated image.',
    summary: 'JSON: the direction, the ε grid, pooled Spearman ρ(ε, parameter) and change per unit ε.',
  },
  resources: { gpu: 1 },
  async run(ctx) {
    const p = ctx.params;
    const doc = JSON.parse(await readFile(p.directions, 'utf8')) as DirectionsFile;
    const direction = doc.parameters[p.direction]?.normal ?? doc.conditional[p.direction]?.direction;
    if (direction === undefined) {
      const known = [...Object.keys(doc.parameters), ...Object.keys(doc.conditional)];
      throw new StepInputError(`no direction \`${p.direction}\` in ${p.directions}`, {
        file: p.directions,
        hint: `Known directions: ${known.join(', ')}`,
      });
    }
    const { initBackend } = await import('../lib/ml/backend.js');
    const { loadModel } = await import('../lib/ml/model-io.js');
    const { generateImages } = await import('../lib/solar/generate.js');
    const backend = await initBackend((p.backend ?? 'auto') as BackendPreference, { log: ctx.log.info });
    ctx.reportBackend?.(`${backend.name}, ${backend.threads} thread(s)`);
    const generator = await loadModel(p.generator);
    const d = direction.length;
    const seeds = p.seeds ?? 10;
    const steps = p.steps ?? 13;
    const [lo, hi] = (p.epsilonRange ?? [-3, 3]) as [number, number];
    const epsilons = Array.from({ length: steps }, (_, k) => lo + ((hi - lo) * k) / (steps - 1));
    const z0 = new Random(ctx.seed).normalArray(seeds * d);
    const z = new Float64Array(seeds * steps * d);
    for (let s = 0; s < seeds; s++) {
      for (const [k, eps] of epsilons.entries()) {
        const row = (s * steps + k) * d;
        for (let j = 0; j < d; j++) z[row + j] = (z0[s * d + j] as number) + eps * (direction[j] as number);
      }
    }
    const total = seeds * steps;
    const stack = generateImages(generator, z, total, d, {
      onBatch: (done) => {
        ctx.signal.throwIfAborted();
        ctx.progress(done, total);
      },
    });
    generator.dispose();
    const params = stackParameters(stack.data, stack.size, stack.size);
    const rows: CsvRow[] = params.map((q, i) => ({
      seed: Math.floor(i / steps),
      epsilon: epsilons[i % steps] as number,
      ...q,
    }));
    await writeCsv(join(ctx.outDir, 'traverse.csv'), ['seed', 'epsilon', ...PARAMETER_NAMES], rows);
    const eps = rows.map((r) => r.epsilon as number);
    const spearmanRho: Record<string, number> = {};
    const spearmanSeedMean: Record<string, number | null> = {};
    const perUnitEpsilon: Record<string, number> = {};
    for (const name of TRENDS) {
      const values = params.map((q) => q[name]);
      spearmanRho[name] = spearman(eps, values);
      perUnitEpsilon[name] = olsSlope(eps, values);
      // Within each seed's row only (the pooled ρ also counts the spread between seeds against
      // the trend); seeds whose parameter is constant along ε have no ρ and are skipped.
      const perSeed = Array.from({ length: seeds }, (_, s) =>
        spearman(epsilons, values.slice(s * steps, (s + 1) * steps)),
      ).filter((rho) => Number.isFinite(rho));
      spearmanSeedMean[name] =
        perSeed.length > 0 ? perSeed.reduce((a, b) => a + b, 0) / perSeed.length : null;
    }
    const summary = {
      direction: p.direction,
      seeds,
      epsilons,
      spearman: spearmanRho,
      spearmanSeedMean,
      perUnitEpsilon,
    };
    await writeFile(join(ctx.outDir, 'traverse.json'), `${JSON.stringify(summary, null, 2)}\n`);
    writePng(
      join(ctx.outDir, 'strip.png'),
      patchGrid(stack.data, stack.size, [...Array(total).keys()], {
        columns: steps,
        scale: stack.size < 96 ? 2 : 1,
      }),
    );
    ctx.log.info(
      `${p.direction}: Spearman ρ(ε, ·) ${TRENDS.map((n) => `${n} ${(spearmanRho[n] ?? Number.NaN).toFixed(2)}`).join(', ')}`,
    );
    return { strip: 'strip.png', traverse: 'traverse.csv', summary: 'traverse.json' };
  },
});
