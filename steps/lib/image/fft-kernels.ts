/**
 * Radix passes of a mixed-radix Stockham (self-sorting) FFT.
 *
 * One pass of radix p takes a sub-problem of length n_s = m·p at stride s (the product of the
 * radices already done) and writes, for j < m and q < s,
 *   y[q + s(pj + t)] = w^{jt} · Σ_r x[q + s(j + rm)] ω_p^{rt},   w = exp(∓2πi/n_s), ω_p = exp(∓2πi/p),
 * which is decimation in frequency with the twiddle applied after the butterfly. Passes ping-pong
 * between two buffers and leave the spectrum in natural order, so no bit reversal is needed.
 *
 * Split real/imaginary Float64Arrays keep every inner loop monomorphic and free of allocation.
 * The passes compute the forward transform only (numpy's convention exp(-2πi jk/n)), with
 * `sign = -1` a literal constant in each so the compiler folds it away; the plan runs an inverse as
 * the forward transform with the real and imaginary arrays swapped (swap(z) = i·conj(z), and
 * swap ∘ DFT ∘ swap is the unnormalised inverse DFT). Twiddle tables hold the forward values.
 */

/** Twiddles of one pass: w^{jt} for j < m, 1 ≤ t < p, stored at [j(p-1) + t-1]. */
export interface PassTwiddles {
  readonly re: Float64Array;
  readonly im: Float64Array;
}

/** The forward twiddles of a radix-p pass over a sub-problem of length m·p. */
export function passTwiddles(p: number, m: number): PassTwiddles {
  const n = p * m;
  const re = new Float64Array(m * (p - 1));
  const im = new Float64Array(m * (p - 1));
  for (let j = 0; j < m; j++) {
    for (let t = 1; t < p; t++) {
      // Reduce j·t modulo n before the angle so large products keep full precision.
      const angle = (-2 * Math.PI * ((j * t) % n)) / n;
      re[j * (p - 1) + t - 1] = Math.cos(angle);
      im[j * (p - 1) + t - 1] = Math.sin(angle);
    }
  }
  return { re, im };
}

/** Radix-2 pass. */
export function pass2(
  xr: Float64Array,
  xi: Float64Array,
  yr: Float64Array,
  yi: Float64Array,
  s: number,
  m: number,
  tw: PassTwiddles,
): void {
  const sign = -1; // forward only (see the file comment)
  const twr = tw.re;
  const twi = tw.im;
  const sm = s * m;
  for (let j = 0; j < m; j++) {
    const w1r = twr[j]!;
    const w1i = -sign * twi[j]!;
    const inBase = s * j;
    const outBase = 2 * s * j;
    for (let q = 0; q < s; q++) {
      const i0 = inBase + q;
      const i1 = i0 + sm;
      const ar = xr[i0]!;
      const ai = xi[i0]!;
      const br = xr[i1]!;
      const bi = xi[i1]!;
      const o0 = outBase + q;
      const o1 = o0 + s;
      yr[o0] = ar + br;
      yi[o0] = ai + bi;
      const dr = ar - br;
      const di = ai - bi;
      yr[o1] = dr * w1r - di * w1i;
      yi[o1] = dr * w1i + di * w1r;
    }
  }
}

