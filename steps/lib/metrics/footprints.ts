/**
 * Pixel footprints of detections and truth objects, and their intersection over union (IoU).
 *
 * Footprints are connected components in a label map (0 = background, k > 0 = component k):
 * - a detection's footprint is its component of the detector's thresholded map (the probability
 *   map above threshold for the U-Net, S_corr above threshold for the baseline), identified by the
 *   candidate's `label`, or else by the label under the candidate's pixel;
 * - a truth object's footprint is the connected component of its class in the truth mask
 *   (value 1 for real transients, 2 for artifacts) that contains the object's pixel, or, when that
 *   pixel is not in the class, the component of the nearest pixel of the class within the match
 *   radius. Two overlapping objects of one class share a component.
 * IoU = |A ∩ B| / |A ∪ B| over pixel sets.
 */

/** A label map: `labels[y * width + x]` is 0 for background or the component's label. */
export interface LabelMap {
  readonly width: number;
  readonly height: number;
  readonly labels: Int32Array;
}

/** The pixel index nearest to (x, y) (pixel centres at integers), or -1 outside the image. */
export function pixelIndex(map: LabelMap, x: number, y: number): number {
  const ix = Math.round(x);
  const iy = Math.round(y);
  if (ix < 0 || iy < 0 || ix >= map.width || iy >= map.height) return -1;
  return iy * map.width + ix;
}

/**
 * The label under (x, y), or else of the nearest labelled pixel within `radiusPx` (ties: lowest
 * row, then column); 0 when none.
 */
export function labelNear(map: LabelMap, x: number, y: number, radiusPx: number): number {
  const here = pixelIndex(map, x, y);
  if (here >= 0 && map.labels[here]! !== 0) return map.labels[here]!;
  let best = 0;
  let bestDistance = Number.POSITIVE_INFINITY;
  const r = Math.ceil(radiusPx);
  for (let iy = Math.max(0, Math.ceil(y) - r); iy <= Math.min(map.height - 1, Math.floor(y) + r); iy++) {
    for (let ix = Math.max(0, Math.ceil(x) - r); ix <= Math.min(map.width - 1, Math.floor(x) + r); ix++) {
      const label = map.labels[iy * map.width + ix]!;
      const distance = Math.hypot(ix - x, iy - y);
      if (label !== 0 && distance <= radiusPx && distance < bestDistance) {
        best = label;
        bestDistance = distance;
      }
    }
  }
  return best;
}

/** Pixel indices of every component, ascending. */
export function pixelsByLabel(map: LabelMap): Map<number, number[]> {
  const pixels = new Map<number, number[]>();
  map.labels.forEach((label, i) => {
    if (label === 0) return;
    const list = pixels.get(label);
    if (list === undefined) pixels.set(label, [i]);
    else list.push(i);
  });
  return pixels;
}

/** IoU of two pixel sets given as ascending index arrays (0 when both are empty). */
export function intersectionOverUnion(a: readonly number[], b: readonly number[]): number {
  let i = 0;
  let j = 0;
  let intersection = 0;
  while (i < a.length && j < b.length) {
    if (a[i]! === b[j]!) {
      intersection++;
      i++;
      j++;
    } else if (a[i]! < b[j]!) i++;
    else j++;
  }
  const union = a.length + b.length - intersection;
  return union === 0 ? 0 : intersection / union;
}
