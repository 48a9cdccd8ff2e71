/** Shared by the real/bogus step tests: a real StepContext on a temporary folder, and fixtures. */
import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StepContext } from '../../../../engine/index.js';
import { writeFits } from '../../../../steps/lib/fits/index.js';

/** Progress calls and log lines a step made. */
export interface Recorded {
  readonly progress: [number, number][];
  readonly lines: string[];
}

/** A context for `run(ctx)` with its own output folder. */
export async function makeContext<P>(
  params: P,
  options: { signal?: AbortSignal; seed?: number; step?: string } = {},
): Promise<{ ctx: StepContext<P>; recorded: Recorded }> {
  const outDir = await mkdtemp(join(tmpdir(), 'asterism-step-'));
  const recorded: Recorded = { progress: [], lines: [] };
  const ctx: StepContext<P> = {
    params,
    outDir,
    signal: options.signal ?? new AbortController().signal,
    log: {
      info: (m) => recorded.lines.push(`info: ${m}`),
      warn: (m) => recorded.lines.push(`warn: ${m}`),
      debug: () => {},
    },
    progress: (done, total) => recorded.progress.push([done, total]),
    seed: options.seed ?? 1,
    provenance: { step: options.step ?? 'test', version: '1', id: 'test', key: 'abc123', recipe: 'test' },
    recipeDir: outDir,
  };
  return { ctx, recorded };
}

/** A Gaussian bump of peak `amplitude` and σ `sigmaPx` added at (x0, y0). */
export function addBump(
  data: Float64Array,
  width: number,
  x0: number,
  y0: number,
  amplitude: number,
  sigmaPx = 1.2,
): void {
  const height = data.length / width;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      data[y * width + x]! += amplitude * Math.exp(-((x - x0) ** 2 + (y - y0) ** 2) / (2 * sigmaPx ** 2));
    }
  }
}

/** Write a difference-set member: primary DIFF, SCORR and PSF_D extensions, as `difference` does. */
export function writeDifference(path: string, width: number, diff: Float64Array, scorr: Float64Array): void {
  const psf = new Float64Array(25);
  addBump(psf, 5, 2, 2, 1);
  writeFits(path, [
    { data: { axes: [width, diff.length / width], data: Float32Array.from(diff) }, extname: 'DIFF' },
    { data: { axes: [width, scorr.length / width], data: Float32Array.from(scorr) }, extname: 'SCORR' },
    { data: { axes: [5, 5], data: psf }, extname: 'PSF_D' },
  ]);
}

/** Make a folder (parents included) and return it. */
export async function folder(...parts: string[]): Promise<string> {
  const dir = join(...parts);
  await mkdir(dir, { recursive: true });
  return dir;
}
