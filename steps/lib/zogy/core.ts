/**
 * ZOGY proper image subtraction (Zackay, Ofek & Gal-Yam 2016, ApJ 830, 27) on one pair of
 * registered, background-subtracted images of the same size.
 *
 * With N̂, R̂ the Fourier transforms of the new and reference images, P̂n, P̂r their PSFs, σn, σr
 * their background noise and Fn, Fr their flux zero-points:
 *   den  = σn² Fr² |P̂r|² + σr² Fn² |P̂n|²
 *   D̂    = (Fr P̂r N̂ − Fn P̂n R̂) / √den                          (eq. 13)
 *   P̂_D  = Fr Fn P̂r P̂n / (F_D √den)                             (eq. 14)
 *   F_D  = Fr Fn / √(σn² Fr² + σr² Fn²)                          (eq. 15)
 *   Ŝ    = F_D D̂ conj(P̂_D)  =  k̂n N̂ − k̂r R̂                     (eqs. 17, 28-29)
 *   k̂n   = Fn Fr² conj(P̂n) |P̂r|² / den,  k̂r = Fr Fn² conj(P̂r) |P̂n|² / den
 *   V    = V(εn) ⊗ kn² + V(εr) ⊗ kr² + V_ast                     (eqs. 26-27)
 *   V_ast = σx² [(∂x S_N)² + (∂x S_R)²] + σy² [(∂y S_N)² + (∂y S_R)²],  S_N = kn ⊗ N (eqs. 30-33)
 *   S_corr = S / √V                                              (eq. 25)
 * and PSF photometry of a point source at a peak of S: α = S / F_S, σ_α = √V / F_S with
 * F_S = F_D² Σ P_D² (eqs. 41-42). The noise kernels pair conj(P̂n) with |P̂r|² (not the other way
 * round): that is what makes S = kn ⊗ N − kr ⊗ R hold, which the tests pin.
 *
 * Pixel variance V(ε) = σ² + max(image, 0) / gain: background plus the source's Poisson noise,
 * with images in ADU and gain in e⁻/ADU.
 */
import type { Image } from '../image/types.js';
import { embedPsfAtOrigin, extractCentredStamp } from './psf-embed.js';
import { type HalfSpectrum, irfft2, rfft2 } from './spectrum.js';

/** Inputs of one ZOGY subtraction. Images must be background-subtracted and registered. */
export interface ZogyInput {
  /** New (science) image N, background-subtracted, no NaNs. */
  readonly newImage: Image;
  /** Reference image R, background-subtracted, registered to N, no NaNs. */
  readonly refImage: Image;
  /** PSF stamp of N: odd size, centred on the middle pixel, unit sum. */
  readonly psfNew: Image;
  /** PSF stamp of R: odd size, centred on the middle pixel, unit sum. */
  readonly psfRef: Image;
  /** Background noise σn of N (ADU). */
  readonly sigmaNew: number;
  /** Background noise σr of R (ADU). */
  readonly sigmaRef: number;
  /** Flux zero-point Fn of N. */
  readonly fluxZeroPointNew: number;
  /** Flux zero-point Fr of R. */
  readonly fluxZeroPointRef: number;
  /** Gain of N in e⁻/ADU (source Poisson variance = counts / gain). Infinity drops source noise. */
  readonly gainNew: number;
  /** Gain of R in e⁻/ADU. */
  readonly gainRef: number;
  /** Astrometric registration noise σx along x (pixels); 0 drops the term. */
  readonly sigmaAstX: number;
  /** Astrometric registration noise σy along y (pixels). */
  readonly sigmaAstY: number;
}

/** Outputs of one ZOGY subtraction; images have the input size. */
export interface ZogyResult {
  /** D / F_D: the difference image in the new image's flux units (a source of flux α is α·P_D). */
  readonly difference: Image;
  /** The matched-filter score S. */
  readonly score: Image;
  /** S_corr = S / √V. */
  readonly scoreCorr: Image;
  /** The variance V of S, astrometric term included. */
  readonly scoreVariance: Image;
  /** P_D as a centred stamp of the PSF stamp size (unit sum). */
  readonly psfDiff: Image;
  /** F_D (eq. 15). */
  readonly fluxZeroPointDiff: number;
  /** F_S = F_D² Σ P_D² (eq. 41): PSF flux of a source = S / F_S. */
  readonly fluxZeroPointScore: number;
  /** The kernels kn and kr, origin-centred, full size (for the S = kn⊗N − kr⊗R identity). */
  readonly kernelNew: Image;
  readonly kernelRef: Image;
}

