import { mkdtemp, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EntryIndex } from '../../../../engine/cache/entry-index.js';
import { CacheStore, DAMAGED_MANIFEST } from '../../../../engine/cache/store.js';
import { CACHE_FORMAT_VERSION, type CacheManifest } from '../../../../engine/cache/types.js';
import { cacheVerify } from '../../../../engine/cache/verify.js';

const KEY = 'ab'.repeat(32);

function manifest(hash: string): CacheManifest {
  return {
    format: CACHE_FORMAT_VERSION,
    key: KEY,
    uses: 'touch',
    version: '1',
    id: 'touch',
    recipe: 'r',
    material: { format: CACHE_FORMAT_VERSION, uses: 'touch', version: '1', code: 'x', params: {}, seed: 1 },
    outputs: { out: { path: 'out.txt', hash, bytes: 2 } },
    createdAt: new Date(0).toISOString(),
    durationMs: 1,
    deterministic: true,
  };
}

const roots: string[] = [];
afterEach(async () => {
  await Promise.all(roots.splice(0).map((root) => rm(root, { recursive: true, force: true })));
});

async function emptyStore(): Promise<CacheStore> {
  const root = await mkdtemp(join(tmpdir(), 'asterism-index-'));
  roots.push(root);
  return new CacheStore(root);
}

async function commit(store: CacheStore, hash: string, replace = false): Promise<void> {
  const pending = await store.begin(KEY);
  await writeFile(join(pending.outDir, 'out.txt'), 'a\n');
  expect(await store.commit(pending, manifest(hash), replace)).toBe(true);
}

async function storeWithEntry(): Promise<CacheStore> {
  const store = await emptyStore();
  await commit(store, 'sha256:first');
  return store;
}

const shardOf = (store: CacheStore): string => dirname(store.entryDir(KEY));

/**
 * Wait until the file system's clock has moved past the shard folder's last change (a coarse
 * kernel tick, 4 ms or so), by writing a probe file until its time is later: an index vouches
 * only for shards changed in an earlier tick than its stamp.
 */
