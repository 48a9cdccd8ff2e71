/**
 * What a FITS header says about an image for the transient steps about saturation, gain,
 * PSF and WCS, with the defaults the step documents when a keyword is missing.
 */
import type { Header } from '../fits/index.js';
import type { PsfModel } from '../image/psf.js';
import { median } from '../image/statistics.js';
import type { Image } from '../image/types.js';
import { hasTanWcs, readWcs, type TanWcs } from '../wcs/index.js';

/** Saturation from SATURATE, else a plateau of ≥ 5 pixels at the image maximum, else none. */
export function saturationOf(
  image: Image,
  header: Header,
  given: number | undefined,
): { level: number; source: string } {
  if (given !== undefined) return { level: given, source: 'param' };
  const keyword = header.getNumber('SATURATE') ?? header.getNumber('SATLEVEL');
  if (keyword !== undefined) return { level: keyword, source: 'SATURATE' };
  let max = Number.NEGATIVE_INFINITY;
  for (const v of image.data) if (v > max) max = v;
  let count = 0;
  for (const v of image.data) if (v === max) count++;
  return count >= 5
    ? { level: max, source: `plateau of ${count} px at the maximum` }
    : { level: Number.POSITIVE_INFINITY, source: 'none' };
}

/** Gain from GAIN, else sky / σ² of a Poisson-limited sky (σ² = sky / g in ADU). */
export function gainOf(
  image: Image,
  header: Header,
  given: number | undefined,
): { gain: number; source: string } {
  if (given !== undefined) return { gain: given, source: 'param' };
  const keyword = header.getNumber('GAIN') ?? header.getNumber('EGAIN');
  if (keyword !== undefined && keyword > 0) return { gain: keyword, source: 'GAIN' };
  // Robust sky and σ from a sample of the image: the median and the MAD of finite values.
  const sample: number[] = [];
  const step = Math.max(1, Math.floor(image.data.length / 200_000));
  for (let i = 0; i < image.data.length; i += step)
    if (Number.isFinite(image.data[i]!)) sample.push(image.data[i]!);
  const sky = median(sample);
  const sigma = 1.4826 * median(sample.map((v) => Math.abs(v - sky)));
  const gain = sky / (sigma * sigma);
  return gain > 0 && Number.isFinite(gain)
    ? { gain, source: `estimated as sky/σ² = ${sky.toFixed(0)}/${sigma.toFixed(1)}²` }
    : { gain: Number.POSITIVE_INFINITY, source: 'unknown (source noise ignored)' };
}

/** A Moffat PSF from FWHM (and MOFFBETA) keywords, for `psf: header`. */
export function headerPsf(header: Header, beta: number): PsfModel | undefined {
  const fwhm = header.getNumber('FWHM') ?? header.getNumber('SEEING');
  if (fwhm === undefined || !(fwhm > 0)) return undefined;
  return { kind: 'moffat', fwhm, beta: header.getNumber('MOFFBETA') ?? beta };
}

/** The TAN WCS of a header, if it has one that reads cleanly. */
export function wcsOf(header: Header): TanWcs | undefined {
  if (!hasTanWcs(header)) return undefined;
  try {
    return readWcs(header);
  } catch {
    return undefined;
  }
}
