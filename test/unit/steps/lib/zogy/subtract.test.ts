import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFitsImage } from '../../../../../steps/lib/fits/index.js';
import { detectTransients } from '../../../../../steps/lib/zogy/detect.js';
import { subtract } from '../../../../../steps/lib/zogy/subtract.js';
import { simulateSky } from '../../../../../steps/simulate-sky/index.js';
import { runStep, type StepRun } from '../sim/run-step.js';

let sky: StepRun;
beforeAll(async () => {
  sky = await runStep(
    simulateSky,
    { fields: 1, size: 200, stars: 300, galaxies: 0, maxOffsetPx: 0.8 },
    { seed: 31 },
  );
});
afterAll(async () => {
  await sky.cleanup();
});

function epoch(name: string) {
  const { image, header } = readFitsImage(join(sky.outDir, name, 'field-000.fits'));
  return { image, header, saturation: header.getNumber('SATURATE')!, gain: header.getNumber('GAIN')! };
}

describe('subtract (whole-frame ZOGY)', () => {
  it('registers to the true offset, finds the flux ratio and leaves no false detections', () => {
    const ref = epoch('reference');
    const sci = epoch('science');
    const r = subtract(sci, ref);
    // The simulation's true offset and transparency ratio (header truth, not our estimate).
    expect(Math.abs(r.shiftX - sci.header.getNumber('OFFSETX')!)).toBeLessThan(0.05);
    expect(Math.abs(r.shiftY - sci.header.getNumber('OFFSETY')!)).toBeLessThan(0.05);
    const trueRatio = 10 ** (-0.4 * (ref.header.getNumber('MAGZERO')! - sci.header.getNumber('MAGZERO')!));
    expect(Math.abs(r.fluxRatio / trueRatio - 1)).toBeLessThan(0.05);
    expect(Math.abs(r.fwhmNew / sci.header.getNumber('FWHM')! - 1)).toBeLessThan(0.1);
    const detections = detectTransients(r.scoreCorr, r.score, r.scoreVariance, r.fluxZeroPointScore);
    expect(detections).toEqual([]);
  });

  it('keeps NaN pixels local: masked, never detected, not spread across the frame', () => {
    const ref = epoch('reference');
    const sci = epoch('science');
    const { width } = sci.image;
    const holed = Float64Array.from(sci.image.data);
    for (let y = 90; y < 100; y++) for (let x = 60; x < 75; x++) holed[y * width + x] = Number.NaN;
    const r = subtract({ ...sci, image: { ...sci.image, data: holed } }, ref);
    let invalid = 0;
    let farInvalid = 0;
    for (let y = 0; y < sci.image.height; y++) {
      for (let x = 0; x < width; x++) {
        const i = y * width + x;
        if (!r.invalid[i]) {
          expect(Number.isFinite(r.scoreCorr.data[i]!)).toBe(true);
          continue;
        }
        expect(r.scoreCorr.data[i]).toBeNaN();
        invalid++;
        // Away from the frame edge, invalid pixels lie within the kernels' reach of the hole.
        const edge = x < 12 || y < 12 || x >= width - 12 || y >= sci.image.height - 12;
        if (!edge && (x < 60 - 12 || x >= 75 + 12 || y < 90 - 12 || y >= 100 + 12)) farInvalid++;
      }
    }
    expect(invalid).toBeGreaterThanOrEqual(150);
    expect(farInvalid).toBe(0);
    expect(detectTransients(r.scoreCorr, r.score, r.scoreVariance, r.fluxZeroPointScore)).toEqual([]);
  });
});