async function afterShardTick(store: CacheStore): Promise<void> {
  const shard = await stat(shardOf(store));
  const probe = join(store.root, 'probe');
  for (;;) {
    await writeFile(probe, 'x');
    const { mtimeMs } = await stat(probe);
    if (mtimeMs > shard.mtimeMs && mtimeMs > shard.ctimeMs) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** An index as the next run sees it: saved by a run that used the entry, then loaded fresh. */
async function savedIndex(store: CacheStore, hash: string): Promise<EntryIndex> {
  const first = await new EntryIndex(store, 'r').load();
  expect(first.lookup(KEY)?.out?.hash).toBe(hash);
  await first.save();
  return new EntryIndex(store, 'r').load();
}

interface SavedFile {
  format: number;
  entries: Record<string, { sig: number[]; outputs: unknown }>;
  shards?: Record<string, number[]>;
}

async function readSaved(store: CacheStore): Promise<SavedFile> {
  return JSON.parse(await readFile(join(store.root, 'index', 'r.json'), 'utf8')) as SavedFile;
}

/** Give the shard folder a modification time in the future: changed "after" any stamp. */
async function makeShardRacy(store: CacheStore): Promise<void> {
  const future = new Date(Date.now() + 3_600_000);
  await utimes(shardOf(store), future, future);
}

describe('EntryIndex', () => {
  it('keeps the outputs with the manifest signature, and the shard folder it vouches for', async () => {
    const store = await storeWithEntry();
    await afterShardTick(store);
    const index = await savedIndex(store, 'sha256:first');
    const saved = await readSaved(store);
    const stats = await stat(join(store.entryDir(KEY), 'manifest.json'));
    const shard = await stat(shardOf(store));
    expect(saved.format).toBe(CACHE_FORMAT_VERSION);
    expect(saved.entries[KEY]).toEqual({
      sig: [stats.ino, stats.size, stats.mtimeMs, stats.ctimeMs],
      outputs: { out: { path: 'out.txt', hash: 'sha256:first', bytes: 2 } },
    });
    expect(saved.shards).toEqual({ ab: [shard.ino, shard.mtimeMs, shard.ctimeMs] });
    expect(index.lookup(KEY)).toEqual(store.readManifest(KEY)?.outputs);
  });

  it('answers from a vouched-for shard without looking inside it; cache verify finds hand edits', async () => {
    const store = await storeWithEntry();
    await afterShardTick(store);
    let index = await savedIndex(store, 'sha256:first');
    // A hand edit inside the entry folder leaves the shard folder as it was: not seen here...
    const file = join(store.entryDir(KEY), 'out', 'out.txt');
    await writeFile(file, 'tampered\n');
    expect(index.lookup(KEY)?.out?.hash).toBe('sha256:first');
    // ...but `cache verify` finds it and invalidates the entry through the shard folder.
    const report = await cacheVerify(store.root);
    expect(report.invalidated).toEqual([KEY]);
    index = await new EntryIndex(store, 'r').load();
    expect(index.lookup(KEY)).toBeUndefined();
  });

  it('sees every change asterism makes to a vouched-for shard: replace, invalidate, remove, quarantine', async () => {
    const store = await storeWithEntry();
    await afterShardTick(store);
    let index = await savedIndex(store, 'sha256:first');
    expect((await readSaved(store)).shards?.ab).toBeDefined();

    // Replaced (`--force` in another run): same key, new outputs.
    await commit(store, 'sha256:second', true);
    expect(index.lookup(KEY)?.out?.hash).toBe('sha256:second');

    await afterShardTick(store);
    index = await savedIndex(store, 'sha256:second');
    expect((await readSaved(store)).shards?.ab).toBeDefined();
    await store.invalidate(KEY);
    expect(index.lookup(KEY)).toBeUndefined();

    await rename(join(store.entryDir(KEY), DAMAGED_MANIFEST), join(store.entryDir(KEY), 'manifest.json'));
    await afterShardTick(store);
    index = await savedIndex(store, 'sha256:second');
    await store.remove(KEY);
    expect(index.lookup(KEY)).toBeUndefined();

    await commit(store, 'sha256:third');
    await afterShardTick(store);
    index = await savedIndex(store, 'sha256:third');
    await store.quarantine(KEY);
    expect(index.lookup(KEY)).toBeUndefined();
  });

  it('does not vouch for a shard changed in the same clock tick as its stamp', async () => {
    const store = await storeWithEntry();
    await makeShardRacy(store);
    await savedIndex(store, 'sha256:first');
    expect((await readSaved(store)).shards).toEqual({});
  });

  it('in a shard it does not vouch for, rereads a replaced manifest and misses a damaged or deleted entry', async () => {
    const store = await storeWithEntry();
    await makeShardRacy(store);
    const file = join(store.entryDir(KEY), 'manifest.json');

    // Replaced by hand: same key, different outputs, written as a new file.
    let index = await savedIndex(store, 'sha256:first');
    await writeFile(`${file}.new`, JSON.stringify(manifest('sha256:second')));
    await rename(`${file}.new`, file);
    expect(index.lookup(KEY)?.out?.hash).toBe('sha256:second');

    // Rewritten in place with the old times restored: the ctime still differs.
    index = await savedIndex(store, 'sha256:second');
    const before = await stat(file);
    await writeFile(file, JSON.stringify(manifest('sha256:third0'))); // same length
    await utimes(file, before.atime, before.mtime);
    expect((await stat(file)).size).toBe(before.size);
    expect(index.lookup(KEY)?.out?.hash).toBe('sha256:third0');

    // Manifest renamed by hand: a miss, as `readManifest` says.
    index = await savedIndex(store, 'sha256:third0');
    await rename(file, join(store.entryDir(KEY), DAMAGED_MANIFEST));
    expect(index.lookup(KEY)).toBeUndefined();
    expect(store.readManifest(KEY)).toBeUndefined();

    // Deleted entry folder: a miss.
    await rename(join(store.entryDir(KEY), DAMAGED_MANIFEST), file);
    index = await savedIndex(store, 'sha256:third0');
    await rm(store.entryDir(KEY), { recursive: true });
    expect(index.lookup(KEY)).toBeUndefined();
  });

  it('misses on a cold cache and finds an entry committed later in the same run', async () => {
    const store = await emptyStore();
    const index = await new EntryIndex(store, 'r').load();
    expect(index.lookup(KEY)).toBeUndefined();
    const pending = await store.begin(KEY);
    await writeFile(join(pending.outDir, 'out.txt'), 'a\n');
    const written = manifest('sha256:late');
    expect(await store.commit(pending, written)).toBe(true);
    index.committed(written);
    expect(index.lookup(KEY)?.out?.hash).toBe('sha256:late');
  });
});
