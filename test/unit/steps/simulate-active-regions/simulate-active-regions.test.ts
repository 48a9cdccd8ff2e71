import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { simulateActiveRegions } from '../../../../steps/simulate-active-regions/index.js';
import { withPython } from '../lib/solar/python.js';
import { runStep } from '../lib/solar/step-context.js';

describe('simulate-active-regions', () => {
  it('writes FITS files astropy reads (B_r in G, CEA scale) and a truth table, deterministic by seed', async () => {
    const first = await runStep(
      simulateActiveRegions,
      { count: 12, size: 32, pixelSizeMm: 2.9 },
      { seed: 3 },
    );
    const again = await runStep(
      simulateActiveRegions,
      { count: 12, size: 32, pixelSizeMm: 2.9 },
      { seed: 3 },
    );
    try {
      expect(first.outputs).toEqual({ regions: 'regions', truth: 'truth.csv' });
      const truth = await readFile(join(first.outDir, 'truth.csv'), 'utf8');
      expect(truth.trim().split('\n')).toHaveLength(13);
      expect(await readFile(join(again.outDir, 'truth.csv'), 'utf8')).toBe(truth);
      const a = await readFile(join(first.outDir, 'regions', 'ar-00004.fits'));
      expect(a.equals(await readFile(join(again.outDir, 'regions', 'ar-00004.fits')))).toBe(true);
      const info = await withPython(
        {},
        {
          code: `import sys, json, glob, numpy as np
from astropy.io import fits
files = sorted(glob.glob(sys.argv[1] + '/regions/*.fits'))
out = []
for f in files:
    with fits.open(f, checksum=True) as h:
        d = h[0].data.astype(float)
        out.append({'bunit': h[0].header['BUNIT'], 'shape': list(d.shape), 'mean_abs': float(np.abs(d).mean()),
                    'cdelt': h[0].header['CDELT1'], 'step': h[0].header['ASTSTEP']})
print(json.dumps(out))`,
          args: [first.outDir],
        },
        async (_d, out) =>
          JSON.parse(out) as {
            bunit: string;
            shape: number[];
            mean_abs: number;
            cdelt: number;
            step: string;
          }[],
      );
      expect(info).toHaveLength(12);
      for (const f of info) {
        expect(f).toMatchObject({ bunit: 'G', shape: [32, 32], step: 'simulate-active-regions' });
        // 2.9 Mm per pixel is 2.9 / 12.14 Mm per degree.
        expect(f.cdelt).toBeCloseTo(2.9 / ((2 * Math.PI * 695.7) / 360), 10);
      }
      // Both weak and strong regions: mean |B| spreads over more than a factor of 3.
      const peaks = info.map((f) => f.mean_abs).sort((x, y) => x - y);
      expect((peaks.at(-1) as number) / (peaks[0] as number)).toBeGreaterThan(3);
    } finally {
      await first.cleanup();
      await again.cleanup();
    }
  });
});
