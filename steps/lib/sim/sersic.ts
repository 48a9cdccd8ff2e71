/**
 * Sérsic (1963) surface-brightness profiles for host galaxies:
 *   I(r) = I_e exp(−b_n [(r / r_e)^(1/n) − 1]),
 * with b_n chosen so that r_e encloses half the light (Γ(2n) = 2 γ(2n, b_n)); the asymptotic
 * expansion of Ciotti & Bertin (1999) is accurate to < 1e-4 for n ≥ 0.36.
 * Elliptical isophotes: r² = x'² + (y'/q)² in the frame rotated by the position angle.
 */
import type { Image } from '../image/types.js';

/** A Sérsic galaxy in pixel coordinates. */
export interface SersicGalaxy {
  readonly x: number;
  readonly y: number;
  /** Total flux (same units as the image). */
  readonly flux: number;
  /** Sérsic index n (0.5 Gaussian, 1 exponential disc, 4 de Vaucouleurs). */
  readonly n: number;
  /** Half-light radius along the major axis, pixels. */
  readonly rEffPx: number;
  /** Axis ratio b/a in (0, 1]. */
  readonly axisRatio: number;
  /** Position angle of the major axis from +x towards +y, radians. */
  readonly angleRad: number;
}

/** b_n of the Sérsic profile (Ciotti & Bertin 1999, eq. 18). */
export function sersicB(n: number): number {
  return 2 * n - 1 / 3 + 4 / (405 * n) + 46 / (25515 * n * n) + 131 / (1148175 * n ** 3);
}

/**
 * Add a galaxy's intrinsic (unconvolved) light to `image`, integrating each pixel on an
 * `oversample`² grid (the cusp of high-n profiles is not resolved by pixel centres). The profile
 * is normalised by its analytic total, so the added flux is `flux` less the light beyond
 * `extentReff` half-light radii or outside the image.
 */
export function addSersic(image: Image, g: SersicGalaxy, oversample = 5, extentReff = 6): void {
  const bn = sersicB(g.n);
  const radius = Math.ceil(extentReff * g.rEffPx);
  const x0 = Math.max(0, Math.floor(g.x - radius));
  const x1 = Math.min(image.width - 1, Math.ceil(g.x + radius));
  const y0 = Math.max(0, Math.floor(g.y - radius));
  const y1 = Math.min(image.height - 1, Math.ceil(g.y + radius));
  const cos = Math.cos(g.angleRad);
  const sin = Math.sin(g.angleRad);
  const profile = (dx: number, dy: number): number => {
    const u = dx * cos + dy * sin;
    const v = (-dx * sin + dy * cos) / g.axisRatio;
    const r = Math.sqrt(u * u + v * v) / g.rEffPx;
    return r > extentReff ? 0 : Math.exp(-bn * (r ** (1 / g.n) - 1));
  };
  // The analytic total flux of the profile: 2π q r_e² n e^{b} Γ(2n) / b^{2n}.
  const total =
    (2 * Math.PI * g.axisRatio * g.rEffPx ** 2 * g.n * Math.exp(bn) * gamma(2 * g.n)) / bn ** (2 * g.n);
  const scale = g.flux / total / (oversample * oversample);
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      let sum = 0;
      for (let j = 0; j < oversample; j++) {
        const dy = y - g.y + (j + 0.5) / oversample - 0.5;
        for (let i = 0; i < oversample; i++) sum += profile(x - g.x + (i + 0.5) / oversample - 0.5, dy);
      }
      image.data[y * image.width + x]! += sum * scale;
    }
  }
}

/** Γ(z) for z > 0 (Lanczos approximation, g = 7, 9 terms; relative error < 1e-13). */
export function gamma(z: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (z < 0.5) return Math.PI / (Math.sin(Math.PI * z) * gamma(1 - z));
  const x = z - 1;
  let a = c[0]!;
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (x + i);
  return Math.sqrt(2 * Math.PI) * t ** (x + 0.5) * Math.exp(-t) * a;
}
