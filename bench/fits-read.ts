/**
 * Reading a 4096×4096 float32 FITS image, data touched, against astropy.io.fits in the same run
 * on the same file. Like with like: astropy's `fits.getdata(path, memmap=False)` gives a float32
 * array (the file's type), and so does our `readFitsArray`; both then sum every pixel in float64.
 * The float64 `Image` path (`readFitsImage`, fresh and into a reused array) is timed alongside.
 * The readers take turns (ours, astropy, ours, ...) so that load from other processes falls on
 * both alike; the best and the median of the turns are reported.
 *
 *   npm run bench:fits                    9 turns each
 *   npm run bench:fits -- --size 2048 --turns 5
 *   ASTERISM_FITS_NATIVE=0 npm run bench:fits     the pure-JS reader instead of the native one
 *
 * Times are wall milliseconds per read + sum (lower is better). The JSON line is in reads per
 * second of the best turn, so its ratio (ours / astropy) is > 1 when we are faster. Memory: the
 * peak resident memory added by one read + sum, each reader in a fresh child process.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fitsNative } from '../steps/lib/fits/image-data.js';
import { readFitsArray, readFitsImage } from '../steps/lib/fits/index.js';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};

/**
 * Sum every pixel in float64 with eight running sums, as numpy's pairwise sum keeps eight (one
 * sum would time the additions' latency, not the reader). One function per array type keeps
 * each loop monomorphic.
 */
function sum32(data: Float32Array): number {
  let s0 = 0,
    s1 = 0,
    s2 = 0,
    s3 = 0,
    s4 = 0,
    s5 = 0,
    s6 = 0,
    s7 = 0;
  const n8 = data.length - (data.length % 8);
  for (let i = 0; i < n8; i += 8) {
    s0 += data[i]!;
    s1 += data[i + 1]!;
    s2 += data[i + 2]!;
    s3 += data[i + 3]!;
    s4 += data[i + 4]!;
    s5 += data[i + 5]!;
    s6 += data[i + 6]!;
    s7 += data[i + 7]!;
  }
  for (let i = n8; i < data.length; i++) s0 += data[i]!;
  return s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7;
}

function sum64(data: Float64Array): number {
  let s0 = 0,
    s1 = 0,
    s2 = 0,
    s3 = 0,
    s4 = 0,
    s5 = 0,
    s6 = 0,
    s7 = 0;
  const n8 = data.length - (data.length % 8);
  for (let i = 0; i < n8; i += 8) {
    s0 += data[i]!;
    s1 += data[i + 1]!;
    s2 += data[i + 2]!;
    s3 += data[i + 3]!;
    s4 += data[i + 4]!;
    s5 += data[i + 5]!;
    s6 += data[i + 6]!;
    s7 += data[i + 7]!;
  }
  for (let i = n8; i < data.length; i++) s0 += data[i]!;
  return s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7;
}

const readArray = (path: string): number => sum32(readFitsArray(path).data as Float32Array);
const readImage = (path: string): number => sum64(readFitsImage(path).image.data);

/** Wall and CPU milliseconds of one call. */
function timed(fn: () => number): { ms: number; cpuMs: number; sum: number } {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const sum = fn();
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { ms, cpuMs: (used.user + used.system) / 1000, sum };
}

/** The astropy peer as a long-lived process: each input line asks for one timed read + sum. */
const PEER = `import sys, time, json
from astropy.io import fits
path = sys.argv[1]
for line in sys.stdin:
    c = time.process_time()
    t = time.perf_counter()
    data = fits.getdata(path, memmap=False)
    s = float(data.sum(dtype='float64'))
    ms = (time.perf_counter() - t) * 1000
    cpu = (time.process_time() - c) * 1000
    assert data.dtype.name == 'float32', data.dtype
    del data
    print(json.dumps({'ms': ms, 'cpuMs': cpu, 'sum': s}), flush=True)`;

/**
 * Peak resident memory of this process so far (VmHWM, KiB). Not getrusage's maxRSS: Linux carries
 * that over from the parent through fork and exec, so a child would start at the bench's peak.
 */
function peakKiB(): number {
  return Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? Number.NaN);
}

/** In a fresh process: peak resident memory added by one read + sum, in MiB. */
function peakGrowthMiB(path: string, reader: 'array' | 'image' | 'astropy'): number {
  if (reader === 'astropy') {
    const out = execFileSync('/usr/bin/python3', [
      '-c',
      `import sys, re, numpy
from astropy.io import fits
hwm = lambda: int(re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1))
before = hwm()
float(fits.getdata(sys.argv[1], memmap=False).sum(dtype='float64'))
print((hwm() - before) / 1024)`,
      path,
    ]);
    return Number(out.toString());
  }
  const child = spawnSync(
    process.execPath,
    [...process.execArgv, process.argv[1]!, '--child', reader, path],
    {
      encoding: 'utf8',
    },
  );
  if (child.status !== 0) throw new Error(`memory child failed: ${child.stderr}`);
  return Number(child.stdout.trim());
}

function child(reader: string, path: string): void {
  fitsNative(); // loads the addon before the baseline
  const before = peakKiB();
  if (reader === 'array') readArray(path);
  else readImage(path);
  console.log(((peakKiB() - before) / 1024).toFixed(1));
}

