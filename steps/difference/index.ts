/**
 * difference: ZOGY proper image subtraction (Zackay, Ofek & Gal-Yam 2016) of paired image sets.
 *
 * For each field: masks of NaN and saturated pixels, mesh background and noise, registration
 * (WCS offset when both images have one, refined by cross-correlation and matched stars), a PSF
 * per epoch from its stars (per tile when the tile has ≥ 5), the flux ratio from matched stars,
 * the astrometric noise from their offsets, ZOGY on overlapping padded tiles, and detections of
 * S_corr peaks. Pixels that masked data could reach are NaN in the outputs (MASK = 1).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { defineStep, StepInputError } from '../../engine/index.js';
import { FitsError, readFitsImage } from '../lib/fits/index.js';
import { fftBackend } from '../lib/image/fft.js';
import { gainOf, headerPsf, saturationOf, wcsOf } from '../lib/imageset/header-info.js';
import { ImageSetError, pairFields } from '../lib/imageset/image-set.js';
import { type CsvRow, writeCsv } from '../lib/table/csv.js';
import { pixelToSky, skyToPixel } from '../lib/wcs/index.js';
import { detectTransients } from '../lib/zogy/detect.js';
import { type Epoch, SubtractError, subtract } from '../lib/zogy/subtract.js';
import { writeDifference } from './output.js';
import { differenceParams } from './params.js';

/** Columns of the `detections` catalog. */
export const DETECTION_COLUMNS = [
  'field',
  'x',
  'y',
  'scorr',
  'flux',
  'flux_err',
  'area',
  'ra',
  'dec',
] as const;

