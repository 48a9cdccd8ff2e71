/**
 * Per-image preparation for ZOGY: bad-pixel masks (NaN, saturated), background subtraction with a
 * mesh background, and the background noise σ.
 */
import { backgroundMap } from '../image/background.js';
import { binaryDilation } from '../image/morphology.js';
import { median } from '../image/statistics.js';
import type { Image } from '../image/types.js';

/** A background-subtracted image with NaN at masked pixels, its noise and its raw mask. */
export interface PreparedImage {
  /** Background-subtracted; NaN where `mask` is set. */
  readonly image: Image;
  /** 1 where the pixel is unusable (non-finite or saturated, grown by `growPx`). */
  readonly mask: Uint8Array;
  /** Background noise σ (median of the mesh rms), same units as the image. */
  readonly sigma: number;
  /** Pixels masked before growing (non-finite or ≥ saturation). */
  readonly badPixels: number;
}

export interface PrepareOptions {
  /** Pixels at or above this are saturated. @default Infinity */
  readonly saturation?: number;
  /** Grow the mask by this many pixels (square). @default 2 */
  readonly growPx?: number;
  /** Background mesh box, pixels. @default 64 */
  readonly backgroundBox?: number;
}

/** Mask, background-subtract and measure the noise of one image. */
export function prepareImage(raw: Image, options: PrepareOptions = {}): PreparedImage {
  const { width, height } = raw;
  const saturation = options.saturation ?? Number.POSITIVE_INFINITY;
  const bad = new Uint8Array(width * height);
  let badPixels = 0;
  for (let i = 0; i < bad.length; i++) {
    const v = raw.data[i]!;
    if (!Number.isFinite(v) || v >= saturation) {
      bad[i] = 1;
      badPixels++;
    }
  }
  const grow = options.growPx ?? 2;
  const mask = grow > 0 && badPixels > 0 ? binaryDilation(bad, width, height, 2 * grow + 1) : bad;
  const masked = new Float64Array(raw.data.length);
  for (let i = 0; i < masked.length; i++) masked[i] = mask[i] ? Number.NaN : raw.data[i]!;
  const box = Math.max(8, Math.min(options.backgroundBox ?? 64, Math.floor(Math.min(width, height) / 2)));
  const bkg = backgroundMap({ width, height, data: masked }, { boxSize: box });
  const data = new Float64Array(masked.length);
  for (let i = 0; i < data.length; i++) data[i] = masked[i]! - bkg.background.data[i]!;
  return { image: { width, height, data }, mask, sigma: median(bkg.meshRms.data), badPixels };
}
