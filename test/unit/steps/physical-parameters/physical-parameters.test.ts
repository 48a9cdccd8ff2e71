import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../../steps/lib/table/csv.js';
import { physicalParametersStep } from '../../../../steps/physical-parameters/index.js';
import { simulateActiveRegions } from '../../../../steps/simulate-active-regions/index.js';
import { repoRoot, withPython } from '../lib/solar/python.js';
import { runStep } from '../lib/solar/step-context.js';

// astropy reads the same files; the reference formulas run on field / 1000 G clipped to ±1.
const REFERENCE = `
import sys, glob, json, importlib.util
import numpy as np
from astropy.io import fits
spec = importlib.util.spec_from_file_location('ref', sys.argv[2] + 'test/reference/solar_params.py')
ref = importlib.util.module_from_spec(spec); spec.loader.exec_module(ref)
out = []
for f in sorted(glob.glob(sys.argv[1] + '/*.fits')):
    d = fits.getdata(f).astype(float)
    out.append(ref.params(np.clip(d / 1000, -1, 1)))
print(json.dumps(out))
`;

describe('physical-parameters', () => {
  it('measures a folder of simulated regions as the numpy/scipy reference does, with physical units', async () => {
    const sim = await runStep(simulateActiveRegions, { count: 8, size: 32, pixelSizeMm: 2.9 }, { seed: 5 });
    const regions = join(sim.outDir, 'regions');
    const run = await runStep(physicalParametersStep, { images: regions });
    try {
      const table = parseCsv(await readFile(join(run.outDir, 'parameters.csv'), 'utf8'));
      expect(table.columns).toEqual([
        'patch',
        'tuf',
        'psep',
        'r',
        'tilt',
        'flux_pos',
        'flux_neg',
        'area',
        'net_flux',
        'dipole_ew',
        'flag',
        'tuf_g',
        'unsigned_flux_mx',
        'psep_mm',
        'r_mx',
      ]);
      const ref = await withPython(
        {},
        { code: REFERENCE, args: [regions, repoRoot] },
        async (_d, out) => JSON.parse(out) as Record<string, number>[],
      );
      expect(table.rows).toHaveLength(8);
      table.rows.forEach((row, i) => {
        const r = ref[i] as Record<string, number>;
        for (const name of ['tuf', 'psep', 'r', 'tilt', 'net_flux', 'dipole_ew']) {
          // float32 files read by both sides; differences are float64 summation order (~1e-15).
          expect(Number(row[name])).toBeCloseTo(r[name] as number, 9);
        }
        expect(Number(row.flag)).toBe(r.flag);
        expect(Number(row.tuf_g)).toBeCloseTo(1000 * (r.tuf as number), 6);
      });
    } finally {
      await sim.cleanup();
      await run.cleanup();
    }
  });

  it('says which file is at fault when the input is not FITS', async () => {
    await expect(runStep(physicalParametersStep, { images: join(repoRoot, 'package.json') })).rejects.toThrow(
      /package\.json/,
    );
  });
});
