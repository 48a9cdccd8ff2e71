/**
 * The frequency-by-frequency part of ZOGY (Zackay, Ofek & Gal-Yam 2016): from N̂, R̂, P̂n, P̂r, every
 * spectrum the later inverse transforms need, in one pass:
 *   D̂ (eq. 13), P̂_D (eq. 14), k̂n and k̂r (eqs. 28-29), Ŝ = F_D D̂ conj(P̂_D) (eq. 17),
 *   Ŝ_N = k̂n N̂ and Ŝ_R = k̂r R̂ (for the astrometric term, eqs. 30-33).
 * Runs in the native addon when it is built (native/src/fft_zogy.cc: the same expressions in the
 * same order, so the same bits) and in TypeScript otherwise.
 */
import { nativeFft } from '../image/fft-native.js';
import { loadNativeModule } from '../native/addon.js';
import type { HalfSpectrum } from './spectrum.js';

/**
 * The spectra of one subtraction. Outputs are written over inputs the pass has read at the same
 * index and needs no more: P̂_D over `Pn`, Ŝ over `Pr`, Ŝ_N over `N`, Ŝ_R over `R`. `D`, `kn`, `kr`
 * receive D̂, k̂n, k̂r. All have the same half-spectrum size.
 */
export interface ZogySpectra {
  readonly N: HalfSpectrum;
  readonly R: HalfSpectrum;
  readonly Pn: HalfSpectrum;
  readonly Pr: HalfSpectrum;
  readonly D: HalfSpectrum;
  readonly kn: HalfSpectrum;
  readonly kr: HalfSpectrum;
}

/** Flux zero-points, background noise, and F_D (eq. 15). */
export interface ZogyConstants {
  readonly Fn: number;
  readonly Fr: number;
  readonly sigmaN: number;
  readonly sigmaR: number;
  readonly F_D: number;
}

type NativeZogyFourier = (arrays: Float64Array[], constants: number[]) => void;

let native: NativeZogyFourier | null | undefined;
function nativeKernel(): NativeZogyFourier | null {
  if (native !== undefined) return native;
  native = null;
  // Tied to the native FFT, so ASTERISM_FFT=js runs all of ZOGY in TypeScript.
  if (nativeFft()) {
    const loaded = loadNativeModule();
    if ('module' in loaded && typeof loaded.module.zogyFourier === 'function') {
      native = loaded.module.zogyFourier as NativeZogyFourier;
    }
  }
  return native;
}

function arraysOf(s: ZogySpectra): Float64Array[] {
  return [s.N, s.R, s.Pn, s.Pr, s.D, s.kn, s.kr].flatMap((x) => [x.re, x.im]);
}

/** Compute the spectra (see {@link ZogySpectra}), natively when the addon has the kernel. */
export function zogyFourier(spectra: ZogySpectra, constants: ZogyConstants): void {
  const kernel = nativeKernel();
  if (kernel) {
    const { Fn, Fr, sigmaN, sigmaR, F_D } = constants;
    kernel(arraysOf(spectra), [Fn, Fr, sigmaN, sigmaR, F_D]);
  } else {
    zogyFourierJs(spectra, constants);
  }
}

/** Whether {@link zogyFourier} runs natively. */
export function zogyFourierIsNative(): boolean {
  return nativeKernel() !== null;
}

