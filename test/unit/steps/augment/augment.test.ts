import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { augment } from '../../../../steps/augment/index.js';
import { inject } from '../../../../steps/inject/index.js';
import { parseCsv } from '../../../../steps/lib/table/csv.js';
import { simulateSky } from '../../../../steps/simulate-sky/index.js';
import { fitsverify, python, runStep, type StepRun } from '../lib/sim/run-step.js';

const runs: StepRun[] = [];
let injected: StepRun;
afterAll(async () => {
  for (const r of runs) await r.cleanup();
});
beforeAll(async () => {
  const sky = await runStep(simulateSky, { fields: 1, size: 128, stars: 100, galaxies: 1 }, { seed: 12 });
  injected = await runStep(
    inject,
    { images: join(sky.outDir, 'science'), catalog: join(sky.outDir, 'catalog.csv') },
    { seed: 13 },
  );
  runs.push(sky, injected);
});

/** numpy: pixel and mask at each stamp truth position against the source at its source position. */
const CHECK = `
import sys, json, csv, numpy as np
from astropy.io import fits
src, aug = sys.argv[1], sys.argv[2]
out = []
for t in csv.DictReader(open(aug + '/truth.csv')):
    s = fits.getdata(f"{src}/images/{t['source_field']}.fits"); m = fits.getdata(f"{src}/masks/{t['source_field']}.fits")
    st = fits.getdata(f"{aug}/images/{t['field']}.fits"); sm = fits.getdata(f"{aug}/masks/{t['field']}.fits")
    x, y, sx, sy = (int(round(float(t[k]))) for k in ('x', 'y', 'source_x', 'source_y'))
    if not (0 <= x < st.shape[1] and 0 <= y < st.shape[0]): continue
    out.append({'pixel': float(st[y, x]), 'source_pixel': float(s[sy, sx]), 'mask': int(sm[y, x]), 'source_mask': int(m[sy, sx]),
                'transform': t['transform']})
print(json.dumps(out))
`;

describe('augment', () => {
  it('moves pixels, masks and truth positions through the same flips and quarter turns', async () => {
    const run = await runStep(augment, {
      images: join(injected.outDir, 'images'),
      masks: join(injected.outDir, 'masks'),
      truth: join(injected.outDir, 'truth.csv'),
      stampSize: 32,
      backgroundPerField: 3,
    });
    runs.push(run);
    const truthIn = parseCsv(readFileSync(join(injected.outDir, 'truth.csv'), 'utf8'));
    const stamps = readdirSync(join(run.outDir, 'images'));
    expect(stamps.length).toBe(truthIn.rows.length + 3);
    expect(readdirSync(join(run.outDir, 'masks')).length).toBe(stamps.length);
    for (const f of stamps.slice(0, 4)) {
      expect(fitsverify(join(run.outDir, 'images', f)).report).toMatch(/verification OK/);
      expect(fitsverify(join(run.outDir, 'masks', f)).report).toMatch(/verification OK/);
    }
    const checks = python<
      { pixel: number; source_pixel: number; mask: number; source_mask: number; transform: string }[]
    >(CHECK, [injected.outDir, run.outDir]);
    expect(checks.length).toBeGreaterThanOrEqual(truthIn.rows.length);
    // Several orientations were drawn, and each leaves pixels and labels exactly where the truth says.
    expect(new Set(checks.map((c) => c.transform.split(';').slice(0, 2).join(';'))).size).toBeGreaterThan(2);
    for (const c of checks) {
      expect(c.pixel).toBe(c.source_pixel);
      expect(c.mask).toBe(c.source_mask);
    }
  });

  it('keeps labels on their objects under small rotations, and raises the noise as asked', async () => {
    const run = await runStep(augment, {
      images: join(injected.outDir, 'images'),
      masks: join(injected.outDir, 'masks'),
      truth: join(injected.outDir, 'truth.csv'),
      stampSize: 32,
      backgroundPerField: 0,
      maxRotationDeg: 20,
      noiseFactor: [2, 2],
    });
    runs.push(run);
    const checks = python<{ mask: number; source_mask: number }[]>(CHECK, [injected.outDir, run.outDir]);
    const agree = checks.filter((c) => c.mask === c.source_mask).length;
    // Nearest-neighbour masks can lose an edge pixel under rotation, never the object.
    expect(agree / checks.length).toBeGreaterThan(0.9);
    const truth = parseCsv(readFileSync(join(run.outDir, 'truth.csv'), 'utf8'));
    const before = parseCsv(readFileSync(join(injected.outDir, 'truth.csv'), 'utf8'));
    const snrIn = new Map(before.rows.map((r) => [`${r.x},${r.y}`, Number(r.snr)]));
    for (const r of truth.rows)
      expect(Number(r.snr)).toBeCloseTo(snrIn.get(`${r.source_x},${r.source_y}`)! / 2, 9);
  });

  it('is deterministic by seed', async () => {
    const params = {
      images: join(injected.outDir, 'images'),
      truth: join(injected.outDir, 'truth.csv'),
      stampSize: 16,
      maxRotationDeg: 5,
    };
    const a = await runStep(augment, params, { seed: 21 });
    const b = await runStep(augment, params, { seed: 21 });
    runs.push(a, b);
    expect(readFileSync(join(a.outDir, 'truth.csv'), 'utf8')).toBe(
      readFileSync(join(b.outDir, 'truth.csv'), 'utf8'),
    );
    const f = readdirSync(join(a.outDir, 'images'))[0]!;
    expect(readFileSync(join(a.outDir, 'images', f)).equals(readFileSync(join(b.outDir, 'images', f)))).toBe(
      true,
    );
  });
});
