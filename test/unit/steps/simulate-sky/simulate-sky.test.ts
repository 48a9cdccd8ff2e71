import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { simulateSky } from '../../../../steps/simulate-sky/index.js';
import { fitsverify, python, runStep, type StepRun } from '../lib/sim/run-step.js';

const runs: StepRun[] = [];
afterAll(async () => {
  for (const r of runs) await r.cleanup();
});

/** astropy/numpy checks of one field: sky noise, star photometry, WCS and the header. */
const CHECK = `
import sys, json, csv, numpy as np
from astropy.io import fits
from astropy.wcs import WCS
from astropy.stats import sigma_clipped_stats
out = {}
rows = [r for r in csv.DictReader(open(sys.argv[2])) if r['field'] == 'field-000']
for epoch in ['reference', 'science']:
    h = fits.open(f"{sys.argv[1]}/{epoch}/field-000.fits")[0]
    d = h.data.astype(float)
    mean, med, std = sigma_clipped_stats(d, sigma=3)
    # Aperture photometry (r = 4 FWHM) of isolated bright stars against the catalog flux.
    fw = h.header['FWHM']; r = 4 * fw
    yy, xx = np.mgrid[0:d.shape[0], 0:d.shape[1]]
    key = 'x' if epoch == 'reference' else 'x_sci'
    stars = [s for s in rows if s['kind'] == 'star']
    ratios = []
    for s in stars:
        x, y, f = float(s[key]), float(s['y' if epoch == 'reference' else 'y_sci']), float(s['flux_ref' if epoch == 'reference' else 'flux_sci'])
        if f < 5000 or x < r + 2 or y < r + 2 or x > d.shape[1] - r - 3 or y > d.shape[0] - r - 3: continue
        near = [t for t in rows if t is not s and abs(float(t[key]) - x) < 1.5 * r and abs(float(t['y' if epoch == 'reference' else 'y_sci']) - y) < 1.5 * r and float(t['flux_ref']) > 0.03 * f]
        if near or d[int(y) - 3:int(y) + 4, int(x) - 3:int(x) + 4].max() >= h.header['SATURATE']: continue
        ap = (xx - x) ** 2 + (yy - y) ** 2 <= r * r
        ratios.append(((d[ap] - h.header['SKYLEVEL']).sum()) / f)
    w = WCS(h.header)
    ra, dec = w.pixel_to_world_values(float(rows[0][key]), float(rows[0]['y' if epoch == 'reference' else 'y_sci']))
    out[epoch] = {'sky': med, 'sky_true': h.header['SKYLEVEL'], 'std': std, 'std_true': h.header['SKYSIG'],
                  'flux_ratio_median': float(np.median(ratios)), 'n_stars': len(ratios), 'ra': float(ra), 'dec': float(dec),
                  'bunit': h.header['BUNIT'], 'step': h.header['ASTSTEP'], 'ctype': h.header['CTYPE1']}
print(json.dumps(out).replace("NaN", "null"))
`;

describe('simulate-sky', () => {
  it('writes paired image sets with a catalog that photometry and the WCS confirm', async () => {
    const run = await runStep(
      simulateSky,
      { fields: 2, size: 192, stars: 40, magFaint: 19, galaxies: 0 },
      { seed: 5 },
    );
    runs.push(run);
    expect(run.outputs).toEqual({ reference: 'reference', science: 'science', catalog: 'catalog.csv' });
    for (const epoch of ['reference', 'science']) {
      const files = readdirSync(join(run.outDir, epoch)).sort();
      expect(files).toEqual(['field-000.fits', 'field-001.fits']);
      for (const f of files) expect(fitsverify(join(run.outDir, epoch, f)).report).toMatch(/verification OK/);
    }
    const r = python<Record<string, Record<string, number | string>>>(CHECK, [
      run.outDir,
      join(run.outDir, 'catalog.csv'),
    ]);
    for (const epoch of ['reference', 'science']) {
      const e = r[epoch]!;
      // The sky noise is what the header says (Poisson + read noise), to the 3% a 160² frame allows.
      expect(Math.abs((e.std as number) / (e.std_true as number) - 1)).toBeLessThan(0.05);
      expect(Math.abs((e.sky as number) - (e.sky_true as number))).toBeLessThan(0.2 * (e.std_true as number));
      // Aperture photometry (4 FWHM: ≥ 98% of a β = 3.5 Moffat; true sky) recovers catalog fluxes.
      expect(e.n_stars as number).toBeGreaterThanOrEqual(3);
      expect(e.flux_ratio_median as number).toBeGreaterThan(0.97);
      expect(e.flux_ratio_median as number).toBeLessThan(1.02);
      expect(e.bunit).toBe('adu');
      expect(e.step).toBe('simulate-sky');
      expect(e.ctype).toBe('RA---TAN');
    }
    // Both epochs' WCS put the first catalogued star at the same sky position (the offset is in CRPIX).
    expect(Math.abs((r.reference!.ra as number) - (r.science!.ra as number)) * 3600).toBeLessThan(0.01);
    expect(Math.abs((r.reference!.dec as number) - (r.science!.dec as number)) * 3600).toBeLessThan(0.01);
  });

  it('is deterministic by seed', async () => {
    const a = await runStep(simulateSky, { fields: 1, size: 64, stars: 30 }, { seed: 9 });
    const b = await runStep(simulateSky, { fields: 1, size: 64, stars: 30 }, { seed: 9 });
    const c = await runStep(simulateSky, { fields: 1, size: 64, stars: 30 }, { seed: 10 });
    runs.push(a, b, c);
    const bytes = (r: StepRun) => readFileSync(join(r.outDir, 'science', 'field-000.fits'));
    expect(bytes(a).equals(bytes(b))).toBe(true);
    expect(bytes(a).equals(bytes(c))).toBe(false);
    expect(readFileSync(join(a.outDir, 'catalog.csv'), 'utf8')).toBe(
      readFileSync(join(b.outDir, 'catalog.csv'), 'utf8'),
    );
  });
});
