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

/**
 * A tiny real/bogus data set: `nFields` fields of `size`², each with a real transient (a
 * Gaussian bump of S_corr 12, mask value 1 within 2 px) and a hot pixel (S_corr 15 in one pixel,
 * mask value 2) on unit-variance noise; science and reference epochs are sky + noise.
 * Returns the folders and the truth catalog path.
 */
export async function writeTinyDataSet(
  root: string,
  nFields: number,
  size = 32,
): Promise<{ difference: string; science: string; reference: string; masks: string; truth: string }> {
  const { Random } = await import('../../../../steps/lib/random.js');
  const { writeFile } = await import('node:fs/promises');
  const rng = new Random(99);
  const dirs = {
    difference: await folder(root, 'difference'),
    science: await folder(root, 'science'),
    reference: await folder(root, 'reference'),
    masks: await folder(root, 'masks'),
  };
  const truthLines = ['x,y,field,kind,real,flux,snr'];
  for (let f = 0; f < nFields; f++) {
    const field = `field-${String(f).padStart(2, '0')}`;
    const scorr = rng.normalArray(size * size);
    const mask = new Uint8Array(size * size);
    const sx = 6 + rng.integer(size - 12);
    const sy = 6 + rng.integer(size - 12);
    addBump(scorr, size, sx, sy, 12);
    for (let y = 0; y < size; y++)
      for (let x = 0; x < size; x++) if ((x - sx) ** 2 + (y - sy) ** 2 <= 4) mask[y * size + x] = 1;
    let hx = rng.integer(size);
    let hy = rng.integer(size);
    while (Math.hypot(hx - sx, hy - sy) < 6) {
      hx = rng.integer(size);
      hy = rng.integer(size);
    }
    scorr[hy * size + hx] = 15;
    mask[hy * size + hx] = 2;
    truthLines.push(`${sx},${sy},${field},supernova,1,1000,12`, `${hx},${hy},${field},hot_pixel,0,500,15`);
    writeDifference(join(dirs.difference, `${field}.fits`), size, scorr, scorr);
    const epoch = (): Float64Array => Float64Array.from(rng.normalArray(size * size), (v) => 1000 + 30 * v);
    writeFits(join(dirs.science, `${field}.fits`), [{ data: { width: size, height: size, data: epoch() } }]);
    writeFits(join(dirs.reference, `${field}.fits`), [
      { data: { width: size, height: size, data: epoch() } },
    ]);
    writeFits(join(dirs.masks, `${field}.fits`), [{ data: { axes: [size, size], data: mask } }]);
  }
  const truth = join(root, 'truth.csv');
  await writeFile(truth, `${truthLines.join('\n')}\n`);
  return { ...dirs, truth };
}
