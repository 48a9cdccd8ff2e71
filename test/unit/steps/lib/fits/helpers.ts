/** Shared by the FITS and WCS tests: run the real astropy and fitsverify on files we write. */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PYTHON = '/usr/bin/python3';

/** ../shared/data beside the repository root. */
export const SHARED_DATA = resolve(
  fileURLToPath(new URL('../../../../../', import.meta.url)),
  '..',
  'shared',
  'data',
);

/** Run a Python script (numpy and astropy available) and return its stdout. */
export function python(script: string, ...args: string[]): string {
  return execFileSync(PYTHON, ['-c', script, ...args], { encoding: 'utf8', maxBuffer: 256 << 20 });
}

/** A temporary folder and its cleanup. */
export function temporaryFolder(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'asterism-fits-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** fitsverify's verdict on a file: counts from its summary line, and the full report. */
export function fitsverify(path: string): { warnings: number; errors: number; report: string } {
  const result = spawnSync('fitsverify', [path], { encoding: 'utf8' });
  const report = `${result.stdout}${result.stderr}`;
  const match = /Verification found (\d+) warning\(s\) and (\d+) error\(s\)/.exec(report);
  if (match === null) throw new Error(`fitsverify gave no summary:\n${report}`);
  return { warnings: Number(match[1]), errors: Number(match[2]), report };
}

/** Read a raw little-endian float64 file written by numpy's `tofile`. */
export function readFloat64File(path: string): Float64Array {
  const bytes = readFileSync(path);
  return new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

/** Indexes where two arrays differ, NaN equal to NaN; empty when identical. */
export function differences(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance = 0): number[] {
  const bad: number[] = [];
  if (actual.length !== expected.length) return [-1];
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    const same = Number.isNaN(e) ? Number.isNaN(a) : a === e || Math.abs(a - e) <= tolerance;
    if (!same) bad.push(i);
    if (bad.length > 10) break;
  }
  return bad;
}

/** The error `fn` throws, as `Name: message` with `dir` replaced by `<dir>` (for inline snapshots). */
export function thrown(fn: () => unknown, dir: string): string {
  try {
    fn();
  } catch (error) {
    const e = error as Error;
    return `${e.name}: ${e.message.replaceAll(dir, '<dir>')}`;
  }
  throw new Error('expected an error, none was thrown');
}
