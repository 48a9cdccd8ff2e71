/**
 * A generator of synthetic radial-field (B_r) active-region patches in gauss, standing in for
 * SHARP cut-outs where real ones cannot be downloaded.
 *
 * Each region is one dominant bipole (Hale's and Joy's laws with scatter), sometimes with one or
 * two extra bipoles (multipolar, δ-like configurations), seen at one moment of its life:
 *
 * - flux: per-polarity peak flux Φ is log-uniform between `fluxRangeMx` (an active-region flux
 *   distribution is close to a power law, dN/dΦ ∝ Φ^−1.8…−2 over that range, e.g. Parnell et al.
 *   2009; log-uniform keeps weak and strong regions both well sampled);
 * - evolution: an age a ∈ [0, 1] with emergence to a = 0.2 (flux and separation grow) and
 *   exponential decay after, when spots fragment into dispersing plage;
 * - separation: d ≈ 35 Mm · (Φ / 10²² Mx)^0.3 at maximum (larger regions are larger), with
 *   20 % scatter, growing during emergence;
 * - tilt: Joy's law γ = 0.5·|λ| at latitude λ ∈ ±[5°, 35°], with 15° Gaussian scatter (e.g.
 *   Wang et al. 2015); a fraction `antiJoyFraction` has the sign of the tilt flipped;
 * - polarity: Hale's law — leading (western, +x) polarity positive in the north — except for a
 *   fraction `antiHaleFraction` (≈ 5 % of regions are anti-Hale, e.g. Li 2018);
 * - shape: each polarity is a compact spot (Gaussian with peak 1–3 kG, stronger for more flux)
 *   plus diffuse plage (a handful of Gaussian clumps of 150–500 G scattered around it); the
 *   leading polarity is more compact, the trailing one more fragmented;
 * - noise: Gaussian, `noiseGauss` (10 G, HMI's noise level in B_r) per pixel.
 *
 * All randomness comes from the `Random` passed in, so a seed fixes the whole data set.
 */
import type { Image } from '../image/types.js';
import type { Random } from '../random.js';
import { addGaussian } from './gaussian-blob.js';
import { CM2_PER_MM2 } from './units.js';

/** Options of the simulator. */
export interface RegionSimulationOptions {
  /** Patch side in pixels. @default 128 */
  readonly sizePx?: number;
  /** Pixel size in Mm (SHARP CEA pixels are 0.364 Mm; the default shows a 92 Mm field). @default 0.72 */
  readonly pixelSizeMm?: number;
  /** Range of the per-polarity peak flux, Mx. @default [3e20, 3e22] */
  readonly fluxRangeMx?: readonly [number, number];
  /** Fraction of regions with extra bipoles. @default 0.2 */
  readonly multipolarFraction?: number;
  /** Fraction of anti-Hale regions. @default 0.05 */
  readonly antiHaleFraction?: number;
  /** Fraction of regions whose tilt sign is flipped (anti-Joy) beyond the scatter. @default 0.1 */
  readonly antiJoyFraction?: number;
  /** Noise per pixel, G. @default 10 */
  readonly noiseGauss?: number;
}

/** The true parameters a region was drawn with. */
export interface RegionTruth {
  /** Latitude, degrees (positive north). */
  readonly latitudeDeg: number;
  /** Tilt of the dominant bipole, degrees (positive: leading polarity nearer the equator). */
  readonly tiltDeg: number;
  /** Distance between the dominant bipole's polarity centres, Mm. */
  readonly separationMm: number;
  /** Unsigned flux of the dominant bipole's positive polarity now (after evolution), Mx. */
  readonly fluxMx: number;
  /** Unsigned flux of all bipoles, both polarities, Mx. */
  readonly totalUnsignedFluxMx: number;
  /** Age in [0, 1]: emergence until 0.2, decay after. */
  readonly age: number;
  /** Number of bipoles (1: bipolar). */
  readonly bipoles: number;
  /** False for anti-Hale regions. */
  readonly hale: boolean;
  /** False for anti-Joy regions (tilt sign flipped on purpose). */
  readonly joy: boolean;
}

