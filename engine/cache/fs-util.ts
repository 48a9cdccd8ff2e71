/**
 * Small file-system helpers with the atomicity the cache relies on.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
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
