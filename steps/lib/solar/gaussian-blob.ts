/**
 * Add a circular Gaussian to an image, evaluated out to 4σ (beyond which it is < 3.4e−4 of its
 * peak, far below the simulator's 10 G noise for any realistic peak).
 */
import type { Image } from '../image/types.js';

/** image += peak · exp(−((x − cx)² + (y − cy)²) / (2σ²)) for pixels within 4σ of (cx, cy). */
export function addGaussian(image: Image, cx: number, cy: number, sigmaPx: number, peak: number): void {
  const reach = Math.ceil(4 * sigmaPx);
  const x0 = Math.max(0, Math.floor(cx) - reach);
  const x1 = Math.min(image.width - 1, Math.ceil(cx) + reach);
  const y0 = Math.max(0, Math.floor(cy) - reach);
  const y1 = Math.min(image.height - 1, Math.ceil(cy) + reach);
  const inv2s2 = 1 / (2 * sigmaPx * sigmaPx);
  for (let y = y0; y <= y1; y++) {
    const dy2 = (y - cy) * (y - cy);
    const row = y * image.width;
    for (let x = x0; x <= x1; x++) {
      const d2 = (x - cx) * (x - cx) + dy2;
      image.data[row + x] = (image.data[row + x] as number) + peak * Math.exp(-d2 * inv2s2);
    }
  }
}