export const difference = defineStep({
  name: 'difference',
  version: '1',
  description: 'ZOGY difference images (D, S_corr, P_D) and S_corr detections of paired image sets.',
  params: differenceParams,
  outputs: {
    difference:
      'Image set: <field>.fits with extensions DIFF (D/F_D, science ADU), SCORR, PSF_D, MASK (1 = invalid).',
    detections: 'CSV: field,x,y,scorr,flux,flux_err,area,ra,dec of |S_corr| peaks above the threshold.',
  },
  resources: { cpu: 1 },
  async run(ctx) {
    const p = ctx.params;
    let pairs: ReturnType<typeof pairFields>;
    try {
      pairs = pairFields(p.reference, p.science);
    } catch (error) {
      if (error instanceof ImageSetError)
        throw new StepInputError(error.message, { file: error.path, cause: error });
      throw error;
    }
    await mkdir(join(ctx.outDir, 'difference'), { recursive: true });
    // Native and TypeScript FFTs agree to ~1e-15 but not bit for bit: provenance says which ran.
    ctx.reportBackend?.(`FFT: ${fftBackend()}`);
    const rows: CsvRow[] = [];
    for (const [index, pair] of pairs.entries()) {
      ctx.signal.throwIfAborted();
      const read = (path: string) => {
        try {
          const frame = readFitsImage(path);
          // An image with (almost) no finite pixels cannot be background-fitted or registered;
          // say so here, with the file, rather than deep inside the background estimator.
          if (countFinite(frame.image.data) < MIN_FINITE_PIXELS) {
            throw new StepInputError(
              `field \`${pair.field}\`: the image has ${countFinite(frame.image.data)} finite pixels (all NaN or blank); nothing to subtract`,
              {
                file: path,
                hint: 'Check the file in DS9 or `asterism fits info`; drop the field or replace the file',
              },
            );
          }
          return frame;
        } catch (error) {
          if (error instanceof FitsError) {
            throw new StepInputError(`field \`${pair.field}\`: ${error.message}`, {
              file: path,
              cause: error,
            });
          }
          throw error;
        }
      };
      const ref = read(pair.reference);
      const sci = read(pair.science);
      const epoch = (f: typeof ref, fwhm: number | undefined, which: string): Epoch => {
        const saturation = saturationOf(f.image, f.header, p.saturation);
        const gain = gainOf(f.image, f.header, p.gain);
        ctx.log.debug(
          `${pair.field} ${which}: saturation ${saturation.level} (${saturation.source}), gain ${gain.gain.toFixed(3)} (${gain.source})`,
        );
        const psf =
          fwhm !== undefined
            ? { kind: 'moffat' as const, fwhm, beta: p.moffatBeta }
            : p.psf === 'header'
              ? headerPsf(f.header, p.moffatBeta)
              : undefined;
        if (p.psf === 'header' && psf === undefined) {
          throw new StepInputError(
            `field \`${pair.field}\`: the ${which} header has no FWHM keyword for \`psf: header\``,
            {
              file: which === 'reference' ? pair.reference : pair.science,
              hint: 'Use `psf: stars`, or give `fwhmRef` and `fwhmSci`',
            },
          );
        }
        const fallback =
          p.psf === 'auto' && fwhm === undefined ? headerPsf(f.header, p.moffatBeta) : undefined;
        return {
          image: f.image,
          saturation: saturation.level,
          gain: gain.gain,
          ...(psf === undefined ? {} : { psf }),
          ...(fallback === undefined ? {} : { fallbackPsf: fallback }),
        };
      };
      const wcsRef = wcsOf(ref.header);
      const wcsSci = wcsOf(sci.header);
      let initialShift: { dx: number; dy: number } | undefined;
      if (
        (p.registration === 'auto' || p.registration === 'wcs') &&
        wcsRef !== undefined &&
        wcsSci !== undefined
      ) {
        // Where the reference's centre lands in the science image.
        const c = { x: (ref.image.width - 1) / 2, y: (ref.image.height - 1) / 2 };
        const q = skyToPixel(wcsSci, pixelToSky(wcsRef, c));
        initialShift = { dx: q.x - c.x, dy: q.y - c.y };
      } else if (p.registration === 'wcs') {
        throw new StepInputError(
          `field \`${pair.field}\`: \`registration: wcs\` needs a TAN WCS in both images`,
          {
            file: wcsRef === undefined ? pair.reference : pair.science,
            hint: 'Use `registration: auto` or `xcorr`',
          },
        );
      }
      let result: ReturnType<typeof subtract>;
      try {
        result = subtract(epoch(sci, p.fwhmSci, 'science'), epoch(ref, p.fwhmRef, 'reference'), {
          ...(initialShift === undefined ? {} : { initialShift }),
          crossCorrelate: p.registration === 'auto' || p.registration === 'xcorr',
          refineOnStars: p.registration === 'auto' || p.registration === 'xcorr',
          shiftSearchPx: initialShift === undefined ? 20 : 3,
          tileSize: p.tileSize,
          maskGrowPx: p.maskGrow,
          ...(p.astrometricNoise === undefined ? {} : { astrometricNoisePx: p.astrometricNoise }),
        });
      } catch (error) {
        if (error instanceof SubtractError) {
          throw new StepInputError(`field \`${pair.field}\`: ${error.message}`, {
            file: pair.science,
            hint: 'Give `fwhmRef`/`fwhmSci` (or `psf: header`) when the images have too few stars',
            cause: error,
          });
        }
        throw error;
      }
      const detections = detectTransients(
        result.scoreCorr,
        result.score,
        result.scoreVariance,
        result.fluxZeroPointScore,
        {
          threshold: p.threshold,
          sign: p.sign,
        },
      );
      for (const d of detections) {
        const sky = wcsSci === undefined ? undefined : pixelToSky(wcsSci, { x: d.x, y: d.y });
        rows.push({
          field: pair.field,
          x: d.x,
          y: d.y,
          scorr: d.scorr,
          flux: d.flux,
          flux_err: d.fluxErr,
          area: d.area,
          ra: sky?.ra ?? Number.NaN,
          dec: sky?.dec ?? Number.NaN,
        });
      }
      writeDifference(
        join(ctx.outDir, 'difference', `${pair.field}.fits`),
        result,
        sci.header,
        ctx.provenance,
      );
      ctx.log.info(
        `${pair.field}: shift (${result.shiftX.toFixed(3)}, ${result.shiftY.toFixed(3)}) px, ` +
          `FWHM ${result.fwhmRef.toFixed(2)} → ${result.fwhmNew.toFixed(2)} px, Fr/Fn ${result.fluxRatio.toFixed(4)}, ` +
          `${result.matchedStars} stars, ${detections.length} detection(s)`,
      );
      ctx.progress(index + 1, pairs.length);
    }
    await writeCsv(join(ctx.outDir, 'detections.csv'), DETECTION_COLUMNS, rows);
    return { difference: 'difference', detections: 'detections.csv' };
  },
});

/** Fewer finite pixels than this and a frame cannot be background-fitted or registered. */
const MIN_FINITE_PIXELS = 64;

function countFinite(data: Float64Array): number {
  let n = 0;
  for (let i = 0; i < data.length; i++) if (Number.isFinite(data[i])) n++;
  return n;
}
