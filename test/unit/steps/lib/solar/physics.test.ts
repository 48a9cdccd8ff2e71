import { describe, expect, it } from 'vitest';
import { Random } from '../../../../../steps/lib/random.js';
import {
  FLAG_NO_NEGATIVE,
  FLAG_NO_POSITIVE,
  PARAMETER_NAMES,
  type PhysicalParameters,
  physicalParameters,
  stackParameters,
} from '../../../../../steps/lib/solar/physics.js';
import { simulateRegion } from '../../../../../steps/lib/solar/simulate.js';
import { f64Bytes, readJson, repoRoot, withPython } from './python.js';

/** Field in kG as the GAN sees it: gauss / 1000, clipped to [−1, 1]. */
function toKG(data: Float64Array): Float64Array {
  return data.map((v) => Math.max(-1, Math.min(1, v / 1000)));
}

/** A W×H image of random Gaussian blobs of both signs, some on the border. */
function blobImage(rng: Random, W: number, H: number): Float64Array {
  const out = new Float64Array(W * H);
  const blobs = 2 + rng.integer(5);
  for (let k = 0; k < blobs; k++) {
    const cx = rng.uniformIn(-2, W + 1);
    const cy = rng.uniformIn(-2, H + 1);
    const sigma = rng.uniformIn(0.8, 4);
    const peak = rng.uniformIn(-1.2, 1.2);
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        out[y * W + x] =
          (out[y * W + x] as number) + peak * Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * sigma ** 2));
      }
    }
  }
  for (let i = 0; i < out.length; i++)
    out[i] = Math.max(-1, Math.min(1, (out[i] as number) + 0.01 * rng.normal()));
  return out;
}

async function reference(
  stack: Float64Array,
  n: number,
  H: number,
  W: number,
): Promise<PhysicalParameters[]> {
  return withPython(
    { 'stack.f64': f64Bytes(stack) },
    {
      script: `${repoRoot}test/reference/solar_params.py`,
      args: ['{dir}/stack.f64', String(n), String(H), String(W), '{dir}/out.json'],
    },
    (dir) => readJson<PhysicalParameters[]>(`${dir}/out.json`),
  );
}

/** |a − b| ≤ 1e−6·max(|b|, scale): relative, with an absolute floor at the column's scale. */
function expectClose(ours: PhysicalParameters[], ref: PhysicalParameters[]): void {
  expect(ours.length).toBe(ref.length);
  for (const name of PARAMETER_NAMES) {
    const scale = Math.max(...ref.map((p) => Math.abs(p[name])), 1e-12);
    for (let i = 0; i < ref.length; i++) {
      const a = (ours[i] as PhysicalParameters)[name];
      const b = (ref[i] as PhysicalParameters)[name];
      // 1e−6 relative as the issue asks. Both sides sum float64 values in different orders, so
      // the true disagreement is ~1e−15; the floor at 1e−9 of the column's largest value only
      // matters for quantities that cancel to ~0 (net_flux, dipole_ew of symmetric patches).
      const tolerance = 1e-6 * Math.max(Math.abs(b), 1e-3 * scale);
      if (Math.abs(a - b) > tolerance) {
        throw new Error(`patch ${i} ${name}: ours ${a}, numpy/scipy ${b} (tolerance ${tolerance})`);
      }
    }
  }
}

describe('physicalParameters', () => {
  it('matches an independent numpy/scipy implementation on simulated regions (1e-6 relative)', async () => {
    const rng = new Random(11);
    const n = 24;
    const size = 32;
    const stack = new Float64Array(n * size * size);
    for (let k = 0; k < n; k++) {
      const { image } = simulateRegion(rng, { sizePx: size, pixelSizeMm: 2.9 });
      stack.set(toKG(image.data), k * size * size);
    }
    const ours = stackParameters(stack, size, size);
    // The set must exercise R > 0 and a spread of values, or the comparison proves little.
    expect(ours.filter((p) => p.r > 0).length).toBeGreaterThan(5);
    expectClose(ours, await reference(stack, n, size, size));
  });

  it('matches the reference on non-square blob images with features on the border', async () => {
    const rng = new Random(5);
    const [W, H, n] = [40, 24, 30];
    const stack = new Float64Array(n * W * H);
    for (let k = 0; k < n; k++) stack.set(blobImage(rng, W, H), k * W * H);
    // One patch with missing pixels: NaN counts as 0 on both sides.
    stack[3 * W * H + 17] = Number.NaN;
    const ours = stackParameters(stack, W, H);
    expect(ours.some((p) => p.flag !== 0)).toBe(true);
    expect(ours.some((p) => p.flag === 0 && p.r > 0)).toBe(true);
    expectClose(ours, await reference(stack, n, H, W));
  });

  it('flags a missing polarity instead of returning NaN', () => {
    const W = 16;
    const onlyPositive = new Float64Array(W * W);
    onlyPositive[5 * W + 5] = 0.8;
    onlyPositive[9 * W + 9] = -0.1; // below the 0.15 threshold in magnitude
    const p = physicalParameters({ width: W, height: W, data: onlyPositive });
    expect(p.flag).toBe(FLAG_NO_NEGATIVE);
    expect([p.psep, p.r, p.tilt]).toEqual([0, 0, 0]);
    expect(p.tuf).toBeCloseTo(0.9 / (W * W), 15);
    const empty = physicalParameters({ width: W, height: W, data: new Float64Array(W * W) });
    expect(empty.flag).toBe(FLAG_NO_POSITIVE | FLAG_NO_NEGATIVE);
    for (const name of PARAMETER_NAMES) expect(Number.isFinite(empty[name])).toBe(true);
  });

  it('gives the signs the definitions promise: positive east of negative → dipole_ew > 0', () => {
    const W = 20;
    const data = new Float64Array(W * W);
    data[10 * W + 15] = 0.5; // positive on the right (+x)
    data[10 * W + 4] = -0.5;
    const p = physicalParameters({ width: W, height: W, data });
    expect(p.dipole_ew).toBeGreaterThan(0);
    expect(p.net_flux).toBe(0);
    expect(p.tilt).toBe(0);
    expect(p.psep).toBeCloseTo(11 / Math.sqrt(2 * W * W), 12);
    // 11 px apart: the 7×7 dilations (reach 3 px) do not meet, so R is 0.
    expect(p.r).toBe(0);
  });
});
