/**
 * 2-D complex FFT of a 2048×2048 float64 image: ours against `numpy.fft.fft2` on one core.
 *
 *   npm run bench:fft [-- --size 2048 --repeats 5]
 *
 * Both sides transform the same kind of input (uniform random re and im), after one warm-up call,
 * and report the median wall time of `repeats` calls. numpy runs in /usr/bin/python3 in this same
 * run with OMP/OPENBLAS/MKL threads = 1 (its pocketfft is single-threaded anyway).
 * The final JSON line has ratio = numpy time / our time: above 1 we are faster, the target is ≥ 0.5.
 */
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { fft2InPlace } from '../steps/lib/image/fft.js';

const { values } = parseArgs({
  options: { size: { type: 'string', default: '2048' }, repeats: { type: 'string', default: '5' } },
});
const size = Number(values.size);
const repeats = Number(values.repeats);

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function timeOurs(): number {
  const n = size * size;
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  const fill = (): void => {
    for (let i = 0; i < n; i++) {
      re[i] = Math.random();
      im[i] = Math.random();
    }
  };
  fill();
  fft2InPlace({ width: size, height: size, re, im });
  const samples: number[] = [];
  for (let r = 0; r < repeats; r++) {
    fill();
    const start = performance.now();
    fft2InPlace({ width: size, height: size, re, im });
    samples.push((performance.now() - start) / 1000);
  }
  return median(samples);
}

function timeNumpy(): { seconds: number; version: string } {
  const script = `
import time, numpy as np
n, repeats = ${size}, ${repeats}
rng = np.random.default_rng(0)
a = rng.random((n, n)) + 1j * rng.random((n, n))
np.fft.fft2(a)
samples = []
for _ in range(repeats):
    t = time.perf_counter(); np.fft.fft2(a); samples.append(time.perf_counter() - t)
print(sorted(samples)[len(samples) // 2], np.__version__)
`;
  const out = execFileSync('/usr/bin/python3', ['-c', script], {
    env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' },
    encoding: 'utf8',
  });
  const [seconds, version] = out.trim().split(/\s+/);
  return { seconds: Number(seconds), version: version ?? 'unknown' };
}

const ours = timeOurs();
const numpy = timeNumpy();
const ratio = numpy.seconds / ours;

console.log(`2-D complex FFT, ${size}×${size} float64, median of ${repeats} (lower time is better)`);
console.table([
  { implementation: 'asterism fft2InPlace', seconds: Number(ours.toFixed(4)) },
  { implementation: `numpy ${numpy.version} fft.fft2 (1 thread)`, seconds: Number(numpy.seconds.toFixed(4)) },
]);
console.log(`ratio numpy/ours = ${ratio.toFixed(3)} (higher is better for us; target ≥ 0.5)`);
console.log(
  JSON.stringify({
    bench: 'fft',
    unit: 's',
    ours: Number(ours.toFixed(5)),
    peer: `numpy.fft.fft2 ${numpy.version}`,
    peerValue: Number(numpy.seconds.toFixed(5)),
    ratio: Number(ratio.toFixed(4)),
  }),
);