/** Radix-3 pass. */
export function pass3(
  xr: Float64Array,
  xi: Float64Array,
  yr: Float64Array,
  yi: Float64Array,
  s: number,
  m: number,
  tw: PassTwiddles,
): void {
  const sign = -1; // forward only (see the file comment)
  const twr = tw.re;
  const twi = tw.im;
  const sm = s * m;
  // ω_3 = -1/2 ∓ i√3/2: c carries the direction.
  const c = (sign * Math.sqrt(3)) / 2;
  for (let j = 0; j < m; j++) {
    const w1r = twr[2 * j]!;
    const w1i = -sign * twi[2 * j]!;
    const w2r = twr[2 * j + 1]!;
    const w2i = -sign * twi[2 * j + 1]!;
    const inBase = s * j;
    const outBase = 3 * s * j;
    for (let q = 0; q < s; q++) {
      const i0 = inBase + q;
      const i1 = i0 + sm;
      const i2 = i1 + sm;
      const a0r = xr[i0]!;
      const a0i = xi[i0]!;
      const sr = xr[i1]! + xr[i2]!;
      const si = xi[i1]! + xi[i2]!;
      const dr = xr[i1]! - xr[i2]!;
      const di = xi[i1]! - xi[i2]!;
      const mr = a0r - 0.5 * sr;
      const mi = a0i - 0.5 * si;
      // b1 = m + i·c·d and b2 = m - i·c·d, with c = sign·√3/2 (forward: -i√3/2).
      const b1r = mr - c * di;
      const b1i = mi + c * dr;
      const b2r = mr + c * di;
      const b2i = mi - c * dr;
      const o0 = outBase + q;
      const o1 = o0 + s;
      const o2 = o1 + s;
      yr[o0] = a0r + sr;
      yi[o0] = a0i + si;
      yr[o1] = b1r * w1r - b1i * w1i;
      yi[o1] = b1r * w1i + b1i * w1r;
      yr[o2] = b2r * w2r - b2i * w2i;
      yi[o2] = b2r * w2i + b2i * w2r;
    }
  }
}

/** Radix-4 pass. */
export function pass4(
  xr: Float64Array,
  xi: Float64Array,
  yr: Float64Array,
  yi: Float64Array,
  s: number,
  m: number,
  tw: PassTwiddles,
): void {
  const sign = -1; // forward only (see the file comment)
  const twr = tw.re;
  const twi = tw.im;
  const sm = s * m;
  for (let j = 0; j < m; j++) {
    const w1r = twr[3 * j]!;
    const w1i = -sign * twi[3 * j]!;
    const w2r = twr[3 * j + 1]!;
    const w2i = -sign * twi[3 * j + 1]!;
    const w3r = twr[3 * j + 2]!;
    const w3i = -sign * twi[3 * j + 2]!;
    const inBase = s * j;
    const outBase = 4 * s * j;
    for (let q = 0; q < s; q++) {
      const i0 = inBase + q;
      const i1 = i0 + sm;
      const i2 = i1 + sm;
      const i3 = i2 + sm;
      const x0r = xr[i0]!;
      const x0i = xi[i0]!;
      const x1r = xr[i1]!;
      const x1i = xi[i1]!;
      const x2r = xr[i2]!;
      const x2i = xi[i2]!;
      const x3r = xr[i3]!;
      const x3i = xi[i3]!;
      const t0r = x0r + x2r;
      const t0i = x0i + x2i;
      const t1r = x0r - x2r;
      const t1i = x0i - x2i;
      const t2r = x1r + x3r;
      const t2i = x1i + x3i;
      // t3 = (x1 - x3)·(∓i): forward multiplies by -i, i.e. (re, im) → (im, -re).
      const dr = x1r - x3r;
      const di = x1i - x3i;
      const t3r = -sign * di;
      const t3i = sign * dr;
      const o0 = outBase + q;
      const o1 = o0 + s;
      const o2 = o1 + s;
      const o3 = o2 + s;
      yr[o0] = t0r + t2r;
      yi[o0] = t0i + t2i;
      const b1r = t1r + t3r;
      const b1i = t1i + t3i;
      const b2r = t0r - t2r;
      const b2i = t0i - t2i;
      const b3r = t1r - t3r;
      const b3i = t1i - t3i;
      yr[o1] = b1r * w1r - b1i * w1i;
      yi[o1] = b1r * w1i + b1i * w1r;
      yr[o2] = b2r * w2r - b2i * w2i;
      yi[o2] = b2r * w2i + b2i * w2r;
      yr[o3] = b3r * w3r - b3i * w3i;
      yi[o3] = b3r * w3i + b3i * w3r;
    }
  }
}