/** A ZOGY input that cannot be subtracted (sizes, non-finite values, bad noise). */
export class ZogyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ZogyError';
  }
}

function validate(input: ZogyInput): void {
  const { newImage: N, refImage: R } = input;
  if (N.width !== R.width || N.height !== R.height) {
    throw new ZogyError(`new image is ${N.width}x${N.height} but the reference is ${R.width}x${R.height}`);
  }
  for (const [name, value] of [
    ['sigmaNew', input.sigmaNew],
    ['sigmaRef', input.sigmaRef],
    ['fluxZeroPointNew', input.fluxZeroPointNew],
    ['fluxZeroPointRef', input.fluxZeroPointRef],
  ] as const) {
    if (!(value > 0 && Number.isFinite(value))) {
      throw new ZogyError(`Expected \`${name}\` to be a finite number > 0, got \`${value}\``);
    }
  }
  for (const [name, image] of [
    ['new image', N],
    ['reference image', R],
  ] as const) {
    for (let i = 0; i < image.data.length; i++) {
      if (!Number.isFinite(image.data[i]!)) {
        throw new ZogyError(`${name} has a non-finite pixel at index ${i}; mask it (set to 0) first`);
      }
    }
  }
}

/** Per-pixel variance σ² + max(I, 0)/gain. */
function pixelVariance(image: Image, sigma: number, gain: number): Float64Array {
  const out = new Float64Array(image.data.length);
  const invGain = Number.isFinite(gain) && gain > 0 ? 1 / gain : 0;
  const sigma2 = sigma * sigma;
  for (let i = 0; i < out.length; i++) out[i] = sigma2 + Math.max(image.data[i]!, 0) * invGain;
  return out;
}

function square(data: Float64Array): Float64Array {
  const out = new Float64Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = data[i]! * data[i]!;
  return out;
}

/** Run ZOGY on one registered, background-subtracted pair. */
export function zogy(input: ZogyInput): ZogyResult {
  validate(input);
  const { width, height } = input.newImage;
  const sigmaN = input.sigmaNew;
  const sigmaR = input.sigmaRef;
  const Fn = input.fluxZeroPointNew;
  const Fr = input.fluxZeroPointRef;

  const Nhat = rfft2(input.newImage.data, width, height);
  const Rhat = rfft2(input.refImage.data, width, height);
  const PnHat = rfft2(embedPsfAtOrigin(input.psfNew, width, height), width, height);
  const PrHat = rfft2(embedPsfAtOrigin(input.psfRef, width, height), width, height);

  const F_D = (Fr * Fn) / Math.sqrt(sigmaN * sigmaN * Fr * Fr + sigmaR * sigmaR * Fn * Fn); // eq. 15
  const size = Nhat.re.length;
  const spec = (): HalfSpectrum => ({
    re: new Float64Array(size),
    im: new Float64Array(size),
    width: Nhat.width,
    height,
  });
  const Dhat = spec();
  const PDhat = spec();
  const knHat = spec();
  const krHat = spec();
  const SNhat = spec();
  const SRhat = spec();
  const Shat = spec();
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
    if (!(den > 0)) continue; // both PSFs vanish here: no information, leave every product 0
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

  const D = irfft2(Dhat, width, height);
  const S = irfft2(Shat, width, height);
  const kn = irfft2(knHat, width, height);
  const kr = irfft2(krHat, width, height);
  const PD = irfft2(PDhat, width, height);

  // eqs. 26-27: V(S_N) + V(S_R) = V(εn) ⊗ kn² + V(εr) ⊗ kr², summed in Fourier space.
  const VnHat = rfft2(pixelVariance(input.newImage, sigmaN, input.gainNew), width, height);
  const VrHat = rfft2(pixelVariance(input.refImage, sigmaR, input.gainRef), width, height);
  const kn2Hat = rfft2(square(kn), width, height);
  const kr2Hat = rfft2(square(kr), width, height);
  const Vhat = spec();
  const [VnRe, VnIm, VrRe, VrIm] = [VnHat.re, VnHat.im, VrHat.re, VrHat.im];
  const [kn2Re, kn2Im, kr2Re, kr2Im] = [kn2Hat.re, kn2Hat.im, kr2Hat.re, kr2Hat.im];
  const [VRe, VIm] = [Vhat.re, Vhat.im];
  for (let k = 0; k < size; k++) {
    const vnr = VnRe[k]!;
    const vni = VnIm[k]!;
    const vrr = VrRe[k]!;
    const vri = VrIm[k]!;
    const anr = kn2Re[k]!;
    const ani = kn2Im[k]!;
    const arr = kr2Re[k]!;
    const ari = kr2Im[k]!;
    VRe[k] = vnr * anr - vni * ani + vrr * arr - vri * ari;
    VIm[k] = vnr * ani + vni * anr + vrr * ari + vri * arr;
  }
  const V = irfft2(Vhat, width, height);
  addAstrometricVariance(V, SNhat, SRhat, input.sigmaAstX, input.sigmaAstY, width, height);

  const Scorr = new Float64Array(S.length);
  for (let i = 0; i < S.length; i++) Scorr[i] = S[i]! / Math.sqrt(V[i]!);
  const Dflux = new Float64Array(D.length);
  for (let i = 0; i < D.length; i++) Dflux[i] = D[i]! / F_D;
  let sumPD2 = 0;
  for (let i = 0; i < PD.length; i++) sumPD2 += PD[i]! * PD[i]!;
  const image = (data: Float64Array): Image => ({ width, height, data });
  return {
    difference: image(Dflux),
    score: image(S),
    scoreCorr: image(Scorr),
    scoreVariance: image(V),
    psfDiff: extractCentredStamp(image(PD), input.psfNew.width),
    fluxZeroPointDiff: F_D,
    fluxZeroPointScore: F_D * F_D * sumPD2, // eq. 41
    kernelNew: image(kn),
    kernelRef: image(kr),
  };
}

