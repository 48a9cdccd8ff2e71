/** Shared by the FITS and WCS tests: run the real astropy and fitsverify on files we write. */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
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
