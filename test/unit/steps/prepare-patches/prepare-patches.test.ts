import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { preparePatches } from '../../../../steps/prepare-patches/index.js';
import { simulateActiveRegions } from '../../../../steps/simulate-active-regions/index.js';
import { withPython } from '../lib/solar/python.js';
import { runStep } from '../lib/solar/step-context.js';

// numpy version of the paper's preparation for a 2× shrink: clip ±1000 G, /1000, NaN→0, 2×2 means.
const CHECK = `
import sys, glob, json
import numpy as np
from astropy.io import fits
src = sorted(glob.glob(sys.argv[1] + '/*.fits'))
with fits.open(sys.argv[2], checksum=True) as h:
    cube = h[0].data.astype(float); hdr = h[0].header
worst = 0.0
for k, f in enumerate(src):
    d = np.nan_to_num(np.clip(fits.getdata(f).astype(float), -1000, 1000) / 1000)
    m = d.reshape(d.shape[0] // 2, 2, d.shape[1] // 2, 2).mean(axis=(1, 3))
    worst = max(worst, float(np.abs(m - cube[k]).max()))
print(json.dumps({'shape': list(cube.shape), 'bunit': hdr['BUNIT'], 'pix': hdr.get('PIXSIZMM'), 'worst': worst,
                  'min': float(cube.min()), 'max': float(cube.max())}))
`;

describe('prepare-patches', () => {
  it('clips, scales to kG and area-averages as numpy does, writing a cube astropy reads', async () => {
    const sim = await runStep(simulateActiveRegions, { count: 6, size: 32, pixelSizeMm: 1.5 }, { seed: 9 });
    const run = await runStep(preparePatches, { images: join(sim.outDir, 'regions'), size: 16 });
    try {
      const r = await withPython(
        {},
        { code: CHECK, args: [join(sim.outDir, 'regions'), join(run.outDir, 'patches.fits')] },
        async (_d, out) =>
          JSON.parse(out) as {
            shape: number[];
            bunit: string;
            pix: number;
            worst: number;
            min: number;
            max: number;
          },
      );
      expect(r.shape).toEqual([6, 16, 16]);
      expect(r.bunit).toBe('kG');
      expect(r.pix).toBeCloseTo(3, 6); // 1.5 Mm pixels, 2× coarser
      // float32 storage: |error| ≤ 2^-24 relative to values ≤ 1.
      expect(r.worst).toBeLessThan(1e-7);
      expect(r.min).toBeGreaterThanOrEqual(-1);
      expect(r.max).toBeLessThanOrEqual(1);
    } finally {
      await sim.cleanup();
      await run.cleanup();
    }
  });
});
