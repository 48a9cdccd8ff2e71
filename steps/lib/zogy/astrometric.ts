/**
 * The astrometric-noise term of the ZOGY score variance (Zackay, Ofek & Gal-Yam 2016, eqs. 30-33):
 *   V_ast = σx² [(∂x S_N)² + (∂x S_R)²] + σy² [(∂y S_N)² + (∂y S_R)²],  S_N = kn ⊗ N, S_R = kr ⊗ R.
 * Derivatives are spectral (×2πi f), with the Nyquist bin of an even axis zeroed because its
 * derivative has no real-valued representation.
 */
import type { HalfSpectrum } from './spectrum.js';
import { irfft2 } from './spectrum.js';

/** Frame-sized buffers the term may overwrite: one half spectrum and one image. */
export interface AstrometricScratch {
  readonly spectrum: HalfSpectrum;
  readonly image: Float64Array;
}

/** Angular frequency 2πf of each of `count` bins of an axis of length n; 0 on an even Nyquist bin. */
function angularFrequencies(n: number, count: number): Float64Array {
  const omega = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const signed = i <= (n - 1) / 2 ? i : i - n;
    omega[i] = n % 2 === 0 && i === n / 2 ? 0 : (2 * Math.PI * signed) / n;
  }
  return omega;
}

/** out ← i ω Ŝ along one axis: (i w)(re + i im) = −w im + i w re. */
function derivative(source: HalfSpectrum, omega: Float64Array, axis: 'x' | 'y', out: HalfSpectrum): void {
  const hw = source.width;
  const { re, im } = source;
  for (let v = 0; v < source.height; v++) {
    const row = v * hw;
    const wy = omega[v]!;
    for (let u = 0; u < hw; u++) {
      const w = axis === 'x' ? omega[u]! : wy;
      const k = row + u;
      out.re[k] = -w * im[k]!;
      out.im[k] = w * re[k]!;
    }
  }
}

/** V += V_ast (eqs. 30-33) from the spectra Ŝ_N and Ŝ_R, which are left unchanged. */
export function addAstrometricVariance(
  V: Float64Array,
  SNhat: HalfSpectrum,
  SRhat: HalfSpectrum,
  sigmaX: number,
  sigmaY: number,
  width: number,
  height: number,
  scratch: AstrometricScratch,
): void {
  for (const [sigma, axis] of [
    [sigmaX, 'x'],
    [sigmaY, 'y'],
  ] as const) {
    if (!(sigma > 0)) continue;
    const omega = axis === 'x' ? angularFrequencies(width, SNhat.width) : angularFrequencies(height, height);
    const s2 = sigma * sigma;
    for (const source of [SNhat, SRhat]) {
      derivative(source, omega, axis, scratch.spectrum);
      const g = irfft2(scratch.spectrum, width, height, { overwriteInput: true, out: scratch.image });
      for (let i = 0; i < V.length; i++) V[i]! += s2 * g[i]! * g[i]!;
    }
  }
}
