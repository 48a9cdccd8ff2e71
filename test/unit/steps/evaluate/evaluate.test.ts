import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterEach, describe, expect, it } from 'vitest';
import { StepInputError } from '../../../../engine/index.js';
import { evaluate } from '../../../../steps/evaluate/index.js';
import { writeFits } from '../../../../steps/lib/fits/index.js';
import { readCsv } from '../../../../steps/lib/table/csv.js';
import { folder, makeContext } from '../detect/helpers.js';

const cleanup: string[] = [];
afterEach(async () => {
  for (const dir of cleanup.splice(0)) await rm(dir, { recursive: true, force: true });
});

const W = 24;
/** A W×W map with the listed [x, y] pixels set to `value`. */
function map(
  pixels: readonly [number, number][],
  value: number,
  into: Uint8Array = new Uint8Array(W * W),
): Uint8Array {
  for (const [x, y] of pixels) into[y * W + x] = value;
  return into;
}

describe('evaluate', () => {
  it('writes metrics worked out by hand, the curve, the matches and the figures', async () => {
    const { ctx: setup } = await makeContext({});
    cleanup.push(setup.outDir);
    const det = await folder(setup.outDir, 'detect');
    // The detector ran on three images; field c has neither candidates nor truth.
    await writeFile(
      join(det, 'detection.json'),
      JSON.stringify({
        detector: 'unet',
        threshold: 0.25,
        backend: 'cpu',
        fields: ['a', 'b', 'c'],
        msPerImage: 12.5,
        imageShape: [W, W],
        segmentation: 'segmentation',
      }),
    );
    await writeFile(
      join(det, 'candidates.csv'),
      'field,x,y,score,area,label\na,5,6,0.9,3,1\na,15,5,0.8,1,2\nb,20,20,0.3,1,1\n',
    );
    const seg = await folder(det, 'segmentation');
    const segA = new Int32Array(W * W);
    for (const [x, y, l] of [
      [5, 5, 1],
      [5, 6, 1],
      [5, 7, 1],
      [15, 5, 2],
    ] as const)
      segA[y * W + x] = l;
    writeFits(join(seg, 'a.fits'), [{ data: { axes: [W, W], data: segA } }]);
    writeFits(join(seg, 'b.fits'), [{ data: { axes: [W, W], data: map([[20, 20]], 1) } }]);
    writeFits(join(seg, 'c.fits'), [{ data: { axes: [W, W], data: new Uint8Array(W * W) } }]);
    // Truth: a supernova at (5,5) with a 3×3 mask, a cosmic ray at (15,5) on x = 14..16; in b a
    // faint supernova (S/N 8) at (5,5). A row for field z (not evaluated) must be ignored.
    await writeFile(
      join(setup.outDir, 'truth.csv'),
      'x,y,field,kind,real,flux,snr\n5,5,a,supernova,1,100,20\n15,5,a,cosmic_ray,0,50,30\n5,5,b,supernova,1,30,8\n1,1,z,supernova,1,9,50\n',
    );
    const masks = await folder(setup.outDir, 'masks');
    const square: [number, number][] = [];
    for (let y = 4; y <= 6; y++) for (let x = 4; x <= 6; x++) square.push([x, y]);
    const maskA = map(
      [
        [14, 5],
        [15, 5],
        [16, 5],
      ],
      2,
      map(square, 1),
    );
    writeFits(join(masks, 'a.fits'), [{ data: { axes: [W, W], data: maskA } }]);
    writeFits(join(masks, 'b.fits'), [{ data: { axes: [W, W], data: map([[5, 5]], 1) } }]);

    const { ctx } = await makeContext({
      candidates: join(det, 'candidates.csv'),
      truth: join(setup.outDir, 'truth.csv'),
      masks,
      radius: 3,
      snrMin: 10,
      targetRecall: 0.9,
      calibrationBins: 10,
    });
    cleanup.push(ctx.outDir);
    const out = await evaluate.run(ctx);
    const m = JSON.parse(await readFile(join(ctx.outDir, out.metrics), 'utf8'));
    expect(m.detector).toEqual({
      name: 'unet',
      threshold: 0.25,
      backend: 'cpu',
      msPerImage: 12.5,
      imageShape: [W, W],
    });
    expect(m.nImages).toBe(3);
    // All real: TP = a's supernova; FP = the cosmic-ray candidate and b's stray one; FN = b's supernova.
    expect(m.all).toMatchObject({ truePositives: 1, falsePositives: 2, falseNegatives: 1, precision: 1 / 3 });
    expect(m.all.recall).toBe(0.5);
    expect(m.all.falsePositivesPerImage).toBe(2 / 3);
    // Curve: 0.9 TP (P 1, R ½), 0.8 FP, 0.3 FP -> AP = ½ · 1. Recall 0.9 is never reached.
    expect(m.all.averagePrecision).toBe(0.5);
    expect(m.all.atTargetRecall).toEqual({
      targetRecall: 0.9,
      threshold: null,
      recall: null,
      precision: null,
      falsePositivesPerImage: null,
    });
    expect(m.all.artifacts).toEqual({
      n: 1,
      reported: 1,
      rejectionRate: 0,
      byKind: { cosmic_ray: { n: 1, reported: 1, rejectionRate: 0 } },
    });
    // Bright (S/N ≥ 10): b's supernova is "don't care": recall 1 at threshold 0.9 with 0 FP.
    expect(m.bright).toMatchObject({ snrMin: 10, truePositives: 1, falseNegatives: 0, recall: 1 });
    expect(m.bright.atTargetRecall).toMatchObject({ threshold: 0.9, falsePositivesPerImage: 0 });
    // IoU: detection {(5,5),(5,6),(5,7)} vs the 3×3 square: 2 / (3 + 9 − 2) = 0.2.
    expect(m.iou).toEqual({ mean: 0.2, n: 1, nWithoutFootprint: 0 });
    // ECE: 0.9 TP in bin 9, 0.8 FP in bin 8, 0.3 FP in bin 3: (0.1 + 0.8 + 0.3) / 3 = 0.4.
    expect(m.calibration.expectedCalibrationError).toBeCloseTo(0.4, 15);
    expect(m.calibration.bins).toHaveLength(10);

    const pr = await readCsv(join(ctx.outDir, out.prCurve));
    expect(pr.rows.map((r) => [r.subset, r.threshold, r.true_positives, r.false_positives])).toEqual([
      ['all', '0.9', '1', '0'],
      ['all', '0.8', '1', '1'],
      ['all', '0.3', '1', '2'],
      ['bright', '0.9', '1', '0'],
      ['bright', '0.8', '1', '1'],
      ['bright', '0.3', '1', '2'],
    ]);
    const matches = await readCsv(join(ctx.outDir, out.matches));
    expect(matches.rows.map((r) => [r.match, r.truth_kind, r.distance])).toEqual([
      ['real', 'supernova', '1'],
      ['artifact', 'cosmic_ray', '0'],
      ['none', '', 'nan'],
    ]);
    for (const png of [out.prCurvePlot, out.reliability]) {
      const image = PNG.sync.read(await readFile(join(ctx.outDir, png)));
      expect([image.width, image.height]).toEqual([320, 320]);
    }
  });

  it('says which file and column is wrong in a truth catalog', async () => {
    const { ctx: setup } = await makeContext({});
    cleanup.push(setup.outDir);
    await writeFile(join(setup.outDir, 'c.csv'), 'field,x,y,score\n');
    await writeFile(join(setup.outDir, 't.csv'), 'x,y,field,kind,real\n1,2,a,supernova,yes\n');
    const { ctx } = await makeContext({
      candidates: join(setup.outDir, 'c.csv'),
      truth: join(setup.outDir, 't.csv'),
      radius: 3,
      snrMin: 10,
      targetRecall: 0.9,
      calibrationBins: 10,
    });
    cleanup.push(ctx.outDir);
    const error = await evaluate.run(ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StepInputError);
    expect((error as Error).message.replace(setup.outDir, '<dir>')).toBe(
      'cannot read the truth catalog: <dir>/t.csv: row 2, column `real`: expected 1/0 or true/false, got `yes`',
    );
  });
});
