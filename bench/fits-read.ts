/**
 * Reading a 4096×4096 float32 FITS image, data touched: asterism's reader (float64 `Image`) vs
 * astropy.io.fits (memmap=False, then a sum over the array), in the same run on the same file.
 * The two readers take turns (ours, astropy, ours, ...) so that load from other processes on the
 * machine falls on both alike.
 *
 *   npm run bench:fits                    7 turns each, median reported
 *   npm run bench:fits -- --size 2048
 *
 * Times are wall milliseconds per read (lower is better); the JSON ratio is astropy time / our
 * time, so > 1 means we are faster. Memory: the growth of our process's resident memory during
 * one read (the float64 result, 2× the float32 file, and nothing else), against the file's size.
 * ASTERISM_FITS_NATIVE=0 times the pure-JS reader instead of the native addon's.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { readFitsImage, readFitsRaw } from '../steps/lib/fits/index.js';

const sizeArg = process.argv.indexOf('--size');
const size = sizeArg >= 0 ? Number(process.argv[sizeArg + 1]) : 4096;
const turns = 7;
const dir = mkdtempSync(join(tmpdir(), 'bench-fits-'));
const path = join(dir, 'image.fits');

/**
 * Sum every pixel (in a function, so V8 optimises the loop). Eight running sums, as numpy's
 * pairwise sum keeps eight: with one, the loop waits on each addition's latency and times the
 * summation rather than the reader (about 25 ms for 16 M pixels, against numpy's ~8 ms).
 */
function touch(data: Float64Array | Float32Array): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let s4 = 0;
  let s5 = 0;
  let s6 = 0;
  let s7 = 0;
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

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** The astropy peer as a long-lived process: each input line asks for one timed read. */
const PEER = `import sys, time, json
from astropy.io import fits
path = sys.argv[1]
for line in sys.stdin:
    t = time.perf_counter()
    data = fits.getdata(path, memmap=False)
    read = (time.perf_counter() - t) * 1000
    s = float(data.sum(dtype='float64'))
    ms = (time.perf_counter() - t) * 1000
    del data
    print(json.dumps({'ms': ms, 'readMs': read, 'sum': s}), flush=True)`;

async function main(): Promise<void> {
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
  const peerRead = async (): Promise<{ ms: number; readMs: number; sum: number }> => {
    peer.stdin.write('go\n');
    const next = await lines.next();
    if (next.done === true) throw new Error('the astropy peer exited early');
    return JSON.parse(next.value) as { ms: number; readMs: number; sum: number };
  };

  // One warm-up each (page cache, JIT, imports), then alternate.
  // The first read of each process gets fresh pages from the OS in both; later astropy reads reuse
  // the block CPython's allocator kept, while V8 maps new memory for every 128 MiB result.
  const firstStart = performance.now();
  touch(readFitsImage(path).image.data);
  const oursFirst = performance.now() - firstStart;
  const peerFirst = (await peerRead()).ms;
  const ours: number[] = [];
  const theirs: number[] = [];
  const raw: number[] = [];
  const reused: number[] = [];
  const reusable = new Float64Array(size * size);
  const oursRead: number[] = [];
  const theirsRead: number[] = [];
  let agree = true;
  let growthMiB = 0;
  for (let i = 0; i < turns; i++) {
    const before = process.memoryUsage.rss();
    const start = performance.now();
    const { image } = readFitsImage(path);
    oursRead.push(performance.now() - start);
    const sum = touch(image.data);
    ours.push(performance.now() - start);
    // Resident memory, not arrayBuffers: the native reader's result is an external buffer that
    // V8 does not count there.
    growthMiB = Math.max(growthMiB, (process.memoryUsage.rss() - before) / 2 ** 20);
    const reuseStart = performance.now();
    touch(readFitsImage(path, { into: reusable }).image.data);
    reused.push(performance.now() - reuseStart);
    const rawStart = performance.now();
    touch(readFitsRaw(path).data as Float32Array);
    raw.push(performance.now() - rawStart);
    const reference = await peerRead();
    theirs.push(reference.ms);
    theirsRead.push(reference.readMs);
    agree &&= Math.abs(sum - reference.sum) <= 1e-9 * Math.abs(reference.sum);
  }
  peer.stdin.end();

  const oursMs = median(ours);
  const peerMs = median(theirs);
  console.log(
    `FITS read, ${size}×${size} float32 (${fileMiB.toFixed(1)} MiB), data touched; median of ${turns} alternating turns`,
  );
  console.log('reader                               ms/read (lower is better)');
  console.log(`asterism readFitsImage (float64)     ${oursMs.toFixed(1)}`);
  console.log(`asterism readFitsImage, reused array  ${median(reused).toFixed(1)}`);
  console.log(`asterism readFitsRaw (float32)       ${median(raw).toFixed(1)}`);
  console.log(`astropy.io.fits memmap=False         ${peerMs.toFixed(1)}`);
  console.log(`ratio astropy / readFitsImage        ${(peerMs / oursMs).toFixed(2)}  (> 1: asterism faster)`);
  console.log(`ratio astropy / reused array         ${(peerMs / median(reused)).toFixed(2)}`);
  console.log(`ratio astropy / readFitsRaw          ${(peerMs / median(raw)).toFixed(2)}`);
  console.log(
    `read only, no sum: asterism ${median(oursRead).toFixed(1)}, astropy ${median(theirsRead).toFixed(1)}`,
  );
  console.log(
    `resident memory growth in one read   ${growthMiB.toFixed(1)} MiB (${(growthMiB / fileMiB).toFixed(2)}× the file)`,
  );
  console.log(
    `first read in each process (fresh memory in both): asterism ${oursFirst.toFixed(1)}, astropy ${peerFirst.toFixed(1)}`,
  );
  console.log(`sums agree                           ${agree ? 'yes' : 'NO'}`);
  console.log(
    JSON.stringify({
      bench: 'fits-read',
      unit: 'ms',
      ours: oursMs,
      peer: 'astropy.io.fits',
      peerValue: peerMs,
      ratio: peerMs / oursMs,
    }),
  );
}

try {
  await main();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
