import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { initBackend } from '../../../../steps/lib/ml/backend.js';
import { saveModel } from '../../../../steps/lib/ml/model-io.js';
import { buildGenerator } from '../../../../steps/lib/models/gan.js';
import { sampleLatents } from '../../../../steps/sample-latents/index.js';
import { repoRoot, withPython } from '../lib/solar/python.js';
import { runStep } from '../lib/solar/step-context.js';

// astropy reads the outputs; the reference formulas re-measure the images.
const CHECK = `
import sys, json, importlib.util
import numpy as np
from astropy.io import fits
spec = importlib.util.spec_from_file_location('ref', sys.argv[2] + 'test/reference/solar_params.py')
ref = importlib.util.module_from_spec(spec); spec.loader.exec_module(ref)
z = fits.getdata(sys.argv[1] + '/latents.fits'); imgs = fits.getdata(sys.argv[1] + '/images.fits').astype(float)
import csv
rows = list(csv.DictReader(open(sys.argv[1] + '/parameters.csv')))
worst = max(abs(float(r['tuf']) - ref.params(imgs[i])['tuf']) for i, r in enumerate(rows))
print(json.dumps({'z': list(z.shape), 'imgs': list(imgs.shape), 'rows': len(rows), 'worst_tuf': worst,
                  'zmean': float(z.mean()), 'zstd': float(z.std()), 'inrange': bool(np.abs(imgs).max() <= 1)}))
`;

describe('sample-latents', () => {
  it('writes z ~ N(0, I), G(z) and the parameters of each image, row for row', async () => {
    await initBackend('auto', { log: () => {} });
    const dir = await mkdtemp(join(tmpdir(), 'sample-latents-'));
    const g = buildGenerator({ size: 24, seed: 3 });
    await saveModel(g, join(dir, 'generator'));
    g.dispose();
    const run = await runStep(sampleLatents, { generator: join(dir, 'generator'), count: 40, batchSize: 16 });
    try {
      const r = await withPython({}, { code: CHECK, args: [run.outDir, repoRoot] }, async (_d, out) =>
        JSON.parse(out),
      );
      expect(r.z).toEqual([40, 100]);
      expect(r.imgs).toEqual([40, 24, 24]);
      expect(r.rows).toBe(40);
      expect(r.inrange).toBe(true); // tanh output
      // float32 images; TUF is a mean of |values| ≤ 1, so float64 sums agree to ~1e-12.
      expect(r.worst_tuf).toBeLessThan(1e-9);
      // 4000 N(0,1) draws: mean within 5σ = 5/√4000 ≈ 0.08, sd within ±0.1.
      expect(Math.abs(r.zmean)).toBeLessThan(0.08);
      expect(Math.abs(r.zstd - 1)).toBeLessThan(0.1);
      expect(run.progress.at(-1)).toEqual([40, 40]);
    } finally {
      await run.cleanup();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