/** Radix-5 pass. */
export function pass5(
  xr: Float64Array,
  xi: Float64Array,
  yr: Float64Array,
  yi: Float64Array,
  s: number,
  m: number,
  tw: PassTwiddles,
): void {
  const sign = -1; // forward only (see the file comment)
  const twr = tw.re;
  const twi = tw.im;
  const sm = s * m;
  const c1 = Math.cos((2 * Math.PI) / 5);
  const c2 = Math.cos((4 * Math.PI) / 5);
  // ω_5^k = c_k + i·sign·sin(2πk/5): s1, s2 carry the direction, so b1 = m1 + i·u below.
  const s1 = sign * Math.sin((2 * Math.PI) / 5);
  const s2 = sign * Math.sin((4 * Math.PI) / 5);
  for (let j = 0; j < m; j++) {
    const k = 4 * j;
    const w1r = twr[k]!;
    const w1i = -sign * twi[k]!;
    const w2r = twr[k + 1]!;
    const w2i = -sign * twi[k + 1]!;
    const w3r = twr[k + 2]!;
    const w3i = -sign * twi[k + 2]!;
    const w4r = twr[k + 3]!;
    const w4i = -sign * twi[k + 3]!;
    const inBase = s * j;
    const outBase = 5 * s * j;
    for (let q = 0; q < s; q++) {
      const i0 = inBase + q;
      const i1 = i0 + sm;
      const i2 = i1 + sm;
      const i3 = i2 + sm;
      const i4 = i3 + sm;
      const a0r = xr[i0]!;
      const a0i = xi[i0]!;
      const t1r = xr[i1]! + xr[i4]!;
      const t1i = xi[i1]! + xi[i4]!;
      const t2r = xr[i2]! + xr[i3]!;
      const t2i = xi[i2]! + xi[i3]!;
      const t3r = xr[i1]! - xr[i4]!;
      const t3i = xi[i1]! - xi[i4]!;
      const t4r = xr[i2]! - xr[i3]!;
      const t4i = xi[i2]! - xi[i3]!;
      const m1r = a0r + c1 * t1r + c2 * t2r;
      const m1i = a0i + c1 * t1i + c2 * t2i;
      const m2r = a0r + c2 * t1r + c1 * t2r;
      const m2i = a0i + c2 * t1i + c1 * t2i;
      // u = s1 t3 + s2 t4 and v = s2 t3 - s1 t4: b1 = m1 + iu, b4 = m1 - iu, b2 = m2 + iv, b3 = m2 - iv.
      const ur = s1 * t3r + s2 * t4r;
      const ui = s1 * t3i + s2 * t4i;
      const vr = s2 * t3r - s1 * t4r;
      const vi = s2 * t3i - s1 * t4i;
      const b1r = m1r - ui;
      const b1i = m1i + ur;
      const b4r = m1r + ui;
      const b4i = m1i - ur;
      const b2r = m2r - vi;
      const b2i = m2i + vr;
      const b3r = m2r + vi;
      const b3i = m2i - vr;
      const o0 = outBase + q;
      const o1 = o0 + s;
      const o2 = o1 + s;
      const o3 = o2 + s;
      const o4 = o3 + s;
      yr[o0] = a0r + t1r + t2r;
      yi[o0] = a0i + t1i + t2i;
      yr[o1] = b1r * w1r - b1i * w1i;
      yi[o1] = b1r * w1i + b1i * w1r;
      yr[o2] = b2r * w2r - b2i * w2i;
      yi[o2] = b2r * w2i + b2i * w2r;
      yr[o3] = b3r * w3r - b3i * w3i;
      yi[o3] = b3r * w3i + b3i * w3r;
      yr[o4] = b4r * w4r - b4i * w4i;
      yi[o4] = b4r * w4i + b4i * w4r;
    }
  }
}

