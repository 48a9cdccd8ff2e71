/**
 * Candidate transients: peaks of S_corr beyond a threshold, with their PSF-photometry flux
 * (Zackay et al. 2016, eqs. 41-42: α = S / F_S, σ_α = √V(S) / F_S).
 *
 * Pixels beyond the threshold are grouped into 8-connected islands (positive and negative
 * separately); each island gives one detection at its extreme pixel, refined to sub-pixel
 * precision by a parabola through the neighbours. NaN pixels (masked) are never part of an island.
 */
import type { Image } from '../image/types.js';

/** One detection. `scorr` and `flux` are negative for a source that faded. */
export interface Detection {
  readonly x: number;
  readonly y: number;
  readonly scorr: number;
  readonly flux: number;
  readonly fluxErr: number;
  /** Pixels in the island beyond the threshold. */
  readonly area: number;
}

export interface DetectOptions {
  /** |S_corr| threshold. @default 5 */
  readonly threshold?: number;
  /** Which signs to report. @default 'both' */
  readonly sign?: 'positive' | 'negative' | 'both';
}

function refine(get: (x: number, y: number) => number, x: number, y: number): [number, number] {
  const c = get(x, y);
  const off = (a: number, b: number): number => {
    const curvature = a - 2 * c + b;
    return Number.isFinite(curvature) && curvature !== 0 && Math.sign(curvature) !== Math.sign(c)
      ? Math.max(-0.5, Math.min(0.5, (0.5 * (a - b)) / curvature))
      : 0;
  };
  return [x + off(get(x - 1, y), get(x + 1, y)), y + off(get(x, y - 1), get(x, y + 1))];
}

/**
 * Detections in S_corr, with fluxes from the score S and its variance V.
 * `fluxZeroPointScore` is F_S (eq. 41), one number or one per pixel.
 */
export function detectTransients(
  scoreCorr: Image,
  score: Image,
  scoreVariance: Image,
  fluxZeroPointScore: number | Float64Array,
  options: DetectOptions = {},
): Detection[] {
  const threshold = options.threshold ?? 5;
  const sign = options.sign ?? 'both';
  const { width, height, data } = scoreCorr;
  const label = new Int32Array(data.length);
  const stack: number[] = [];
  const out: Detection[] = [];
  const fs = (i: number): number =>
    typeof fluxZeroPointScore === 'number' ? fluxZeroPointScore : fluxZeroPointScore[i]!;
  const get = (x: number, y: number): number =>
    x < 0 || y < 0 || x >= width || y >= height ? Number.NaN : data[y * width + x]!;
  for (const s of sign === 'both' ? [1, -1] : sign === 'positive' ? [1] : [-1]) {
    label.fill(0);
    for (let start = 0; start < data.length; start++) {
      if (label[start] !== 0 || !(s * data[start]! > threshold)) continue;
      label[start] = 1;
      stack.push(start);
      let best = start;
      let area = 0;
      while (stack.length > 0) {
        const i = stack.pop()!;
        area++;
        if (s * data[i]! > s * data[best]!) best = i;
        const x = i % width;
        const y = (i - x) / width;
        for (let dy = -1; dy <= 1; dy++) {
          const yy = y + dy;
          if (yy < 0 || yy >= height) continue;
          for (let dx = -1; dx <= 1; dx++) {
            const xx = x + dx;
            if (xx < 0 || xx >= width) continue;
            const j = yy * width + xx;
            if (label[j] === 0 && s * data[j]! > threshold) {
              label[j] = 1;
              stack.push(j);
            }
          }
        }
      }
      const bx = best % width;
      const by = (best - bx) / width;
      const [x, y] = refine(get, bx, by);
      // The flux is S/F_S at the true (sub-pixel) peak: the peak pixel alone reads low by up to a
      // few per cent, so S is interpolated to the refined position (parabolas along x and y).
      const sAt = (xx: number, yy: number): number =>
        xx < 0 || yy < 0 || xx >= width || yy >= height ? Number.NaN : score.data[yy * width + xx]!;
      const sPeak =
        score.data[best]! +
        parabolaGain(sAt(bx - 1, by), score.data[best]!, sAt(bx + 1, by)) +
        parabolaGain(sAt(bx, by - 1), score.data[best]!, sAt(bx, by + 1));
      out.push({
        x,
        y,
        scorr: data[best]!,
        flux: sPeak / fs(best),
        fluxErr: Math.sqrt(scoreVariance.data[best]!) / fs(best),
        area,
      });
    }
  }
  return out.sort((a, b) => Math.abs(b.scorr) - Math.abs(a.scorr));
}

/** How much the vertex of the parabola through (−1, l), (0, c), (1, r) exceeds c (0 if not a peak). */
function parabolaGain(l: number, c: number, r: number): number {
  const curvature = l - 2 * c + r;
  if (!Number.isFinite(curvature) || curvature === 0 || Math.sign(curvature) === Math.sign(c)) return 0;
  const offset = (0.5 * (l - r)) / curvature;
  if (Math.abs(offset) > 0.5) return 0;
  return -((l - r) ** 2) / (8 * curvature);
}
