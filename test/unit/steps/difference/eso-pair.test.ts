/**
 * `difference` on the real ESO 085-030 pair (1024×682, 60 s, one minute apart: no astrophysical
 * transient). Every |S_corr| > 5 detection must be accounted for by the raw pixels, classified
 * here independently of our code (numpy on the raw frames):
 *   - cosmic ray: in the epoch the sign points to (positive: new 005, negative: reference 004) the
 *     peak pixel exceeds twice the mean of its 4 neighbours (a PSF of FWHM ≈ 2.7 px gives ≈ 1.5);
 *   - hot pixel: such a sharp pixel at the same place in both epochs;
 *   - anything else is a residual of a star: the test fails.
 * Saturated pixels (65535) must be masked (MASK = 1, S_corr NaN) and never detected. Then point
 * sources are injected into the second epoch at S/N 8-12 (against the noise of both epochs, the
 * noise of a difference) and ≥ 90% must be recovered at S_corr > 5 with unbiased fluxes.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { difference } from '../../../../steps/difference/index.js';
import { readFitsImage, writeFits } from '../../../../steps/lib/fits/index.js';
import { sigmaClippedStats } from '../../../../steps/lib/image/statistics.js';
import { Random } from '../../../../steps/lib/random.js';
import { stampRenderer } from '../../../../steps/lib/sim/psf-render.js';
import { parseCsv } from '../../../../steps/lib/table/csv.js';
import { prepareImage } from '../../../../steps/lib/zogy/prepare.js';
import { estimatePsf } from '../../../../steps/lib/zogy/psf-estimate.js';
import { python, runStep, type StepRun } from '../lib/sim/run-step.js';

const data = (name: string) =>
  fileURLToPath(new URL(`../../../../../shared/data/eso085-030/${name}`, import.meta.url));
const REF = data('aligned_eso085-030-004.fit');
const NEW = data('aligned_eso085-030-005.fit');
const runs: StepRun[] = [];
afterAll(async () => {
  for (const r of runs) await r.cleanup();
});

const CLASSIFY = `
import sys, json, csv, numpy as np
from astropy.io import fits
ref = fits.getdata(sys.argv[1]).astype(float); new = fits.getdata(sys.argv[2]).astype(float)
ref -= np.median(ref); new -= np.median(new)
def sharp(im, x, y):
    xi, yi = int(round(x)), int(round(y))
    box = im[yi-2:yi+3, xi-2:xi+3]
    j, i = np.unravel_index(np.argmax(box), box.shape); py, px = yi-2+j, xi-2+i
    n4 = (im[py-1,px] + im[py+1,px] + im[py,px-1] + im[py,px+1]) / 4
    return bool(im[py,px] > 400 and im[py,px] > 2 * max(n4, 1)), (px, py)
out = []
for row in csv.DictReader(open(sys.argv[3])):
    x, y, s = float(row['x']), float(row['y']), float(row['scorr'])
    own, other = (new, ref) if s > 0 else (ref, new)
    sharp_own, p = sharp(own, x, y); sharp_other, q = sharp(other, x, y)
    kind = 'hot_pixel' if sharp_own and sharp_other and abs(p[0]-q[0]) <= 1 and abs(p[1]-q[1]) <= 1 else 'cosmic_ray' if sharp_own else 'star_residual'
    out.append({'x': x, 'y': y, 'scorr': s, 'kind': kind, 'epoch': 'new' if s > 0 else 'reference'})
d = fits.open(sys.argv[4])
mask = d['MASK'].data.astype(bool); scorr = d['SCORR'].data.astype(float)
sat = (fits.getdata(sys.argv[1]) >= 65535) | (fits.getdata(sys.argv[2]) >= 65535)
valid = np.isfinite(scorr)
print(json.dumps({'detections': out, 'saturated': int(sat.sum()), 'saturated_unmasked': int((sat & ~mask).sum()),
  'saturated_finite_scorr': int((sat & valid).sum()), 'mask_finite_scorr': int((mask & valid).sum()),
  'scorr_mean': float(scorr[valid].mean()), 'scorr_std': float(scorr[valid].std()), 'valid_fraction': float(valid.mean()),
  'extnames': [h.name for h in d], 'keys': {k: d[0].header.get(k) for k in ['ZOGY_FD','ZOGY_FRATIO','ZOGY_SIGN','ZOGY_SIGR']}}))
`;

interface Classified {
  detections: { x: number; y: number; scorr: number; kind: string; epoch: string }[];
  saturated: number;
  saturated_unmasked: number;
  saturated_finite_scorr: number;
  mask_finite_scorr: number;
  scorr_mean: number;
  scorr_std: number;
  valid_fraction: number;
  extnames: string[];
  keys: Record<string, number>;
}

describe('difference on the real ESO 085-030 pair', () => {
  it('accounts for every S_corr > 5 detection and masks saturated pixels', async () => {
    const run = await runStep(difference, { reference: REF, science: NEW });
    runs.push(run);
    const diffFile = join(run.outDir, 'difference', 'aligned_eso085-030-005.fits');
    const result = python<Classified>(CLASSIFY, [REF, NEW, join(run.outDir, 'detections.csv'), diffFile]);
    const counts: Record<string, number> = {};
    for (const d of result.detections)
      counts[`${d.kind} (${d.epoch})`] = (counts[`${d.kind} (${d.epoch})`] ?? 0) + 1;
    console.log(
      `ESO pair: ${result.detections.length} detections by class ${JSON.stringify(counts)}; S_corr mean ${result.scorr_mean.toFixed(3)} std ${result.scorr_std.toFixed(3)}, valid ${(100 * result.valid_fraction).toFixed(1)}%; ${result.saturated} saturated px`,
    );
    expect(result.detections.filter((d) => d.kind === 'star_residual')).toEqual([]);
    expect(result.saturated).toBeGreaterThan(0);
    expect(result.saturated_unmasked).toBe(0);
    expect(result.saturated_finite_scorr).toBe(0);
    expect(result.mask_finite_scorr).toBe(0);
    expect(Math.abs(result.scorr_mean)).toBeLessThan(0.1);
    expect(Math.abs(result.scorr_std - 1)).toBeLessThan(0.05);
    expect(result.extnames).toEqual(['PRIMARY', 'DIFF', 'SCORR', 'PSF_D', 'MASK']);
    for (const k of ['ZOGY_FD', 'ZOGY_FRATIO', 'ZOGY_SIGN', 'ZOGY_SIGR'])
      expect(result.keys[k], k).toBeGreaterThan(0);
  });

  it('recovers ≥ 90% of point sources injected into the second epoch at S/N 8-12, fluxes unbiased', async () => {
    const raw = readFitsImage(NEW).image;
    const refRaw = readFitsImage(REF).image;
    const prepared = prepareImage(raw, { saturation: 65535 });
    const sigmaNew = sigmaClippedStats(raw.data).std;
    const sigmaRef = sigmaClippedStats(refRaw.data).std;
    const psf = estimatePsf(prepared.image, { sigma: prepared.sigma }).stamp;
    let sumP2 = 0;
    for (const v of psf.data) sumP2 += v * v;
    const render = stampRenderer(psf);
    const rng = new Random(2024);
    const injected = Float64Array.from(raw.data);
    const sources: { x: number; y: number; flux: number; snr: number }[] = [];
    const quiet = (x: number, y: number) => {
      for (let dy = -8; dy <= 8; dy++) {
        for (let dx = -8; dx <= 8; dx++) {
          const i = (Math.round(y) + dy) * raw.width + Math.round(x) + dx;
          if (Math.abs(raw.data[i]! - 8256) > 5 * sigmaNew || Math.abs(refRaw.data[i]! - 8138) > 5 * sigmaRef)
            return false;
        }
      }
      return sources.every((s) => Math.hypot(s.x - x, s.y - y) > 20);
    };
    for (let attempt = 0; attempt < 5000 && sources.length < 60; attempt++) {
      const x = rng.uniformIn(30, raw.width - 30);
      const y = rng.uniformIn(30, raw.height - 30);
      if (!quiet(x, y)) continue;
      // S/N of PSF photometry against the noise of both epochs: F √ΣP² / √(σn² + σr²).
      const snr = rng.uniformIn(8, 12);
      const flux = (snr * Math.sqrt(sigmaNew ** 2 + sigmaRef ** 2)) / Math.sqrt(sumP2);
      sources.push({ x, y, flux, snr });
      const layer = { width: raw.width, height: raw.height, data: new Float64Array(raw.data.length) };
      render(layer, x, y, flux);
      // Photon noise of the source at the gain the sky implies (≈ 1.65 e⁻/ADU).
      for (let i = 0; i < layer.data.length; i++) {
        const v = layer.data[i]!;
        if (v !== 0) injected[i]! += v + Math.sqrt(Math.max(v, 0) / 1.65) * rng.normal();
      }
    }
    expect(sources.length).toBeGreaterThanOrEqual(50);
    const dir = mkdtempSync(join(tmpdir(), 'eso-injected-'));
    const newPath = join(dir, 'aligned_eso085-030-005.fits');
    writeFits(newPath, [
      {
        data: { width: raw.width, height: raw.height, data: injected },
        bitpix: -32,
        cards: [{ keyword: 'SATURATE', value: 65535 }],
      },
    ]);
    const run = await runStep(difference, { reference: REF, science: newPath });
    runs.push(run);
    const table = parseCsv(readFileSync(join(run.outDir, 'detections.csv'), 'utf8'));
    const dets = table.rows.map((r) => ({
      x: Number(r.x),
      y: Number(r.y),
      scorr: Number(r.scorr),
      flux: Number(r.flux),
      err: Number(r.flux_err),
    }));
    const pulls: number[] = [];
    const ratios: number[] = [];
    let recovered = 0;
    for (const s of sources) {
      const d = dets.find((d) => d.scorr > 5 && Math.hypot(d.x - s.x, d.y - s.y) < 1.5);
      if (d === undefined) continue;
      recovered++;
      pulls.push((d.flux - s.flux) / d.err);
      ratios.push(d.flux / s.flux);
    }
    const meanPull = pulls.reduce((a, b) => a + b, 0) / pulls.length;
    const stdPull = Math.sqrt(pulls.reduce((a, b) => a + (b - meanPull) ** 2, 0) / pulls.length);
    const meanRatio = ratios.reduce((a, b) => a + b, 0) / ratios.length;
    console.log(
      `ESO injection: recovered ${recovered}/${sources.length} at S_corr > 5 (S/N 8-12 vs both epochs' noise); flux pull mean ${meanPull.toFixed(2)} std ${stdPull.toFixed(2)}, mean flux ratio ${meanRatio.toFixed(3)}; other detections ${dets.length - recovered}`,
    );
    expect(recovered / sources.length).toBeGreaterThanOrEqual(0.9);
    // Unbiased within errors: the mean pull is within 3 standard errors of 0 (recovery at a
    // threshold favours upward fluctuations slightly, which this margin allows).
    expect(Math.abs(meanPull)).toBeLessThan(3 * (stdPull / Math.sqrt(pulls.length)) + 0.25);
  });
});
