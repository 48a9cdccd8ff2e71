/**
 * Connected components of a binary mask (`scipy.ndimage.label` semantics).
 *
 * A mask is a `Uint8Array` in image order (non-zero = set). Labels are 1..count in the raster order
 * of each component's first pixel (the order scipy assigns), 0 for background. Connectivity 4 joins
 * edge neighbours, 8 also diagonal ones (scipy's `generate_binary_structure(2, 1)` and `(2, 2)`).
 * Two passes with union-find: linear in the number of pixels.
 */

/** One component's measurements; coordinates are 0-based pixel indices (x = column, y = row). */
export interface Component {
  readonly label: number;
  /** Number of pixels. */
  readonly area: number;
  /** Inclusive bounding box. */
  readonly xMin: number;
  readonly xMax: number;
  readonly yMin: number;
  readonly yMax: number;
  /** Unweighted centroid (mean pixel position). */
  readonly xCentroid: number;
  readonly yCentroid: number;
}

/** Result of {@link labelComponents}. */
export interface Labeling {
  readonly width: number;
  readonly height: number;
  /** Label per pixel, 0 = background. */
  readonly labels: Int32Array;
  readonly count: number;
  /** components[k] describes label k + 1. */
  readonly components: Component[];
}

function find(parent: Int32Array, i: number): number {
  let root = i;
  while (parent[root]! !== root) root = parent[root]!;
  // Path compression keeps later finds near O(1).
  let node = i;
  while (parent[node]! !== root) {
    const next = parent[node]!;
    parent[node] = root;
    node = next;
  }
  return root;
}

function union(parent: Int32Array, a: number, b: number): number {
  const ra = find(parent, a);
  const rb = find(parent, b);
  // The smaller provisional label wins, so roots keep raster order.
  if (ra < rb) {
    parent[rb] = ra;
    return ra;
  }
  parent[ra] = rb;
  return rb;
}

/** Label the connected components of `mask` (width × height, non-zero = set). */
export function labelComponents(
  mask: ArrayLike<number>,
  width: number,
  height: number,
  connectivity: 4 | 8 = 8,
): Labeling {
  if (mask.length !== width * height) {
    throw new RangeError(`labelComponents: mask length ${mask.length} does not match ${width}×${height}`);
  }
  const labels = new Int32Array(width * height);
  // Provisional labels start at 1; parent[0] is unused.
  let parent = new Int32Array(Math.max(16, (width * height) / 4 + 1));
  let next = 1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (mask[i] === 0) continue;
      let label = 0;
      const consider = (j: number): void => {
        const other = labels[j]!;
        if (other === 0) return;
        label = label === 0 ? find(parent, other) : union(parent, label, other);
      };
      if (x > 0) consider(i - 1);
      if (y > 0) {
        consider(i - width);
        if (connectivity === 8) {
          if (x > 0) consider(i - width - 1);
          if (x < width - 1) consider(i - width + 1);
        }
      }
      if (label === 0) {
        if (next >= parent.length) {
          const grown = new Int32Array(parent.length * 2);
          grown.set(parent);
          parent = grown;
        }
        parent[next] = next;
        label = next++;
      }
      labels[i] = label;
    }
  }
  // Second pass: resolve roots and renumber them 1..count in raster order of first appearance.
  const finalLabel = new Int32Array(next);
  let count = 0;
  const acc: {
    area: number;
    xMin: number;
    xMax: number;
    yMin: number;
    yMax: number;
    sx: number;
    sy: number;
  }[] = [];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (labels[i] === 0) continue;
      const root = find(parent, labels[i]!);
      if (finalLabel[root] === 0) {
        finalLabel[root] = ++count;
        acc.push({ area: 0, xMin: x, xMax: x, yMin: y, yMax: y, sx: 0, sy: 0 });
      }
      const label = finalLabel[root]!;
      labels[i] = label;
      const c = acc[label - 1]!;
      c.area++;
      if (x < c.xMin) c.xMin = x;
      if (x > c.xMax) c.xMax = x;
      c.yMax = y;
      c.sx += x;
      c.sy += y;
    }
  }
  const components = acc.map((c, k) => ({
    label: k + 1,
    area: c.area,
    xMin: c.xMin,
    xMax: c.xMax,
    yMin: c.yMin,
    yMax: c.yMax,
    xCentroid: c.sx / c.area,
    yCentroid: c.sy / c.area,
  }));
  return { width, height, labels, count, components };
}
