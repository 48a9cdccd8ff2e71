/**
 * Augmentation of real training patches by a symmetry of the active-region population: the same
 * region seen in the other hemisphere. Hale's law flips the leading polarity between hemispheres
 * and Joy's law flips the sense of the tilt, so the twin of a patch B(x, y) is −B(x, H − 1 − y).
 * When both hemispheres are equally represented (true of simulate-active-regions, and of SHARPs
 * over a cycle to first order) the twin is drawn from the same distribution as the patch, and
 * TUF, R and PSEP of each patch are unchanged; net flux and the E–W dipole change sign.
 */

/**
 * Write the other-hemisphere twin of a row-major `size`×`size` patch into `out`.
 *
 * @param patch B (any units), data[y·size + x]
 * @param out destination of the same length (not `patch` itself)
 */
export function hemisphereTwin(
  patch: ArrayLike<number>,
  size: number,
  out: Float32Array | Float64Array,
): void {
  if (patch.length !== size * size || out.length !== size * size) {
    throw new RangeError(
      `hemisphereTwin: expected ${size}×${size} values, got ${patch.length} → ${out.length}`,
    );
  }
  for (let y = 0; y < size; y++) {
    const from = y * size;
    const to = (size - 1 - y) * size;
    for (let x = 0; x < size; x++) out[to + x] = -(patch[from + x] as number);
  }
}
