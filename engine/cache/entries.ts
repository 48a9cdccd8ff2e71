/**
 * Enumerating the entries of a cache folder.
 */
import { readdir } from 'node:fs/promises';
import type { CacheStore } from './store.js';
import type { CacheManifest } from './types.js';

/** A committed entry: its key and manifest (undefined when the manifest is unreadable). */
export interface ListedEntry {
  readonly key: string;
  readonly manifest: CacheManifest | undefined;
}

/** Every entry folder under `entries/`, sorted by key. */
export async function listEntries(store: CacheStore): Promise<ListedEntry[]> {
  const result: ListedEntry[] = [];
  let shards: string[];
  try {
    shards = (await readdir(store.entriesDir)).sort();
  } catch {
    return result;
  }
  for (const shard of shards) {
    let keys: string[];
    try {
      keys = (await readdir(`${store.entriesDir}/${shard}`)).sort();
    } catch {
      continue;
    }
    for (const key of keys) result.push({ key, manifest: store.readManifest(key) });
  }
  return result;
}

/** Sum of the output sizes recorded in a manifest. */
export function manifestBytes(manifest: CacheManifest | undefined): number {
  if (manifest === undefined) return 0;
  let bytes = 0;
  for (const output of Object.values(manifest.outputs)) bytes += output.bytes;
  return bytes;
}
