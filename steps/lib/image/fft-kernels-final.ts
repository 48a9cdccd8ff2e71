/**
 * Final Stockham passes (m = 1, see fft-kernels.ts): with j = 0 every twiddle is w^0 = 1, so these
 * butterflies skip the twiddle products, 3 (radix 4) or 7 (radix 8) complex multiplications per
 * butterfly in the last sweep over the data. Index form: in x[q + s·r], out y[q + s·t], q < s.
 */

/** Last radix-4 pass. */
export function pass4Final(
  xr: Float64Array,
  xi: Float64Array,
  yr: Float64Array,
  yi: Float64Array,
  s: number,
): void {
  const sign = -1; // forward only (see the file comment)
  for (let q = 0; q < s; q++) {
    const i1 = q + s;
    const i2 = i1 + s;
    const i3 = i2 + s;
    const x0r = xr[q]!;
    const x0i = xi[q]!;
    const x2r = xr[i2]!;
    const x2i = xi[i2]!;
    const t0r = x0r + x2r;
    const t0i = x0i + x2i;
    const t1r = x0r - x2r;
    const t1i = x0i - x2i;
    const x1r = xr[i1]!;
    const x1i = xi[i1]!;
    const x3r = xr[i3]!;
    const x3i = xi[i3]!;
    const t2r = x1r + x3r;
    const t2i = x1i + x3i;
    // t3 = (x1 - x3)·(i·sign)
    const t3r = -sign * (x1i - x3i);
    const t3i = sign * (x1r - x3r);
    yr[q] = t0r + t2r;
    yi[q] = t0i + t2i;
    yr[i1] = t1r + t3r;
    yi[i1] = t1i + t3i;
    yr[i2] = t0r - t2r;
    yi[i2] = t0i - t2i;
    yr[i3] = t1r - t3r;
    yi[i3] = t1i - t3i;
  }
}

/** Last radix-8 pass (the split of pass8 without its twiddles). */
export function pass8Final(
  xr: Float64Array,
  xi: Float64Array,
  yr: Float64Array,
  yi: Float64Array,
  s: number,
): void {
  const sign = -1; // forward only (see the file comment)
  const h = Math.SQRT1_2;
  for (let q = 0; q < s; q++) {
    const i1 = q + s;
    const i2 = i1 + s;
    const i3 = i2 + s;
    const i4 = i3 + s;
    const i5 = i4 + s;
    const i6 = i5 + s;
    const i7 = i6 + s;
    const a0r = xr[q]!;
    const a0i = xi[q]!;
    const a4r = xr[i4]!;
    const a4i = xi[i4]!;
    const u0r = a0r + a4r;
    const u0i = a0i + a4i;
    const v0r = a0r - a4r;
    const v0i = a0i - a4i;
    const a1r = xr[i1]!;
    const a1i = xi[i1]!;
    const a5r = xr[i5]!;
    const a5i = xi[i5]!;
    const u1r = a1r + a5r;
    const u1i = a1i + a5i;
    const d1r = a1r - a5r;
    const d1i = a1i - a5i;
    const v1r = h * (d1r - sign * d1i);
    const v1i = h * (d1i + sign * d1r);
    const a2r = xr[i2]!;
    const a2i = xi[i2]!;
    const a6r = xr[i6]!;
    const a6i = xi[i6]!;
    const u2r = a2r + a6r;
    const u2i = a2i + a6i;
    const v2r = -sign * (a2i - a6i);
    const v2i = sign * (a2r - a6r);
    const a3r = xr[i3]!;
    const a3i = xi[i3]!;
    const a7r = xr[i7]!;
    const a7i = xi[i7]!;
    const u3r = a3r + a7r;
    const u3i = a3i + a7i;
    const d3r = a3r - a7r;
    const d3i = a3i - a7i;
    const v3r = h * (-d3r - sign * d3i);
    const v3i = h * (-d3i + sign * d3r);
    const e0r = u0r + u2r;
    const e0i = u0i + u2i;
    const e1r = u0r - u2r;
    const e1i = u0i - u2i;
    const e2r = u1r + u3r;
    const e2i = u1i + u3i;
    const e3r = -sign * (u1i - u3i);
    const e3i = sign * (u1r - u3r);
    const f0r = v0r + v2r;
    const f0i = v0i + v2i;
    const f1r = v0r - v2r;
    const f1i = v0i - v2i;
    const f2r = v1r + v3r;
    const f2i = v1i + v3i;
    const f3r = -sign * (v1i - v3i);
    const f3i = sign * (v1r - v3r);
    yr[q] = e0r + e2r;
    yi[q] = e0i + e2i;
    yr[i1] = f0r + f2r;
    yi[i1] = f0i + f2i;
    yr[i2] = e1r + e3r;
    yi[i2] = e1i + e3i;
    yr[i3] = f1r + f3r;
    yi[i3] = f1i + f3i;
    yr[i4] = e0r - e2r;
    yi[i4] = e0i - e2i;
    yr[i5] = f0r - f2r;
    yi[i5] = f0i - f2i;
    yr[i6] = e1r - e3r;
    yi[i6] = e1i - e3i;
    yr[i7] = f1r - f3r;
    yi[i7] = f1i - f3i;
  }
}
