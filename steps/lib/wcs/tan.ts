/**
 * Pixel ↔ sky through the gnomonic (TAN) projection, following Calabretta & Greisen (2002,
 * A&A 395, 1077; "Paper II"): linear step (eq. 1), TAN projection (eqs. 54-55), and the
 * spherical rotation from native to celestial coordinates (eqs. 2 and 5).
 */
import type { PixelCoord, SkyCoord, TanWcs } from './types.js';

const D2R = Math.PI / 180;
const R2D = 180 / Math.PI;

/** Image position (0-based) → sky (degrees). */
export function pixelToSky(wcs: TanWcs, pixel: PixelCoord): SkyCoord {
  // FITS pixel p = x + 1 (Image coordinates are 0-based).
  const dp1 = pixel.x + 1 - wcs.crpix[0];
  const dp2 = pixel.y + 1 - wcs.crpix[1];
  const [[cd11, cd12], [cd21, cd22]] = wcs.cd;
  let x = cd11 * dp1 + cd12 * dp2;
  let y = cd21 * dp1 + cd22 * dp2;
  if (wcs.swapped === true) [x, y] = [y, x];
  // TAN, eq. 54: R_θ = √(x² + y²), φ = arg(−y, x), θ = atan(180° / (π R_θ)).
  const rTheta = Math.hypot(x, y);
  const phi = rTheta === 0 ? 0 : Math.atan2(x, -y);
  const theta = Math.atan2(R2D, rTheta);
  const { ra, dec } = nativeToCelestial(phi, theta, wcs);
  return { ra, dec };
}

/** Sky (degrees) → image position (0-based). */
export function skyToPixel(wcs: TanWcs, sky: SkyCoord): PixelCoord {
  const { phi, theta } = celestialToNative(sky.ra * D2R, sky.dec * D2R, wcs);
  if (theta <= 0) {
    return { x: Number.NaN, y: Number.NaN }; // the gnomonic projection covers only the hemisphere facing the reference point
  }
  // TAN, eq. 55: R_θ = (180°/π) cot θ; x = R_θ sin φ, y = −R_θ cos φ.
  const rTheta = (R2D * Math.cos(theta)) / Math.sin(theta);
  let x = rTheta * Math.sin(phi);
  let y = -rTheta * Math.cos(phi);
  if (wcs.swapped === true) [x, y] = [y, x];
  const [[cd11, cd12], [cd21, cd22]] = wcs.cd;
  const det = cd11 * cd22 - cd12 * cd21;
  const dp1 = (cd22 * x - cd12 * y) / det;
  const dp2 = (-cd21 * x + cd11 * y) / det;
  return { x: dp1 + wcs.crpix[0] - 1, y: dp2 + wcs.crpix[1] - 1 };
}

/** Native (φ, θ) in radians → celestial (α, δ) in degrees, Paper II eq. 2 with (α_p, δ_p) = CRVAL for zenithal projections. */
function nativeToCelestial(phi: number, theta: number, wcs: TanWcs): SkyCoord {
  const alphaP = wcs.crval[0] * D2R;
  const deltaP = wcs.crval[1] * D2R;
  const dphi = phi - wcs.lonpole * D2R;
  const sinTheta = Math.sin(theta);
  const cosTheta = Math.cos(theta);
  const alpha =
    alphaP +
    Math.atan2(
      -cosTheta * Math.sin(dphi),
      sinTheta * Math.cos(deltaP) - cosTheta * Math.sin(deltaP) * Math.cos(dphi),
    );
  const delta = Math.asin(clamp(sinTheta * Math.sin(deltaP) + cosTheta * Math.cos(deltaP) * Math.cos(dphi)));
  return { ra: normaliseDegrees(alpha * R2D), dec: delta * R2D };
}

/** Celestial (α, δ) in radians → native (φ, θ) in radians, Paper II eq. 5. */
function celestialToNative(alpha: number, delta: number, wcs: TanWcs): { phi: number; theta: number } {
  const alphaP = wcs.crval[0] * D2R;
  const deltaP = wcs.crval[1] * D2R;
  const dalpha = alpha - alphaP;
  const phi =
    wcs.lonpole * D2R +
    Math.atan2(
      -Math.cos(delta) * Math.sin(dalpha),
      Math.sin(delta) * Math.cos(deltaP) - Math.cos(delta) * Math.sin(deltaP) * Math.cos(dalpha),
    );
  const theta = Math.asin(
    clamp(Math.sin(delta) * Math.sin(deltaP) + Math.cos(delta) * Math.cos(deltaP) * Math.cos(dalpha)),
  );
  return { phi, theta };
}

function clamp(v: number): number {
  return Math.max(-1, Math.min(1, v));
}

/** Longitude in [0, 360). */
function normaliseDegrees(degrees: number): number {
  const r = degrees % 360;
  return r < 0 ? r + 360 : r;
}

/** Pixel scale (degrees per pixel) along each axis: the column norms of CD. */
export function pixelScaleDeg(wcs: TanWcs): readonly [number, number] {
  const [[cd11, cd12], [cd21, cd22]] = wcs.cd;
  return [Math.hypot(cd11, cd21), Math.hypot(cd12, cd22)];
}
