/**
 * ZOGY on a 2048×2048 pair with given PSFs: asterism (steps/lib/zogy) against the independent
 * numpy implementation (test/reference/zogy_numpy.py) on the same inputs, one core each.
 *
 * Run: `npm run bench:zogy` (optionally `-- --size 1024 --repeat 3`). Lower time is better;
 * ratio = numpy time / ours (> 1: we are faster). Both sides record CPU time (node:
 * process.cpuUsage, which also counts V8's helper threads, so it errs against us; numpy:
 * time.process_time) as well as wall time: both are single-threaded, so CPU time is the "one core"
 * figure, and unlike wall time it does not count waiting for a core on a loaded machine. The JSON
 * line uses the best CPU time of each. The FFT behind ours is named in the table: the native addon's
 * when it is built, else the TypeScript fallback (force that with ASTERISM_FFT=js).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fftBackend } from '../steps/lib/image/fft.js';
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
let oursWall = Number.POSITIVE_INFINITY;
for (let r = 0; r < repeat; r++) {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  zogy(input);
  oursWall = Math.min(oursWall, (performance.now() - t0) / 1000);
  const used = process.cpuUsage(cpu0);
  ours = Math.min(ours, (used.user + used.system) / 1e6);
}

/** Times the reference's zogy() in CPU and wall seconds (the script's own timer is wall only). */
const TIMER = `
import importlib.util, json, sys, time
import numpy as np
script, folder, repeat = sys.argv[1], sys.argv[2], int(sys.argv[3])
spec = importlib.util.spec_from_file_location("zogy_numpy", script)
ref = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ref)
with open(f"{folder}/meta.json") as f:
    m = json.load(f)
h, w, k = m["height"], m["width"], m["psf_size"]
load = lambda name, shape: np.fromfile(f"{folder}/{name}.f64", dtype="<f8").reshape(shape)
N, R, Pn, Pr = load("N", (h, w)), load("R", (h, w)), load("Pn", (k, k)), load("Pr", (k, k))
cpu, wall = float("inf"), float("inf")
for _ in range(repeat):
    c, t = time.process_time(), time.perf_counter()
    ref.zogy(N, R, Pn, Pr, m)
    cpu, wall = min(cpu, time.process_time() - c), min(wall, time.perf_counter() - t)
print(json.dumps({"cpu": cpu, "wall": wall}))
`;

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
  const timed = execFileSync('/usr/bin/python3', ['-c', TIMER, script, dir, String(repeat)], {
    env,
    encoding: 'utf8',
  });
  const { cpu: peer, wall: peerWall } = JSON.parse(timed.trim().split('\n').at(-1)!) as {
    cpu: number;
    wall: number;
  };

  console.log(
    `ZOGY ${size}x${size}, PSF stamps 31x31, best of ${repeat} (seconds; lower is better); ` +
      `load average ${loadavg()[0]!.toFixed(2)}`,
  );
  const name = `asterism (FFT: ${fftBackend()})`;
  const width = Math.max(name.length, 'numpy (zogy_numpy.py)'.length);
  console.log(`| ${'implementation'.padEnd(width)} | CPU s   | wall s  |`);
  console.log(`|${'-'.repeat(width + 2)}|---------|---------|`);
  console.log(
    `| ${name.padEnd(width)} | ${ours.toFixed(3).padStart(7)} | ${oursWall.toFixed(3).padStart(7)} |`,
  );
  console.log(
    `| ${'numpy (zogy_numpy.py)'.padEnd(width)} | ${peer.toFixed(3).padStart(7)} | ${peerWall.toFixed(3).padStart(7)} |`,
  );
  console.log(`ratio = numpy / asterism (CPU) = ${(peer / ours).toFixed(2)} (> 1: asterism faster)`);
  console.log(
    JSON.stringify({ bench: 'zogy', unit: 's', ours, peer: 'numpy', peerValue: peer, ratio: peer / ours }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
