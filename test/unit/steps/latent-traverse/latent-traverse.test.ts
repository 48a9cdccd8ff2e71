import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { latentTraverse } from '../../../../steps/latent-traverse/index.js';
import { initBackend } from '../../../../steps/lib/ml/backend.js';
import { saveModel } from '../../../../steps/lib/ml/model-io.js';
import { buildGenerator } from '../../../../steps/lib/models/gan.js';
import { Random } from '../../../../steps/lib/random.js';
import { unitVector } from '../../../../steps/lib/svm/directions.js';
import { withPython } from '../lib/solar/python.js';
import { runStep } from '../lib/solar/step-context.js';

const SCIPY = `
import sys, json, csv
import numpy as np
from scipy import stats
rows = list(csv.DictReader(open(sys.argv[1] + '/traverse.csv')))
eps = [float(r['epsilon']) for r in rows]
keys = ['tuf', 'net_flux', 'dipole_ew']
pooled = {k: float(stats.spearmanr(eps, [float(r[k]) for r in rows]).statistic) for k in keys}
def seed_mean(k):
    rhos = []
    for s in sorted({r['seed'] for r in rows}):
        sub = [r for r in rows if r['seed'] == s]
        rhos.append(stats.spearmanr([float(r['epsilon']) for r in sub], [float(r[k]) for r in sub]).statistic)
    return float(np.nanmean(rhos))
print(json.dumps({'pooled': pooled, 'seedMean': {k: seed_mean(k) for k in keys}}))
`;

describe('latent-traverse', () => {
  it('moves seed latents along a direction and reports scipy-equal Spearman ρ and a strip', async () => {
    await initBackend('auto', { log: () => {} });
    const dir = await mkdtemp(join(tmpdir(), 'traverse-'));
    const g = buildGenerator({ size: 24, seed: 4 });
    await saveModel(g, join(dir, 'generator'));
    g.dispose();
    const normal = Array.from(unitVector(new Random(1).normalArray(100)));
    await writeFile(
      join(dir, 'directions.json'),
      JSON.stringify({ latentDim: 100, parameters: { tuf: { normal } }, conditional: {} }),
    );
    const params = { generator: join(dir, 'generator'), directions: join(dir, 'directions.json') };
    const run = await runStep(latentTraverse, {
      ...params,
      direction: 'tuf',
      seeds: 3,
      steps: 5,
      epsilonRange: [-2, 2],
    });
    try {
      const summary = JSON.parse(await readFile(join(run.outDir, 'traverse.json'), 'utf8'));
      expect(summary.epsilons).toEqual([-2, -1, 0, 1, 2]);
      const ref = await withPython({}, { code: SCIPY, args: [run.outDir] }, async (_d, out) =>
        JSON.parse(out),
      );
      for (const k of ['tuf', 'net_flux', 'dipole_ew']) {
        expect(summary.spearman[k]).toBeCloseTo(ref.pooled[k], 12);
        expect(summary.spearmanSeedMean[k]).toBeCloseTo(ref.seedMean[k], 12);
      }
      const csv = (await readFile(join(run.outDir, 'traverse.csv'), 'utf8')).trim().split('\n');
      expect(csv).toHaveLength(16); // header + 3 seeds × 5 ε
      await expect(runStep(latentTraverse, { ...params, direction: 'psep' })).rejects.toThrow(
        /no direction `psep`/,
      );
    } finally {
      await run.cleanup();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
