/**
 * From a score map to candidates: threshold, group into connected components, one candidate per
 * component. This is the one definition of a detection's footprint shared by both detectors
 * (the U-Net's probability map, the baseline's S_corr) and by the IoU metric:
 * the footprint is the 8-connected component of pixels with score > threshold; the candidate sits
 * at the component's highest pixel (first in raster order on ties), its score is that peak value,
 * its area the component's pixel count. NaN pixels never belong to a component.
 */
import { labelComponents } from '../image/components.js';
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
  const above = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) above[i] = values[i]! > threshold ? 1 : 0; // NaN > t is false
  const labeling = labelComponents(above, width, height, 8);
  // Peak pixel per component: the first pixel in raster order wins ties (strict `>`).
  const peak = new Int32Array(labeling.count + 1).fill(-1);
  labeling.labels.forEach((label, i) => {
    if (label !== 0 && (peak[label]! < 0 || values[i]! > values[peak[label]!]!)) peak[label] = i;
  });
  // Drop small components and renumber the rest 1..n, keeping raster order.
  const renumber = new Int32Array(labeling.count + 1);
  const candidates: MapCandidate[] = [];
  for (const component of labeling.components) {
    if (component.area < minArea) continue;
    const label = candidates.length + 1;
    renumber[component.label] = label;
    const p = peak[component.label]!;
    const x = p % width;
    candidates.push({ x, y: (p - x) / width, score: values[p]!, area: component.area, label });
  }
  const labels = labeling.labels.map((label) => renumber[label]!);
  return { width, height, labels, candidates };
}
