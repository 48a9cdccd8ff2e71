/**
 * ZOGY on a 2048×2048 pair with given PSFs: asterism (steps/lib/zogy) against the independent
 * numpy implementation (test/reference/zogy_numpy.py) on the same inputs, one core each.
 *
 * Run: `npm run bench:zogy` (optionally `-- --size 1024 --repeat 3`). Lower time is better;
 * ratio = numpy time / ours (> 1: we are faster).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Image } from '../steps/lib/image/types.js';
import { Random } from '../steps/lib/random.js';
import { type ZogyInput, zogy } from '../steps/lib/zogy/core.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

function gaussianStamp(size: number, sigma: number): Image {
  const data = new Float64Array(size * size);
  const c = (size - 1) / 2;
  let sum = 0;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const v = Math.exp(-((x - c) ** 2 + (y - c) ** 2) / (2 * sigma * sigma));
      data[y * size + x] = v;
      sum += v;
    }
  }
  for (let i = 0; i < data.length; i++) data[i]! /= sum;
  return { width: size, height: size, data };
}

function noise(size: number, sigma: number, seed: number): Image {
  const rng = new Random(seed);
  const data = new Float64Array(size * size);
  for (let i = 0; i < data.length; i++) data[i] = sigma * rng.normal();
  return { width: size, height: size, data };
}

function writeF64(path: string, data: Float64Array): void {
  writeFileSync(path, Buffer.from(data.buffer, data.byteOffset, data.byteLength));
}

const size = arg('size', 2048);
const repeat = arg('repeat', 2);
const input: ZogyInput = {
  newImage: noise(size, 12, 1),
  refImage: noise(size, 8, 2),
  psfNew: gaussianStamp(31, 2.6),
  psfRef: gaussianStamp(31, 1.7),
  sigmaNew: 12,
  sigmaRef: 8,
  fluxZeroPointNew: 1,
  fluxZeroPointRef: 0.9,
  gainNew: 1.5,
  gainRef: 1.5,
  sigmaAstX: 0.05,
  sigmaAstY: 0.05,
};

let ours = Number.POSITIVE_INFINITY;
for (let r = 0; r < repeat; r++) {
  const t0 = performance.now();
  zogy(input);
  ours = Math.min(ours, (performance.now() - t0) / 1000);
}

const dir = mkdtempSync(join(tmpdir(), 'bench-zogy-'));
try {
  writeFileSync(
    join(dir, 'meta.json'),
    JSON.stringify({
      width: size,
      height: size,
      psf_size: 31,
      sigma_n: input.sigmaNew,
      sigma_r: input.sigmaRef,
      F_n: input.fluxZeroPointNew,
      F_r: input.fluxZeroPointRef,
      gain_n: input.gainNew,
      gain_r: input.gainRef,
      sigma_x: input.sigmaAstX,
      sigma_y: input.sigmaAstY,
    }),
  );
  writeF64(join(dir, 'N.f64'), input.newImage.data);
  writeF64(join(dir, 'R.f64'), input.refImage.data);
  writeF64(join(dir, 'Pn.f64'), input.psfNew.data);
  writeF64(join(dir, 'Pr.f64'), input.psfRef.data);
  const script = fileURLToPath(new URL('../test/reference/zogy_numpy.py', import.meta.url));
  // One core for numpy too: pocketfft is single-threaded, and these pin any BLAS pool.
  const env = { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
  execFileSync('/usr/bin/python3', [script, dir, '--repeat', String(repeat)], { env, stdio: 'inherit' });
  const peer = (JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8')) as { seconds: number }).seconds;

  console.log(`ZOGY ${size}x${size}, PSF stamps 31x31, best of ${repeat} (seconds; lower is better)`);
  console.log('| implementation            | seconds |');
  console.log('|---------------------------|---------|');
  console.log(`| asterism (TypeScript)     | ${ours.toFixed(3).padStart(7)} |`);
  console.log(`| numpy (zogy_numpy.py)     | ${peer.toFixed(3).padStart(7)} |`);
  console.log(`ratio = numpy / asterism = ${(peer / ours).toFixed(2)} (> 1: asterism faster)`);
  console.log(
    JSON.stringify({ bench: 'zogy', unit: 's', ours, peer: 'numpy', peerValue: peer, ratio: peer / ours }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
