/**
 * `asterism cache gc`: remove entries no lock file pins, plus leftovers of killed runs.
 *
 * Policy: an entry is kept when a lock file pins it — every lock file this cache has written
 * (recorded in `pins.json`, honoured while the file still exists) plus any passed explicitly —
 * or when it is newer than `keepNewerThanMs`. Everything else is removed. Temporary folders of
 * dead processes and stale key locks are removed too, and with `keepRuns` the run records beyond
 * each recipe's newest N (`prune-runs.ts`). An entry whose key is locked by a live
 * process is never touched (it may be being read).
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { listEntries, manifestBytes } from './entries.js';
import { isProcessAlive, safeReaddir } from './fs-util.js';
import { isStaleLock } from './key-lock.js';
import { pinnedKeys, readPins } from './lock-file.js';
import { pruneRuns } from './prune-runs.js';
import { CacheStore } from './store.js';
import type { CacheEntryInfo, CacheGcOptions, CacheGcReport } from './types.js';

export async function cacheGc(cacheDir: string, options: CacheGcOptions = {}): Promise<CacheGcReport> {
  const store = new CacheStore(cacheDir);
  const pins = await pinnedKeys([...(await readPins(store.pinsFile)), ...(options.lockFiles ?? [])]);
  const now = Date.now();
  const keepNewer = options.keepNewerThanMs ?? 0;
  const busy = new Set(await liveLockedKeys(store));
  const removed: CacheEntryInfo[] = [];
  let kept = 0;
  let freedBytes = 0;
  for (const { key, manifest } of await listEntries(store)) {
    const created = manifest === undefined ? 0 : Date.parse(manifest.createdAt);
    if (pins.keys.has(key) || busy.has(key) || (keepNewer > 0 && now - created < keepNewer)) {
      kept++;
      continue;
    }
    const bytes = manifestBytes(manifest);
    removed.push({
      key,
      uses: manifest?.uses ?? '?',
      version: manifest?.version ?? '?',
      id: manifest?.id ?? '?',
      recipe: manifest?.recipe ?? '?',
      bytes,
      createdAt: manifest?.createdAt ?? '',
      dir: store.entryDir(key),
      pinnedBy: [],
    });
    freedBytes += bytes;
    if (options.dryRun !== true) await store.remove(key);
  }
  const tempRemoved = options.dryRun === true ? 0 : await removeLeftovers(store);
  const runs =
    options.keepRuns === undefined
      ? undefined
      : await pruneRuns(store.runsDir, options.keepRuns, options.dryRun === true);
  return {
    removed,
    kept,
    freedBytes,
    lockFiles: pins.honoured,
    tempRemoved,
    ...(runs === undefined ? {} : { runs }),
  };
}

async function liveLockedKeys(store: CacheStore): Promise<string[]> {
  const keys: string[] = [];
  for (const name of await safeReaddir(store.locksDir)) {
    if (!name.endsWith('.lock')) continue;
    if (!(await isStaleLock(join(store.locksDir, name)))) keys.push(name.slice(0, -'.lock'.length));
  }
  return keys;
}

/** Temporary folders whose writer is dead, and stale locks. */
async function removeLeftovers(store: CacheStore): Promise<number> {
  let count = 0;
  for (const name of await safeReaddir(store.tmpDir)) {
    const pid = Number(name.split('.')[1]);
    if (Number.isInteger(pid) && isProcessAlive(pid) && pid !== process.pid) continue;
    await rm(join(store.tmpDir, name), { recursive: true, force: true });
    count++;
  }
  for (const name of await safeReaddir(store.locksDir)) {
    const file = join(store.locksDir, name);
    if (await isStaleLock(file)) {
      await rm(file, { force: true });
      count++;
    }
  }
  return count;
}
