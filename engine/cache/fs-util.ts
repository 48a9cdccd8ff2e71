/**
 * Small file-system helpers with the atomicity the cache relies on.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, type Stats, writeFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Write `data` to `file` via a temporary sibling and a rename, so readers never see half.
 *
 * Synchronous calls behind an async signature: the files written this way (provenance records,
 * lock files, the hash memo, the entry index) are written once per run, some are megabytes at
 * 10,000 steps, and `fs.promises` moves them in 512 KiB pieces, each a thread-pool round trip
 * that waits for a CPU on a busy machine (half a second of a no-op rerun's wall time, measured).
 */
export async function writeFileAtomic(file: string, data: string): Promise<void> {
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(temp, data);
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

/** Parse a JSON file; `undefined` when it is missing or not valid JSON. Synchronous read (see above). */
export async function readJsonFile<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** `[ino, size, mtimeMs, ctimeMs]`: what says a file is still the one seen before. */
export type FileSig = readonly [number, number, number, number];

/** The `FileSig` of `stats`. */
export function fileSignature(stats: Stats): FileSig {
  return [stats.ino, stats.size, stats.mtimeMs, stats.ctimeMs];
}

/** Compared as numbers (JSON keeps doubles exactly): no string built per check. */
export function sameFile(sig: FileSig, stats: Stats): boolean {
  return (
    sig[0] === stats.ino && sig[1] === stats.size && sig[2] === stats.mtimeMs && sig[3] === stats.ctimeMs
  );
}

/** True when `pid` names a live process on this machine. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The names in `dir`, or none when it is missing or unreadable. */
export async function safeReaddir(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch {
    return [];
  }
}