const best = (v: number[]): number => Math.min(...v);
const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;

async function main(): Promise<void> {
  const size = arg('--size', 4096);
  const turns = arg('--turns', 9);
  const dir = mkdtempSync(join(tmpdir(), 'bench-fits-'));
  const path = join(dir, 'image.fits');
  try {
    execFileSync('/usr/bin/python3', [
      '-c',
      `import sys, numpy as np
from astropy.io import fits
rng = np.random.default_rng(0)
fits.writeto(sys.argv[1], rng.normal(1000, 30, (${size}, ${size})).astype(np.float32))`,
      path,
    ]);
    const fileMiB = statSync(path).size / 2 ** 20;
    const peer = spawn('/usr/bin/python3', ['-c', PEER, path], { stdio: ['pipe', 'pipe', 'inherit'] });
    const lines = createInterface({ input: peer.stdout })[Symbol.asyncIterator]();
    const astropy = async (): Promise<{ ms: number; cpuMs: number; sum: number }> => {
      peer.stdin.write('go\n');
      const next = await lines.next();
      if (next.done === true) throw new Error('the astropy peer exited early');
      return JSON.parse(next.value) as { ms: number; cpuMs: number; sum: number };
    };

    // One warm-up each (page cache, JIT, imports), then alternate.
    readArray(path);
    readImage(path);
    await astropy();
    const reusable = new Float64Array(size * size);
    const rows = {
      array: [] as ReturnType<typeof timed>[],
      image: [] as ReturnType<typeof timed>[],
      reused: [] as ReturnType<typeof timed>[],
      astropy: [] as ReturnType<typeof timed>[],
    };
    for (let i = 0; i < turns; i++) {
      rows.array.push(timed(() => readArray(path)));
      rows.astropy.push(await astropy());
      rows.image.push(timed(() => readImage(path)));
      rows.reused.push(timed(() => sum64(readFitsImage(path, { into: reusable }).image.data)));
    }
    peer.stdin.end();
    const sums = [...rows.array, ...rows.image, ...rows.reused].map((r) => r.sum);
    const reference = rows.astropy[0]!.sum;
    const agree = sums.every((s) => Math.abs(s - reference) <= 1e-9 * Math.abs(reference));
    const memory = {
      array: peakGrowthMiB(path, 'array'),
      image: peakGrowthMiB(path, 'image'),
      astropy: peakGrowthMiB(path, 'astropy'),
    };

    const stat = (r: ReturnType<typeof timed>[]) => ({
      best: best(r.map((x) => x.ms)),
      median: median(r.map((x) => x.ms)),
      cpu: median(r.map((x) => x.cpuMs)),
    });
    const s = {
      array: stat(rows.array),
      image: stat(rows.image),
      reused: stat(rows.reused),
      astropy: stat(rows.astropy),
    };
    const native = process.env.ASTERISM_FITS_NATIVE === '0' ? 'pure-JS reader' : 'native reader';
    const line = (name: string, x: { best: number; median: number; cpu: number }, peak: string): string =>
      `${name.padEnd(44)}${x.best.toFixed(1).padStart(7)}${x.median.toFixed(1).padStart(9)}${x.cpu.toFixed(1).padStart(9)}${(s.astropy.best / x.best).toFixed(2).padStart(8)}  ${peak}`;
    const peak = (mib: number): string => `${mib.toFixed(1)} MiB (${(mib / fileMiB).toFixed(2)}× file)`;
    console.log(
      `FITS read + float64 sum, ${size}×${size} float32 (${fileMiB.toFixed(1)} MiB), ${turns} alternating turns, ${native}, load average ${loadavg()[0]!.toFixed(2)}`,
    );
    console.log(`${'reader'.padEnd(44)}   best   median  cpu(med)  ratio  peak memory added`);
    console.log(`${''.padEnd(44)}     ms       ms       ms  (>1: asterism faster)`);
    console.log(line('asterism readFitsArray → Float32Array', s.array, peak(memory.array)));
    console.log(line('astropy fits.getdata(memmap=False) → >f4', s.astropy, peak(memory.astropy)));
    console.log(line('asterism readFitsImage → Float64Array', s.image, peak(memory.image)));
    console.log(line('asterism readFitsImage, into a reused array', s.reused, '-'));
    // Each turn times ours and astropy back to back, so a per-turn ratio sees nearly the same
    // load on both sides: its median is steadier than the ratio of bests on a busy machine.
    const perTurn = rows.array.map((r, i) => rows.astropy[i]!.ms / r.ms);
    console.log(
      `median of per-turn ratios astropy / readFitsArray: ${median(perTurn).toFixed(2)} (turns: ${perTurn.map((r) => r.toFixed(2)).join(' ')})`,
    );
    console.log(`sums agree with astropy's: ${agree ? 'yes' : 'NO'}`);
    console.log(
      JSON.stringify({
        bench: 'fits-read',
        unit: 'reads/s',
        ours: 1000 / s.array.best,
        peer: 'astropy.io.fits',
        peerValue: 1000 / s.astropy.best,
        ratio: s.astropy.best / s.array.best,
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') child(process.argv[3]!, process.argv[4]!);
else await main();
