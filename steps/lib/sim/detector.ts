/**
 * A CCD's response to an expected signal: photon (Poisson) noise on the signal in electrons, read
 * noise, conversion to ADU by the gain, and saturation at the full-well / ADC limit.
 */
import type { Image } from '../image/types.js';
import type { Random } from '../random.js';

/** Detector characteristics. */
export interface Detector {
  /** Gain in e⁻ per ADU. */
  readonly gainEPerAdu: number;
  /** Read noise in e⁻ (rms). */
  readonly readNoiseE: number;
  /** Saturation level in ADU: pixels above it are clipped to it. */
  readonly saturationAdu: number;
}

/**
 * Turn an expected signal (electrons per pixel, sky included) into a noisy image in ADU.
 * Poisson deviates come from `rng.poisson` (exact below 30 e⁻, normal approximation above, where it
 * is accurate to well under the read noise).
 */
export function expose(expectedE: Image, detector: Detector, rng: Random): Image {
  const { gainEPerAdu: gain, readNoiseE, saturationAdu } = detector;
  const data = new Float64Array(expectedE.data.length);
  for (let i = 0; i < data.length; i++) {
    const lambda = Math.max(expectedE.data[i]!, 0);
    const electrons = rng.poisson(lambda) + readNoiseE * rng.normal();
    data[i] = Math.min(electrons / gain, saturationAdu);
  }
  return { width: expectedE.width, height: expectedE.height, data };
}

/** Background noise σ in ADU of a flat sky of `skyAdu` (photon + read noise). */
export function skyNoiseAdu(skyAdu: number, detector: Detector): number {
  const g = detector.gainEPerAdu;
  return Math.sqrt(skyAdu * g + detector.readNoiseE ** 2) / g;
}
