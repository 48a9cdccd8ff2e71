import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from '../../../../steps/inject/index.js';
import { parseCsv } from '../../../../steps/lib/table/csv.js';
import { simulateSky } from '../../../../steps/simulate-sky/index.js';
import { fitsverify, python, runStep, type StepRun } from '../lib/sim/run-step.js';

const runs: StepRun[] = [];
let sky: StepRun;
afterAll(async () => {
  for (const r of runs) await r.cleanup();
});
beforeAll(async () => {
  sky = await runStep(simulateSky, { fields: 2, size: 128, stars: 120, galaxies: 2 }, { seed: 3 });
  runs.push(sky);
});

/** numpy: the injected flux around each point source, and the mask label near each object. */
const CHECK = `
import sys, json, csv, numpy as np
from astropy.io import fits
sky, inj = sys.argv[1], sys.argv[2]
out = []
rows = list(csv.DictReader(open(inj + '/truth.csv')))
for t in rows:
    f = t['field']
    before = fits.getdata(f"{sky}/science/{f}.fits").astype(float)
    after = fits.getdata(f"{inj}/images/{f}.fits").astype(float)
    mask = fits.getdata(f"{inj}/masks/{f}.fits")
    x, y = float(t['x']), float(t['y']); xi, yi = int(round(x)), int(round(y))
    box = (slice(max(yi - 12, 0), yi + 13), slice(max(xi - 12, 0), xi + 13))
    near = mask[max(yi - 2, 0):yi + 3, max(xi - 2, 0):xi + 3]
    isolated = all(u is t or u['field'] != f or max(abs(float(u['x']) - x), abs(float(u['y']) - y)) > 16 for u in rows)
    isolated = isolated and 12 <= xi < before.shape[1] - 12 and 12 <= yi < before.shape[0] - 12
    out.append({'kind': t['kind'], 'real': int(t['real']), 'flux': float(t['flux']), 'added': float((after - before)[box].sum()), 'isolated': isolated,
                'labels': sorted(set(int(v) for v in near.ravel()))})
print(json.dumps(out))
`;

describe('inject', () => {
  it('adds each object with its truth row and mask label, and writes valid FITS', async () => {
    const run = await runStep(
      inject,
      { images: join(sky.outDir, 'science'), catalog: join(sky.outDir, 'catalog.csv') },
      { seed: 4 },
    );
    runs.push(run);
    for (const set of ['images', 'masks']) {
      const files = readdirSync(join(run.outDir, set)).sort();
      expect(files).toEqual(['field-000.fits', 'field-001.fits']);
      for (const f of files) expect(fitsverify(join(run.outDir, set, f)).report).toMatch(/verification OK/);
    }
    const truth = parseCsv(readFileSync(join(run.outDir, 'truth.csv'), 'utf8'));
    expect(truth.columns).toEqual(['x', 'y', 'field', 'kind', 'real', 'flux', 'snr']);
    const kinds = truth.rows.filter((r) => r.field === 'field-000').map((r) => r.kind);
    // Defaults: 3 supernovae, 1 variable, 1 mover, 2 cosmic rays, 2 hot pixels, 1 dipole.
    expect(kinds.sort()).toEqual([
      'cosmic_ray',
      'cosmic_ray',
      'dipole',
      'hot_pixel',
      'hot_pixel',
      'moving',
      'supernova',
      'supernova',
      'supernova',
      'variable',
    ]);
    let isolated = 0;
    const checks = python<
      { kind: string; real: number; flux: number; added: number; labels: number[]; isolated: boolean }[]
    >(CHECK, [sky.outDir, run.outDir]);
    for (const c of checks) {
      // The object's own label is next to it: 1 for real transients, 2 for artifacts.
      expect(c.labels, c.kind).toContain(c.real === 1 ? 1 : 2);
      if (!c.isolated) continue;
      isolated++;
      if (c.kind === 'supernova' || c.kind === 'variable' || c.kind === 'hot_pixel') {
        // The added light of an isolated object equals the truth flux: within 5σ of the photon
        // noise added with it (√(|F|/gain), gain 1.6) plus the ≤ 1% of a Moffat beyond the box.
        expect(Math.abs(c.added - c.flux), c.kind).toBeLessThan(
          5 * Math.sqrt(Math.abs(c.flux) / 1.6) + 0.01 * Math.abs(c.flux),
        );
      }
      if (c.kind === 'dipole')
        expect(Math.abs(c.added)).toBeLessThan(0.05 * c.flux + 5 * Math.sqrt(c.flux / 1.6));
    }
    expect(isolated).toBeGreaterThanOrEqual(5);
  });

  it('is deterministic by seed', async () => {
    const params = { images: join(sky.outDir, 'science'), catalog: join(sky.outDir, 'catalog.csv') };
    const a = await runStep(inject, params, { seed: 8 });
    const b = await runStep(inject, params, { seed: 8 });
    runs.push(a, b);
    expect(readFileSync(join(a.outDir, 'truth.csv'), 'utf8')).toBe(
      readFileSync(join(b.outDir, 'truth.csv'), 'utf8'),
    );
    expect(
      readFileSync(join(a.outDir, 'images', 'field-001.fits')).equals(
        readFileSync(join(b.outDir, 'images', 'field-001.fits')),
      ),
    ).toBe(true);
  });
});
