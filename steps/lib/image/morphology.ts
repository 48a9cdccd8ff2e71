/**
 * Binary morphology with square footprints (the paper's R uses a 7×7 dilation of the strong-field
 * masks). `binaryDilation(mask, w, h, size)` equals
 * `scipy.ndimage.binary_dilation(mask, structure=np.ones((size, size)))` for odd `size`: a pixel is
 * set when any set pixel lies within (size-1)/2 of it along both axes; beyond the edges is unset
 * (scipy's border_value = 0). A square is separable, so it runs as a 1-D dilation along rows then
 * columns with a sliding count: O(pixels), independent of the size.
 */

function checkSize(size: number): number {
  if (!Number.isInteger(size) || size < 1 || size % 2 === 0) {
    throw new RangeError(`square footprint size must be a positive odd integer (centred), got ${size}`);
  }
  return (size - 1) / 2;
}

/** Dilate along one axis: out[i] = 1 if any in[i ± r] is set, reading `count` elements at `stride`. */
function dilateLine(
  input: Uint8Array,
  output: Uint8Array,
  start: number,
  stride: number,
  count: number,
  r: number,
): void {
  // Sliding count of set pixels in [k - r, k + r].
  let inWindow = 0;
  for (let k = 0; k < Math.min(r, count); k++) if (input[start + k * stride]) inWindow++;
  for (let k = 0; k < count; k++) {
    const enter = k + r;
    if (enter < count && input[start + enter * stride]) inWindow++;
    const leave = k - r - 1;
    if (leave >= 0 && input[start + leave * stride]) inWindow--;
    output[start + k * stride] = inWindow > 0 ? 1 : 0;
  }
}

/** Binary dilation of a width × height mask (non-zero = set) with a size × size square; returns 0/1. */
export function binaryDilation(
  mask: ArrayLike<number>,
  width: number,
  height: number,
  size: number,
): Uint8Array {
  const r = checkSize(size);
  if (mask.length !== width * height) {
    throw new RangeError(`binaryDilation: mask length ${mask.length} does not match ${width}×${height}`);
  }
  const input = Uint8Array.from(mask, (v) => (v ? 1 : 0));
  const rows = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) dilateLine(input, rows, y * width, 1, width, r);
  const out = new Uint8Array(width * height);
  for (let x = 0; x < width; x++) dilateLine(rows, out, x, width, height, r);
  return out;
}

/**
 * Binary erosion with a size × size square, `scipy.ndimage.binary_erosion(mask, np.ones((size, size)))`:
 * a pixel stays set only if every pixel within (size-1)/2 along both axes is set; beyond the edges
 * counts as unset (border_value = 0), so set pixels within (size-1)/2 of the edge are removed.
 */
export function binaryErosion(
  mask: ArrayLike<number>,
  width: number,
  height: number,
  size: number,
): Uint8Array {
  checkSize(size);
  // Erosion is the complement of the dilation of the complement, with the outside set to 1 in the
  // complement (border 0 in the original); pad by r so the outside takes part.
  const r = (size - 1) / 2;
  const pw = width + 2 * r;
  const ph = height + 2 * r;
  const complement = new Uint8Array(pw * ph).fill(1);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) complement[(y + r) * pw + x + r] = mask[y * width + x] ? 0 : 1;
  }
  const dilated = binaryDilation(complement, pw, ph, size);
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) out[y * width + x] = dilated[(y + r) * pw + x + r] ? 0 : 1;
  }
  return out;
}
