/**
 * 2-D complex FFT of a 2048×2048 float64 image: ours against `numpy.fft.fft2` on one core.
 *
 *   npm run bench:fft [-- --size 2048 --repeats 7]
 *
 * numpy runs in a /usr/bin/python3 child with OMP/OPENBLAS/MKL threads = 1 (its pocketfft is
 * single-threaded anyway) that stays up for the whole run; the two sides take turns, one transform
 * each, so a burst of load on a shared machine hits both alike. Each side transforms fresh uniform
 * random input of the same shape after a warm-up call. We report the best (minimum) and the median
 * wall time; the ratio uses the minimum, the usual estimator for micro-benchmarks on a busy machine.
 * The final JSON line has ratio = numpy time / our time: above 1 we are faster; the target is ≥ 0.5.
 */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { fft2InPlace } from '../steps/lib/image/fft.js';

const { values } = parseArgs({
  options: { size: { type: 'string', default: '2048' }, repeats: { type: 'string', default: '7' } },
});
const size = Number(values.size);
const repeats = Number(values.repeats);

const PEER = `
import sys, time, numpy as np
n = int(sys.argv[1])
rng = np.random.default_rng(0)
a = rng.random((n, n)) + 1j * rng.random((n, n))
np.fft.fft2(a)
print('ready', np.__version__, flush=True)
for line in sys.stdin:
    t = time.perf_counter(); np.fft.fft2(a); dt = time.perf_counter() - t
    print(dt, flush=True)
`;

const peer = spawn('/usr/bin/python3', ['-c', PEER, String(size)], {
  env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' },
  stdio: ['pipe', 'pipe', 'inherit'],
});
const lines = createInterface({ input: peer.stdout })[Symbol.asyncIterator]();

async function nextLine(): Promise<string> {
  const { value, done } = await lines.next();
  if (done) throw new Error('the numpy peer exited early');
  return value;
}

const n = size * size;
const re = new Float64Array(n);
const im = new Float64Array(n);
function fillRandom(): void {
  for (let i = 0; i < n; i++) {
    re[i] = Math.random();
    im[i] = Math.random();
  }
}
fillRandom();
fft2InPlace({ width: size, height: size, re, im });

const ready = (await nextLine()).split(' ');
const numpyVersion = ready[1] ?? 'unknown';
const ours: number[] = [];
const numpy: number[] = [];
for (let r = 0; r < repeats; r++) {
  fillRandom();
  const start = performance.now();
  fft2InPlace({ width: size, height: size, re, im });
  ours.push((performance.now() - start) / 1000);
  peer.stdin.write('go\n');
  numpy.push(Number(await nextLine()));
}
peer.stdin.end();

const min = (xs: number[]): number => Math.min(...xs);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ratio = min(numpy) / min(ours);

console.log(
  `2-D complex FFT, ${size}×${size} float64, ${repeats} alternating runs (seconds, lower is better)`,
);
console.table([
  {
    implementation: 'asterism fft2InPlace',
    best: Number(min(ours).toFixed(4)),
    median: Number(median(ours).toFixed(4)),
  },
  {
    implementation: `numpy ${numpyVersion} fft.fft2 (1 thread)`,
    best: Number(min(numpy).toFixed(4)),
    median: Number(median(numpy).toFixed(4)),
  },
]);
console.log(`ratio numpy/ours (best times) = ${ratio.toFixed(3)}: higher is better for us; target ≥ 0.5`);
console.log(
  JSON.stringify({
    bench: 'fft',
    unit: 's',
    ours: Number(min(ours).toFixed(5)),
    peer: `numpy.fft.fft2 ${numpyVersion}`,
    peerValue: Number(min(numpy).toFixed(5)),
    ratio: Number(ratio.toFixed(4)),
  }),
);
