/**
 * `asterism cache ls`: the entries of a cache, with what pins them.
 */
import { listEntries, manifestBytes } from './entries.js';
import { pinnedKeys, readPins } from './lock-file.js';
import { CacheStore } from './store.js';
import type { CacheEntryInfo } from './types.js';

/**
 * List the entries of `cacheDir`, oldest first. `lockFiles` adds lock files to the ones
 * recorded in the cache's `pins.json` when computing `pinnedBy`.
 */
export async function cacheLs(
  cacheDir: string,
  options: { readonly lockFiles?: readonly string[] } = {},
): Promise<CacheEntryInfo[]> {
  const store = new CacheStore(cacheDir);
  const pins = await pinnedKeys([...(await readPins(store.pinsFile)), ...(options.lockFiles ?? [])]);
  const entries = await listEntries(store);
  return entries
    .map(({ key, manifest }) => ({
      key,
      uses: manifest?.uses ?? '?',
      version: manifest?.version ?? '?',
      id: manifest?.id ?? '?',
      recipe: manifest?.recipe ?? '?',
      bytes: manifestBytes(manifest),
      createdAt: manifest?.createdAt ?? '',
      dir: store.entryDir(key),
      pinnedBy: [...new Set(pins.keys.get(key) ?? [])],
    }))
    .sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
}
