import { mkdtemp, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EntryIndex } from '../../../../engine/cache/entry-index.js';
import { CacheStore, DAMAGED_MANIFEST } from '../../../../engine/cache/store.js';
import { CACHE_FORMAT_VERSION, type CacheManifest } from '../../../../engine/cache/types.js';

const KEY = 'ab'.repeat(32);

function manifest(hash: string): CacheManifest {
  return {
    format: CACHE_FORMAT_VERSION,
    key: KEY,
    uses: 'touch',
    version: '1',
    id: 'touch',
    recipe: 'r',
    material: { format: CACHE_FORMAT_VERSION, uses: 'touch', version: '1', code: 'x', params: {} },
    outputs: { out: { path: 'out.txt', hash, bytes: 2 } },
    createdAt: new Date(0).toISOString(),
    durationMs: 1,
    deterministic: true,
  };
}

async function storeWithEntry(): Promise<CacheStore> {
  const store = new CacheStore(await mkdtemp(join(tmpdir(), 'asterism-index-')));
  const pending = await store.begin(KEY);
  await writeFile(join(pending.outDir, 'out.txt'), 'a\n');
  expect(await store.commit(pending, manifest('sha256:first'))).toBe(true);
  return store;
}

/** An index as the next run sees it: saved by a run that used the entry, then loaded fresh. */
async function savedIndex(store: CacheStore, hash: string): Promise<EntryIndex> {
  const first = await new EntryIndex(store, 'r').load();
  expect(first.lookup(KEY)?.out?.hash).toBe(hash);
  await first.save();
  return new EntryIndex(store, 'r').load();
}

describe('EntryIndex', () => {
  it('keeps the outputs with the manifest file signature in index/<recipe>.json', async () => {
    const store = await storeWithEntry();
    const index = await savedIndex(store, 'sha256:first');
    const saved = JSON.parse(await readFile(join(store.root, 'index', 'r.json'), 'utf8')) as {
      format: number;
      entries: Record<string, { sig: number[]; outputs: unknown }>;
    };
    const stats = await stat(join(store.entryDir(KEY), 'manifest.json'));
    expect(saved.format).toBe(CACHE_FORMAT_VERSION);
    expect(saved.entries[KEY]).toEqual({
      sig: [stats.ino, stats.size, stats.mtimeMs, stats.ctimeMs],
      outputs: { out: { path: 'out.txt', hash: 'sha256:first', bytes: 2 } },
    });
    expect(index.lookup(KEY)).toEqual(store.readManifest(KEY)?.outputs);
  });

  it('rereads a manifest that was replaced (another run, --force) and misses a damaged or deleted entry', async () => {
    const store = await storeWithEntry();
    const file = join(store.entryDir(KEY), 'manifest.json');

    // Replaced: same key, different outputs, written as a new file.
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

    // Invalidated by `cache verify` (manifest renamed): a miss, as `readManifest` says.
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
    const store = new CacheStore(await mkdtemp(join(tmpdir(), 'asterism-index-')));
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
