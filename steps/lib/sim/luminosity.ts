/**
 * Star magnitudes from a power-law luminosity function.
 *
 * Number counts rise with magnitude as dN/dm ∝ 10^(γ m) (γ = 0.6 for a Euclidean population of
 * standard candles, ~0.3 at high galactic latitude). Equivalently dN/dF ∝ F^(−1 − 2.5 γ). Magnitudes
 * are drawn by inverting the cumulative distribution between the bright and faint limits.
 */
import type { Random } from '../random.js';

/** A power-law luminosity function in magnitudes. */
export interface LuminosityFunction {
  /** Brightest magnitude drawn. */
  readonly magBright: number;
  /** Faintest magnitude drawn. */
  readonly magFaint: number;
  /** Slope γ of log10 counts per magnitude (dN/dm ∝ 10^(γ m)). */
  readonly slopeDexPerMag: number;
}

/** One magnitude drawn from the luminosity function (inverse-CDF sampling). */
export function drawMagnitude(lf: LuminosityFunction, rng: Random): number {
  const { magBright: m0, magFaint: m1, slopeDexPerMag: gamma } = lf;
  if (!(m1 > m0)) throw new RangeError(`magFaint (${m1}) must be fainter (larger) than magBright (${m0})`);
  const u = rng.uniform();
  if (Math.abs(gamma) < 1e-12) return m0 + u * (m1 - m0);
  // CDF(m) = (10^(γm) − 10^(γm0)) / (10^(γm1) − 10^(γm0)); invert for m.
  const a = 10 ** (gamma * m0);
  const b = 10 ** (gamma * m1);
  return Math.log10(a + u * (b - a)) / gamma;
}

/** Flux in electrons of a source of magnitude `mag` for a zero point `zeroPointMag` (1 e⁻ at zp). */
export function magnitudeToFlux(mag: number, zeroPointMag: number): number {
  return 10 ** (-0.4 * (mag - zeroPointMag));
}

/** Magnitude of a flux in electrons (inverse of {@link magnitudeToFlux}). */
export function fluxToMagnitude(flux: number, zeroPointMag: number): number {
  return zeroPointMag - 2.5 * Math.log10(flux);
}