/** One simulated patch: B_r in gauss, and its truth. */
export interface SimulatedRegion {
  readonly image: Image;
  readonly truth: RegionTruth;
}

const DEFAULTS = {
  sizePx: 128,
  pixelSizeMm: 0.72,
  fluxRangeMx: [3e20, 3e22] as readonly [number, number],
  multipolarFraction: 0.2,
  antiHaleFraction: 0.05,
  antiJoyFraction: 0.1,
  noiseGauss: 10,
};

/** Fraction of the peak flux present at age a: linear emergence, then exponential decay. */
export function fluxEvolution(age: number): number {
  return age < 0.2 ? 0.15 + (0.85 * age) / 0.2 : Math.exp(-(age - 0.2) / 0.35);
}

/** Draw one active-region patch. */
export function simulateRegion(rng: Random, options: RegionSimulationOptions = {}): SimulatedRegion {
  const o = { ...DEFAULTS, ...options };
  const size = o.sizePx;
  const image: Image = { width: size, height: size, data: new Float64Array(size * size) };
  const [fluxMin, fluxMax] = o.fluxRangeMx;
  const peakFluxMx = fluxMin * (fluxMax / fluxMin) ** rng.uniform();
  const age = rng.uniform();
  const fluxMx = peakFluxMx * fluxEvolution(age);
  const hemisphere = rng.uniform() < 0.5 ? 1 : -1;
  const latitudeDeg = hemisphere * rng.uniformIn(5, 35);
  const joy = rng.uniform() >= o.antiJoyFraction;
  const joyTilt = 0.5 * Math.abs(latitudeDeg) + 15 * rng.normal();
  const tiltDeg = joy ? joyTilt : -joyTilt;
  const hale = rng.uniform() >= o.antiHaleFraction;
  // Hale: leading (western) polarity positive in the north, negative in the south.
  const leadingSign = (hemisphere > 0 ? 1 : -1) * (hale ? 1 : -1);
  const growth = age < 0.2 ? 0.4 + (0.6 * age) / 0.2 : 1 + 0.5 * (age - 0.2);
  const fieldMm = size * o.pixelSizeMm;
  const separationMm = Math.min(
    0.6 * fieldMm,
    35 * (peakFluxMx / 1e22) ** 0.3 * growth * Math.exp(0.2 * rng.normal()),
  );
  // Decay turns spots into plage: the spot's share of the flux falls with age.
  const spotShare = age < 0.2 ? 0.6 : 0.6 * Math.exp(-(age - 0.2) / 0.3);
  const centre = {
    x: (size - 1) / 2 + rng.normal() * 0.04 * size,
    y: (size - 1) / 2 + rng.normal() * 0.04 * size,
  };
  // Tilt is measured from the east–west line; the leading spot sits nearer the equator, i.e.
  // towards −y in the north (y grows northward in a CEA patch).
  const tiltRad = (tiltDeg * Math.PI) / 180;
  const towardsLeading = { x: Math.cos(tiltRad), y: -hemisphere * Math.sin(tiltRad) };
  let totalUnsignedFluxMx = 0;
  totalUnsignedFluxMx += addBipole(image, rng, o.pixelSizeMm, {
    centre,
    direction: towardsLeading,
    separationMm,
    fluxMx,
    leadingSign,
    spotShare,
    spreadMm: 0.15 * separationMm * growth,
  });
  let bipoles = 1;
  if (rng.uniform() < o.multipolarFraction) {
    const extra = 1 + rng.integer(2);
    for (let k = 0; k < extra; k++) {
      const angle = rng.uniformIn(0, 2 * Math.PI);
      const offsetPx = rng.uniformIn(0.1, 0.3) * size;
      const theta = rng.uniformIn(0, 2 * Math.PI);
      const fluxShare = rng.uniformIn(0.1, 0.5);
      totalUnsignedFluxMx += addBipole(image, rng, o.pixelSizeMm, {
        centre: { x: centre.x + offsetPx * Math.cos(angle), y: centre.y + offsetPx * Math.sin(angle) },
        direction: { x: Math.cos(theta), y: Math.sin(theta) },
        separationMm: separationMm * rng.uniformIn(0.3, 0.8),
        fluxMx: fluxMx * fluxShare,
        leadingSign: rng.uniform() < 0.5 ? 1 : -1,
        spotShare: spotShare * rng.uniformIn(0.5, 1),
        spreadMm: 0.1 * separationMm,
      });
      bipoles++;
    }
  }
  for (let i = 0; i < image.data.length; i++) {
    image.data[i] = (image.data[i] as number) + o.noiseGauss * rng.normal();
  }
  return {
    image,
    truth: {
      latitudeDeg,
      tiltDeg,
      separationMm,
      fluxMx,
      totalUnsignedFluxMx,
      age,
      bipoles,
      hale,
      joy,
    },
  };
}