/**
 * Add the astrometric variance (eqs. 30-33): σx² [(∂x S_N)² + (∂x S_R)²] + σy² [(∂y S_N)² + (∂y S_R)²].
 * Derivatives are spectral (×2πi f), with the Nyquist bin of an even axis zeroed because its
 * derivative has no real-valued representation.
 */
function addAstrometricVariance(
  V: Float64Array,
  SNhat: HalfSpectrum,
  SRhat: HalfSpectrum,
  sigmaX: number,
  sigmaY: number,
  width: number,
  height: number,
): void {
  for (const [sigma, axis] of [
    [sigmaX, 'x'],
    [sigmaY, 'y'],
  ] as const) {
    if (!(sigma > 0)) continue;
    for (const source of [SNhat, SRhat]) {
      const grad = spectralDerivative(source, axis, width, height);
      const g = irfft2(grad, width, height);
      const s2 = sigma * sigma;
      for (let i = 0; i < V.length; i++) V[i]! += s2 * g[i]! * g[i]!;
    }
  }
}

function spectralDerivative(
  spectrum: HalfSpectrum,
  axis: 'x' | 'y',
  width: number,
  height: number,
): HalfSpectrum {
  const hw = spectrum.width;
  const out: HalfSpectrum = {
    re: new Float64Array(spectrum.re.length),
    im: new Float64Array(spectrum.im.length),
    width: hw,
    height,
  };
  // Angular frequency 2πf per column (x) or row (y); f = 0 on an even axis's Nyquist bin.
  const n = axis === 'x' ? width : height;
  const count = axis === 'x' ? hw : height;
  const omega = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const signed = i <= (n - 1) / 2 ? i : i - n;
    omega[i] = n % 2 === 0 && i === n / 2 ? 0 : (2 * Math.PI * signed) / n;
  }
  const { re, im } = spectrum;
  for (let v = 0; v < height; v++) {
    const row = v * hw;
    for (let u = 0; u < hw; u++) {
      const w = axis === 'x' ? omega[u]! : omega[v]!;
      const k = row + u;
      // (i w)(re + i im) = −w im + i w re
      out.re[k] = -w * im[k]!;
      out.im[k] = w * re[k]!;
    }
  }
  return out;
}
