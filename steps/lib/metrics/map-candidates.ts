/**
 * From a score map to candidates: threshold, group into connected components, one candidate per
 * component. This is the one definition of a detection's footprint shared by both detectors
 * (the U-Net's probability map, the baseline's S_corr) and by the IoU metric:
 * the footprint is the 8-connected component of pixels with score > threshold; the candidate sits
 * at the component's highest pixel (first in raster order on ties), its score is that peak value,
 * its area the component's pixel count. NaN pixels never belong to a component.
 */
import type { LabelMap } from './footprints.js';

/** A candidate found in one map (the field is added by the caller). */
export interface MapCandidate {
  readonly x: number;
  readonly y: number;
  readonly score: number;
  readonly area: number;
  /** The component's label in {@link MapSegmentation.labels}. */
  readonly label: number;
}

/** Candidates of one map and its segmentation (labels 1..n in raster order of first pixel). */
export interface MapSegmentation extends LabelMap {
  readonly candidates: readonly MapCandidate[];
}

/** Options of {@link segmentMap}. */
export interface SegmentOptions {
  /** Components with fewer pixels are dropped (and left 0 in the label map). @default 1 */
  readonly minArea?: number;
}

const NEIGHBOURS: readonly (readonly [number, number])[] = [
  [-1, -1],
  [0, -1],
  [1, -1],
  [-1, 0],
  [1, 0],
  [-1, 1],
  [0, 1],
  [1, 1],
];

/** Segment `values` (row-major `width × height`) at `threshold`. */
export function segmentMap(
  values: ArrayLike<number>,
  width: number,
  height: number,
  threshold: number,
  options: SegmentOptions = {},
): MapSegmentation {
  if (values.length !== width * height) {
    throw new RangeError(
      `map has ${values.length} values, expected ${width} × ${height} = ${width * height}`,
    );
  }
  const minArea = options.minArea ?? 1;
  const labels = new Int32Array(width * height);
  const candidates: MapCandidate[] = [];
  const stack: number[] = [];
  const members: number[] = [];
  let next = 1;
  for (let start = 0; start < labels.length; start++) {
    if (labels[start] !== 0 || !(values[start]! > threshold)) continue;
    // Flood fill with an explicit stack (recursion would overflow on large islands).
    const label = next;
    labels[start] = label;
    stack.push(start);
    members.length = 0;
    let peak = start;
    while (stack.length > 0) {
      const i = stack.pop()!;
      members.push(i);
      if (values[i]! > values[peak]! || (values[i] === values[peak] && i < peak)) peak = i;
      const x = i % width;
      const y = (i - x) / width;
      for (const [dx, dy] of NEIGHBOURS) {
        const nx = x + dx;
        const ny = y + dy;
        if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
        const j = ny * width + nx;
        if (labels[j] === 0 && values[j]! > threshold) {
          labels[j] = label;
          stack.push(j);
        }
      }
    }
    if (members.length < minArea) {
      // Mark dropped pixels -1 so they are not seeds again; they are cleared to 0 at the end.
      for (const i of members) labels[i] = -1;
      continue;
    }
    const px = peak % width;
    candidates.push({ x: px, y: (peak - px) / width, score: values[peak]!, area: members.length, label });
    next++;
  }
  for (let i = 0; i < labels.length; i++) if (labels[i] === -1) labels[i] = 0;
  return { width, height, labels, candidates };
}