interface BipoleSpec {
  readonly centre: { readonly x: number; readonly y: number };
  /** Unit vector from the centre towards the leading polarity (pixels). */
  readonly direction: { readonly x: number; readonly y: number };
  readonly separationMm: number;
  /** Flux of each polarity, Mx. */
  readonly fluxMx: number;
  /** Sign of the leading polarity. */
  readonly leadingSign: number;
  /** Share of each polarity's flux in its spot (the rest is plage). */
  readonly spotShare: number;
  /** Spread of the plage clumps around the polarity centre, Mm. */
  readonly spreadMm: number;
}

/** Add both polarities of a bipole; returns the unsigned flux added, Mx. */
function addBipole(image: Image, rng: Random, pixelSizeMm: number, spec: BipoleSpec): number {
  const halfSepPx = spec.separationMm / pixelSizeMm / 2;
  const pixelAreaCm2 = pixelSizeMm * pixelSizeMm * CM2_PER_MM2;
  for (const leading of [true, false]) {
    const sign = leading ? spec.leadingSign : -spec.leadingSign;
    const along = leading ? halfSepPx : -halfSepPx;
    const cx = spec.centre.x + along * spec.direction.x;
    const cy = spec.centre.y + along * spec.direction.y;
    // The leading polarity is the more coherent one: more of its flux sits in the spot.
    const spotFlux = spec.fluxMx * Math.min(0.9, spec.spotShare * (leading ? 1.3 : 0.7));
    addSpot(image, cx, cy, sign * spotFlux, pixelAreaCm2, pixelSizeMm);
    const plageFlux = spec.fluxMx - spotFlux;
    const clumps = 4 + rng.integer(leading ? 6 : 12);
    const spreadPx = Math.max(1, spec.spreadMm / pixelSizeMm) * (leading ? 1 : 1.5);
    for (let k = 0; k < clumps; k++) {
      const clumpFlux = (plageFlux / clumps) * rng.uniformIn(0.5, 1.5);
      const strengthGauss = rng.uniformIn(150, 500);
      const sigmaPx = Math.max(1, Math.sqrt(clumpFlux / (2 * Math.PI * strengthGauss * pixelAreaCm2)));
      const x = cx + spreadPx * rng.normal();
      const y = cy + spreadPx * rng.normal();
      addGaussian(
        image,
        x,
        y,
        sigmaPx,
        (sign * clumpFlux) / (2 * Math.PI * sigmaPx * sigmaPx * pixelAreaCm2),
      );
    }
  }
  return 2 * spec.fluxMx;
}

/** A sunspot: a Gaussian whose peak (1–3 kG) rises with its flux, as umbral fields do. */
function addSpot(
  image: Image,
  cx: number,
  cy: number,
  signedFluxMx: number,
  pixelAreaCm2: number,
  pixelSizeMm: number,
): void {
  const flux = Math.abs(signedFluxMx);
  if (flux === 0) return;
  const peakGauss = 1000 + 2000 * Math.min(1, Math.max(0, Math.log10(flux / 1e20) / 2));
  const minSigmaPx = 0.7 / pixelSizeMm;
  const sigmaPx = Math.max(minSigmaPx, Math.sqrt(flux / (2 * Math.PI * peakGauss * pixelAreaCm2)));
  addGaussian(image, cx, cy, sigmaPx, signedFluxMx / (2 * Math.PI * sigmaPx * sigmaPx * pixelAreaCm2));
}
