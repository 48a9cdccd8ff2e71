/**
 * The paper's patch preparation (their `SHARPdataset`): B_r in G clipped to ±1000 G, divided by
 * 1000 (so values are in kG, within [−1, 1]), NaN → 0, then resized to N × N. The paper resizes
 * with torchvision's antialiased resize; here shrinking averages areas and enlarging is bilinear.
 * NaN is zeroed *before* resizing so a missing pixel does not spread into its neighbours.
 */
import { downsampleArea, resizeBilinear } from '../image/resample.js';
import type { Image } from '../image/types.js';

/** Clip, scale to kG, zero NaN, and resize one B_r image (G) to size × size. */
export function preparePatch(fieldGauss: Image, size: number): Image {
  const kG = new Float64Array(fieldGauss.data.length);
  for (let i = 0; i < kG.length; i++) {
    const v = fieldGauss.data[i] as number;
    kG[i] = Number.isNaN(v) ? 0 : Math.max(-1000, Math.min(1000, v)) / 1000;
  }
  let image: Image = { width: fieldGauss.width, height: fieldGauss.height, data: kG };
  // Shrink first along the axes that shrink (area average), then enlarge the rest (bilinear).
  const shrinkW = Math.min(image.width, size);
  const shrinkH = Math.min(image.height, size);
  if (shrinkW < image.width || shrinkH < image.height) image = downsampleArea(image, shrinkW, shrinkH);
  if (image.width < size || image.height < size) image = resizeBilinear(image, size, size);
  return image;
}
