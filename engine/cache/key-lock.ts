/**
 * Cross-process locks per cache key, so two `asterism run` sharing a cache compute each step once.
 *
 * A lock is a file created with `O_EXCL` (atomic on local file systems) holding the owner's pid
 * and host. A lock whose owner on this host is dead (kill -9, crash) is stale and taken over.
 * Waiting polls with a growing delay (capped at 200 ms): locks are held for a step's duration,
 * so the polling cost is negligible next to the work being waited for.
 */

import { closeSync, mkdirSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { readFile, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { isProcessAlive } from './fs-util.js';

/** Lock folders already created by this process (one `mkdir` per run, not per step). */
const createdLockDirs = new Set<string>();

/** Release a held lock. Idempotent. */
export type ReleaseLock = () => Promise<void>;

interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly since: string;
}

/**
 * Acquire the lock for `key` in `locksDir`, waiting while another live process holds it.
 * `onWait` is called once if the lock was busy (to report "waiting for another run").
 * Rejects with the signal's reason when `signal` aborts while waiting.
 */
export async function acquireKeyLock(
  locksDir: string,
  key: string,
  signal?: AbortSignal,
  onWait?: (owner: LockOwner) => void,
): Promise<ReleaseLock> {
  if (!createdLockDirs.has(locksDir)) {
    mkdirSync(locksDir, { recursive: true });
    createdLockDirs.add(locksDir);
  }
  const file = join(locksDir, `${key}.lock`);
  let delayMs = 5;
  let reported = false;
  for (;;) {
    signal?.throwIfAborted();
    // Synchronous on purpose: a few microseconds each, where a thread-pool round trip per call
    // dominated the cost of trivial steps on a loaded machine.
    let fd: number | undefined;
    try {
      fd = openSync(file, 'wx');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        // The folder was removed under us (a wiped cache): recreate it and retry.
        mkdirSync(locksDir, { recursive: true });
        continue;
      }
      if (code !== 'EEXIST') throw error;
    }
    if (fd !== undefined) {
      const owner: LockOwner = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
      try {
        writeSync(fd, JSON.stringify(owner));
      } finally {
        closeSync(fd);
      }
      let released = false;
      return async () => {
        if (released) return;
        released = true;
        try {
          unlinkSync(file);
        } catch {
          // already removed (e.g. by `cache gc` after this process was presumed dead)
        }
      };
    }
    const owner = await readOwner(file);
    if (owner === undefined && (await isAbandonedEmptyLock(file))) {
      // Created but never filled in: its creator died between `open` and `write`.
      await rm(file, { force: true });
      continue;
    }
    if (owner !== undefined && owner.host === hostname() && !isProcessAlive(owner.pid)) {
      // The owner died without releasing: take over (a racing taker loses at `open wx`).
      await rm(file, { force: true });
      continue;
    }
    if (!reported && owner !== undefined) {
      reported = true;
      onWait?.(owner);
    }
    await delay(delayMs, signal);
    delayMs = Math.min(200, delayMs * 2);
  }
}

/** Whether `file` is a lock whose owner is dead (used by `cache gc`). */
export async function isStaleLock(file: string): Promise<boolean> {
  const owner = await readOwner(file);
  return owner !== undefined && owner.host === hostname() && !isProcessAlive(owner.pid);
}

async function readOwner(file: string): Promise<LockOwner | undefined> {
  try {
    const owner = JSON.parse(await readFile(file, 'utf8')) as LockOwner;
    return typeof owner.pid === 'number' ? owner : undefined;
  } catch {
    // Missing (just released) or half-written (being created): treat as busy and retry.
    return undefined;
  }
}

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolvePromise();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** An unreadable lock file older than this is considered abandoned. */
const ABANDONED_LOCK_MS = 10_000;

async function isAbandonedEmptyLock(file: string): Promise<boolean> {
  try {
    return Date.now() - (await stat(file)).mtimeMs > ABANDONED_LOCK_MS;
  } catch {
    return false;
  }
}