/**
 * Generic radix-p pass for a small odd prime p (a direct p-point DFT per butterfly, O(p²)).
 * `rootRe/rootIm` hold the forward roots ω_p^k for k < p; `scratch` has room for 2p values.
 */
export function passGeneric(
  xr: Float64Array,
  xi: Float64Array,
  yr: Float64Array,
  yi: Float64Array,
  s: number,
  m: number,
  p: number,
  tw: PassTwiddles,
  rootRe: Float64Array,
  rootIm: Float64Array,
  scratch: Float64Array,
): void {
  const sign = -1; // forward only (see the file comment)
  const twr = tw.re;
  const twi = tw.im;
  const sm = s * m;
  for (let j = 0; j < m; j++) {
    const inBase = s * j;
    const outBase = p * s * j;
    const twBase = j * (p - 1);
    for (let q = 0; q < s; q++) {
      for (let r = 0; r < p; r++) {
        scratch[2 * r] = xr[inBase + q + r * sm]!;
        scratch[2 * r + 1] = xi[inBase + q + r * sm]!;
      }
      for (let t = 0; t < p; t++) {
        let br = 0;
        let bi = 0;
        let k = 0;
        for (let r = 0; r < p; r++) {
          const wr = rootRe[k]!;
          const wi = -sign * rootIm[k]!;
          const ar = scratch[2 * r]!;
          const ai = scratch[2 * r + 1]!;
          br += ar * wr - ai * wi;
          bi += ar * wi + ai * wr;
          k += t;
          if (k >= p) k -= p;
        }
        const o = outBase + q + t * s;
        if (t === 0) {
          yr[o] = br;
          yi[o] = bi;
        } else {
          const wr = twr[twBase + t - 1]!;
          const wi = -sign * twi[twBase + t - 1]!;
          yr[o] = br * wr - bi * wi;
          yi[o] = br * wi + bi * wr;
        }
      }
    }
  }
}

/**
 * Radix-8 pass: a radix-2 split (u_r = a_r + a_{r+4}, v_r = (a_r - a_{r+4}) ω_8^r) followed by two
 * 4-point DFTs giving the even (from u) and odd (from v) outputs. Fewer passes over memory than
 * radix 4, which is what bounds large transforms.
 */
