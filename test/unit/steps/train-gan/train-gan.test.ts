import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../../steps/lib/table/csv.js';
import { preparePatches } from '../../../../steps/prepare-patches/index.js';
import { simulateActiveRegions } from '../../../../steps/simulate-active-regions/index.js';
import { trainGan } from '../../../../steps/train-gan/index.js';
import { withPython } from '../lib/solar/python.js';
import { runStep } from '../lib/solar/step-context.js';

describe('train-gan', () => {
  // The native CPU backend when built (~0.1 s per step here), else tfjs's pure-JS one (far slower).
  it('trains a tiny GAN, logs every epoch, keeps the selected generator and a sample grid', {
    timeout: 240_000,
  }, async () => {
    const sim = await runStep(simulateActiveRegions, { count: 40, size: 24, pixelSizeMm: 3.8 }, { seed: 2 });
    const prep = await runStep(preparePatches, { images: join(sim.outDir, 'regions'), size: 24 });
    const run = await runStep(trainGan, {
      patches: join(prep.outDir, 'patches.fits'),
      epochs: 2,
      batchSize: 8,
      evalSamples: 16,
      holdout: 8,
      select: 'paper',
      backend: 'auto',
    });
    try {
      const losses = parseCsv(await readFile(join(run.outDir, 'losses.csv'), 'utf8'));
      expect(losses.rows.map((r) => r.epoch)).toEqual(['1', '2']);
      for (const row of losses.rows) {
        const acc = Number(row.d_accuracy);
        expect(acc >= 0 && acc <= 1).toBe(true);
        expect(Number(row.ks_max)).toBeGreaterThanOrEqual(Number(row.ks_tuf));
        expect(Number.isFinite(Number(row.g_loss))).toBe(true);
      }
      const selection = JSON.parse(await readFile(join(run.outDir, 'selection.json'), 'utf8'));
      // The paper's rule picks the lowest D accuracy among the first half (epoch 1 of 2).
      expect(selection.rule).toBe('paper');
      expect(selection.epoch).toBe(1);
      expect(await readdir(join(run.outDir, 'generator'))).toContain('model.json');
      // Only candidates survive: at most the physics best, the paper best and the last epoch.
      expect((await readdir(join(run.outDir, 'checkpoints'))).length).toBeLessThanOrEqual(3);
      const png = await withPython(
        {},
        {
          code: 'import sys, zlib, struct; d=open(sys.argv[1],"rb").read(); print(d[:8]==b"\\x89PNG\\r\\n\\x1a\\n", *struct.unpack(">II", d[16:24]))',
          args: [join(run.outDir, 'samples.png')],
        },
        async (_d, out) => out.trim(),
      );
      // 10 tiles of 24 px with 2 px gaps around and between: 10·24 + 11·2 = 262.
      expect(png).toBe('True 262 262');
      expect(run.progress.at(-1)).toEqual([8, 8]); // 32 training patches / 8 = 4 batches × 2 epochs
    } finally {
      await Promise.all([sim.cleanup(), prep.cleanup(), run.cleanup()]);
    }
  });
  it('with every stabiliser on (the quick profile options) trains reproducibly: same seed, same losses', {
    timeout: 240_000,
  }, async () => {
    const sim = await runStep(simulateActiveRegions, { count: 40, size: 24, pixelSizeMm: 3.8 }, { seed: 3 });
    const prep = await runStep(preparePatches, { images: join(sim.outDir, 'regions'), size: 24 });
    const params = {
      patches: join(prep.outDir, 'patches.fits'),
      epochs: 2,
      batchSize: 8,
      evalSamples: 16,
      holdout: 8,
      augment: 'hemisphere',
      instanceNoise: 0.1,
      instanceNoiseFraction: 0.6,
      realLabel: 0.9,
      adamBeta1: 0.5,
      discriminatorLearningRate: 1e-3,
      emaDecay: 0.9,
      minibatchStd: true,
      learningRateDecayFraction: 0.5,
      backend: 'auto',
    } as const;
    const runs = [await runStep(trainGan, params), await runStep(trainGan, params)];
    try {
      const [a, b] = await Promise.all(runs.map((r) => readFile(join(r.outDir, 'losses.csv'), 'utf8')));
      expect(parseCsv(a ?? '').rows).toHaveLength(2);
      // Instance noise and augmentation draw from the step's seed, so a rerun is identical.
      expect(b).toBe(a);
      expect(await readdir(join(runs[0]?.outDir ?? '', 'generator'))).toContain('model.json');
    } finally {
      await Promise.all([sim.cleanup(), prep.cleanup(), ...runs.map((r) => r.cleanup())]);
    }
  });
});