/** The TypeScript pass (the fallback; also what the tests compare the native one with). */
export function zogyFourierJs(spectra: ZogySpectra, constants: ZogyConstants): void {
  const { Fn, Fr, sigmaN, sigmaR, F_D } = constants;
  const size = spectra.N.re.length;
  const [PnHat, PrHat, Nhat, Rhat] = [spectra.Pn, spectra.Pr, spectra.N, spectra.R];
  const [Dhat, knHat, krHat] = [spectra.D, spectra.kn, spectra.kr];
  const [PDhat, Shat, SNhat, SRhat] = [PnHat, PrHat, Nhat, Rhat];
  const a = sigmaN * sigmaN * Fr * Fr;
  const b = sigmaR * sigmaR * Fn * Fn;
  // Local references: the loop below runs over every frequency of a full frame.
  const [PnRe, PnIm, PrRe, PrIm] = [PnHat.re, PnHat.im, PrHat.re, PrHat.im];
  const [NRe, NIm, RRe, RIm] = [Nhat.re, Nhat.im, Rhat.re, Rhat.im];
  const [DRe, DIm, PDRe, PDIm] = [Dhat.re, Dhat.im, PDhat.re, PDhat.im];
  const [knRe, knIm, krRe, krIm] = [knHat.re, knHat.im, krHat.re, krHat.im];
  const [SNRe, SNIm, SRRe, SRIm, SRe, SIm] = [SNhat.re, SNhat.im, SRhat.re, SRhat.im, Shat.re, Shat.im];
  const FrFn = Fr * Fn;
  for (let k = 0; k < size; k++) {
    const pnr = PnRe[k]!;
    const pni = PnIm[k]!;
    const prr = PrRe[k]!;
    const pri = PrIm[k]!;
    const abs2Pn = pnr * pnr + pni * pni;
    const abs2Pr = prr * prr + pri * pri;
    const den = a * abs2Pr + b * abs2Pn;
    if (!(den > 0)) {
      // Both PSFs vanish here: no information, every product is 0.
      DRe[k] = DIm[k] = knRe[k] = knIm[k] = krRe[k] = krIm[k] = 0;
      PDRe[k] = PDIm[k] = SRe[k] = SIm[k] = SNRe[k] = SNIm[k] = SRRe[k] = SRIm[k] = 0;
      continue;
    }
    const invSqrtDen = 1 / Math.sqrt(den);
    const invDen = 1 / den;
    const nr = NRe[k]!;
    const ni = NIm[k]!;
    const rr = RRe[k]!;
    const ri = RIm[k]!;
    // eq. 13: D̂ = (Fr P̂r N̂ − Fn P̂n R̂) / √den
    const dr = (Fr * (prr * nr - pri * ni) - Fn * (pnr * rr - pni * ri)) * invSqrtDen;
    const di = (Fr * (prr * ni + pri * nr) - Fn * (pnr * ri + pni * rr)) * invSqrtDen;
    DRe[k] = dr;
    DIm[k] = di;
    // eq. 14: P̂_D = Fr Fn P̂r P̂n / (F_D √den)
    const cD = (FrFn / F_D) * invSqrtDen;
    const pdr = cD * (prr * pnr - pri * pni);
    const pdi = cD * (prr * pni + pri * pnr);
    PDRe[k] = pdr;
    PDIm[k] = pdi;
    // eqs. 28-29: k̂n = Fn Fr² conj(P̂n) |P̂r|² / den, k̂r = Fr Fn² conj(P̂r) |P̂n|² / den
    const cn = Fn * Fr * Fr * abs2Pr * invDen;
    const cr = Fr * Fn * Fn * abs2Pn * invDen;
    const knr = cn * pnr;
    const kni = -cn * pni;
    const krr = cr * prr;
    const kri = -cr * pri;
    knRe[k] = knr;
    knIm[k] = kni;
    krRe[k] = krr;
    krIm[k] = kri;
    SNRe[k] = knr * nr - kni * ni;
    SNIm[k] = knr * ni + kni * nr;
    SRRe[k] = krr * rr - kri * ri;
    SRIm[k] = krr * ri + kri * rr;
    // eq. 17: Ŝ = F_D D̂ conj(P̂_D). Computed from D̂ and P̂_D, not from the kernels, so the test of
    // the identity S = kn ⊗ N − kr ⊗ R checks the kernels (eqs. 28-29) against eqs. 13-17.
    SRe[k] = F_D * (dr * pdr + di * pdi);
    SIm[k] = F_D * (di * pdr - dr * pdi);
  }
}