export function pass8(
  xr: Float64Array,
  xi: Float64Array,
  yr: Float64Array,
  yi: Float64Array,
  s: number,
  m: number,
  tw: PassTwiddles,
): void {
  const sign = -1; // forward only (see the file comment)
  const twr = tw.re;
  const twi = tw.im;
  const sm = s * m;
  const h = Math.SQRT1_2;
  for (let j = 0; j < m; j++) {
    const k = 7 * j;
    const w1r = twr[k]!;
    const w1i = -sign * twi[k]!;
    const w2r = twr[k + 1]!;
    const w2i = -sign * twi[k + 1]!;
    const w3r = twr[k + 2]!;
    const w3i = -sign * twi[k + 2]!;
    const w4r = twr[k + 3]!;
    const w4i = -sign * twi[k + 3]!;
    const w5r = twr[k + 4]!;
    const w5i = -sign * twi[k + 4]!;
    const w6r = twr[k + 5]!;
    const w6i = -sign * twi[k + 5]!;
    const w7r = twr[k + 6]!;
    const w7i = -sign * twi[k + 6]!;
    const inBase = s * j;
    const outBase = 8 * s * j;
    for (let q = 0; q < s; q++) {
      const i0 = inBase + q;
      const i1 = i0 + sm;
      const i2 = i1 + sm;
      const i3 = i2 + sm;
      const i4 = i3 + sm;
      const i5 = i4 + sm;
      const i6 = i5 + sm;
      const i7 = i6 + sm;
      const a0r = xr[i0]!;
      const a0i = xi[i0]!;
      const a1r = xr[i1]!;
      const a1i = xi[i1]!;
      const a2r = xr[i2]!;
      const a2i = xi[i2]!;
      const a3r = xr[i3]!;
      const a3i = xi[i3]!;
      const a4r = xr[i4]!;
      const a4i = xi[i4]!;
      const a5r = xr[i5]!;
      const a5i = xi[i5]!;
      const a6r = xr[i6]!;
      const a6i = xi[i6]!;
      const a7r = xr[i7]!;
      const a7i = xi[i7]!;
      const u0r = a0r + a4r;
      const u0i = a0i + a4i;
      const u1r = a1r + a5r;
      const u1i = a1i + a5i;
      const u2r = a2r + a6r;
      const u2i = a2i + a6i;
      const u3r = a3r + a7r;
      const u3i = a3i + a7i;
      // v_r = (a_r - a_{r+4}) ω_8^r with ω_8 = (1 + iσ)/√2, ω_8² = iσ, ω_8³ = (-1 + iσ)/√2.
      const v0r = a0r - a4r;
      const v0i = a0i - a4i;
      const d1r = a1r - a5r;
      const d1i = a1i - a5i;
      const v1r = h * (d1r - sign * d1i);
      const v1i = h * (d1i + sign * d1r);
      const d2r = a2r - a6r;
      const d2i = a2i - a6i;
      const v2r = -sign * d2i;
      const v2i = sign * d2r;
      const d3r = a3r - a7r;
      const d3i = a3i - a7i;
      const v3r = h * (-d3r - sign * d3i);
      const v3i = h * (-d3i + sign * d3r);
      // 4-point DFT of u → outputs 0, 2, 4, 6.
      const e0r = u0r + u2r;
      const e0i = u0i + u2i;
      const e1r = u0r - u2r;
      const e1i = u0i - u2i;
      const e2r = u1r + u3r;
      const e2i = u1i + u3i;
      const e3r = -sign * (u1i - u3i);
      const e3i = sign * (u1r - u3r);
      // 4-point DFT of v → outputs 1, 3, 5, 7.
      const f0r = v0r + v2r;
      const f0i = v0i + v2i;
      const f1r = v0r - v2r;
      const f1i = v0i - v2i;
      const f2r = v1r + v3r;
      const f2i = v1i + v3i;
      const f3r = -sign * (v1i - v3i);
      const f3i = sign * (v1r - v3r);
      const o0 = outBase + q;
      yr[o0] = e0r + e2r;
      yi[o0] = e0i + e2i;
      let br = f0r + f2r;
      let bi = f0i + f2i;
      yr[o0 + s] = br * w1r - bi * w1i;
      yi[o0 + s] = br * w1i + bi * w1r;
      br = e1r + e3r;
      bi = e1i + e3i;
      yr[o0 + 2 * s] = br * w2r - bi * w2i;
      yi[o0 + 2 * s] = br * w2i + bi * w2r;
      br = f1r + f3r;
      bi = f1i + f3i;
      yr[o0 + 3 * s] = br * w3r - bi * w3i;
      yi[o0 + 3 * s] = br * w3i + bi * w3r;
      br = e0r - e2r;
      bi = e0i - e2i;
      yr[o0 + 4 * s] = br * w4r - bi * w4i;
      yi[o0 + 4 * s] = br * w4i + bi * w4r;
      br = f0r - f2r;
      bi = f0i - f2i;
      yr[o0 + 5 * s] = br * w5r - bi * w5i;
      yi[o0 + 5 * s] = br * w5i + bi * w5r;
      br = e1r - e3r;
      bi = e1i - e3i;
      yr[o0 + 6 * s] = br * w6r - bi * w6i;
      yi[o0 + 6 * s] = br * w6i + bi * w6r;
      br = f1r - f3r;
      bi = f1i - f3i;
      yr[o0 + 7 * s] = br * w7r - bi * w7i;
      yi[o0 + 7 * s] = br * w7i + bi * w7r;
    }
  }
}
