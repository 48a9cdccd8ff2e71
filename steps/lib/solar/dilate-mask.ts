/**
 * Binary dilation of a 0/1 mask by a k × k square (k odd), pixels outside the image counting as
 * 0 — `scipy.ndimage.binary_dilation(mask, np.ones((k, k)))` and skimage's `binary_dilation`.
 *
 * The square is separable, so the dilation is a running-window "any" along rows and then along
 * columns: O(W·H) whatever k, which matters when R is measured on 10,000 generated patches.
 */

/** Dilate `mask` (W·H values, 0 or 1) by a `size × size` square; returns a new 0/1 mask. */
export function dilateSquareMask(mask: Uint8Array, W: number, H: number, size: number): Uint8Array {
  if (!Number.isInteger(size) || size < 1 || size % 2 === 0) {
    throw new RangeError(`Expected the dilation size to be an odd integer ≥ 1, got \`${size}\``);
  }
  const half = (size - 1) / 2;
  const rows = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) {
    runningAny(mask, rows, y * W, 1, W, half);
  }
  const out = new Uint8Array(W * H);
  for (let x = 0; x < W; x++) {
    runningAny(rows, out, x, W, H, half);
  }
  return out;
}

/**
 * out[i] = 1 when any of the `2·half + 1` inputs centred on i (along a line of `length` values
 * starting at `start` with `stride`) is set.
 */
function runningAny(
  input: Uint8Array,
  output: Uint8Array,
  start: number,
  stride: number,
  length: number,
  half: number,
): void {
  // count = number of set inputs in the window [i − half, i + half] ∩ [0, length).
  let count = 0;
  for (let j = 0; j < Math.min(half, length); j++) count += input[start + j * stride] as number;
  for (let i = 0; i < length; i++) {
    const enter = i + half;
    if (enter < length) count += input[start + enter * stride] as number;
    const leave = i - half - 1;
    if (leave >= 0) count -= input[start + leave * stride] as number;
    output[start + i * stride] = count > 0 ? 1 : 0;
  }
}
