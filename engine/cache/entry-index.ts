/**
 * The entry index: what a no-op rerun needs from each cache entry (its output paths and hashes),
 * remembered in one file per recipe so that 10,000 cached steps cost 10,000 `stat` calls rather
 * than 10,000 manifest reads and parses.
 *
 * The index is only a hint. Every lookup still stats the entry's `manifest.json` and uses the
 * remembered outputs only when the manifest is the very file the index saw (same inode, size,
 * mtime and ctime, as the file-hash memo does); otherwise it reads the manifest as before. So a
 * deleted, quarantined or `cache verify`-invalidated entry (its `manifest.json` gone) is a miss
 * exactly as without the index, and a replaced entry (`--force`, another run) is reread.
 * Concurrent runs may each rewrite the index (atomically); a stale index costs reads, never a
 * wrong answer.
 */
import { readdirSync, type Stats, statSync } from 'node:fs';
import { join, sep } from 'node:path';
import { readJsonFile, writeFileAtomic } from './fs-util.js';
import type { CacheStore } from './store.js';
import { CACHE_FORMAT_VERSION, type CacheManifest, type ManifestOutput } from './types.js';

/** Outputs of a complete entry: name -> path relative to `out/`, content hash, bytes. */
export type EntryOutputs = Readonly<Record<string, ManifestOutput>>;

interface IndexRecord {
  /** `[ino, size, mtimeMs, ctimeMs]` of the manifest the outputs were taken from. */
  readonly sig: readonly [number, number, number, number];
  readonly outputs: EntryOutputs;
}

interface IndexFile {
  readonly format: number;
  readonly entries: Record<string, IndexRecord>;
}

function listShards(entriesDir: string): Set<string> {
  try {
    return new Set(readdirSync(entriesDir));
  } catch {
    return new Set();
  }
}

function signature(stats: Stats): IndexRecord['sig'] {
  return [stats.ino, stats.size, stats.mtimeMs, stats.ctimeMs];
}

/** Compared as numbers (JSON keeps doubles exactly): no string built per lookup. */
function sameFile(sig: IndexRecord['sig'], stats: Stats): boolean {
  return (
    sig[0] === stats.ino && sig[1] === stats.size && sig[2] === stats.mtimeMs && sig[3] === stats.ctimeMs
  );
}

/** A file-name-safe form of a recipe name. */
function safeFileName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '_');
}

/** One recipe's entry index in one cache folder. */
export class EntryIndex {
  readonly #store: CacheStore;
  readonly #file: string;
  #known = new Map<string, IndexRecord>();
  /** What this run looked up or committed: the next index. */
  readonly #used = new Map<string, IndexRecord>();
  #dirty = false;
  /** Shard folders (`entries/ab`) that existed at the first lookup, plus those committed since. */
  #shards: Set<string> | undefined;

  constructor(store: CacheStore, recipeName: string) {
    this.#store = store;
    this.#file = join(store.root, 'index', `${safeFileName(recipeName)}.json`);
  }

  /** Load the recipe's index; a missing, unreadable or foreign-format file starts empty. */
  async load(): Promise<this> {
    const data = await readJsonFile<IndexFile>(this.#file);
    if (data?.format === CACHE_FORMAT_VERSION && typeof data.entries === 'object' && data.entries !== null) {
      this.#known = new Map(Object.entries(data.entries));
    }
    return this;
  }

  /**
   * The outputs of the complete entry for `key`, or `undefined` when there is none (absent,
   * invalidated, unreadable). Same answer as `store.readManifest(key)?.outputs`, cheaper.
   */
  lookup(key: string): EntryOutputs | undefined {
    // A shard folder missing when the run began: the entry is absent (one `readdir` instead of
    // 10,000 failing `stat`s on a cold cache). An entry another run commits meanwhile is found
    // after all by the key lock's second look (`runStep`), so nothing is computed twice.
    this.#shards ??= listShards(this.#store.entriesDir);
    if (!this.#shards.has(key.slice(0, 2))) return undefined;
    // Concatenated (a key is hex, the entry folder already normal): called once per step.
    const manifestFile = `${this.#store.entryDir(key)}${sep}manifest.json`;
    let stats: Stats | undefined;
    try {
      // No exception for the common miss: throwing costs more than the stat.
      stats = statSync(manifestFile, { throwIfNoEntry: false });
    } catch {
      return undefined; // unreadable (EACCES, ENOTDIR): a miss, as `readManifest` says
    }
    if (stats === undefined) return undefined;
    const known = this.#known.get(key);
    if (known !== undefined && Array.isArray(known.sig) && sameFile(known.sig, stats)) {
      this.#used.set(key, known);
      return known.outputs;
    }
    const manifest = this.#store.readManifest(key);
    if (manifest === undefined) return undefined;
    this.#used.set(key, { sig: signature(stats), outputs: manifest.outputs });
    this.#dirty = true;
    return manifest.outputs;
  }

  /** After `store.commit` published `manifest`: remember the file it wrote. */
  committed(manifest: CacheManifest): void {
    const stats = statSync(join(this.#store.entryDir(manifest.key), 'manifest.json'), {
      throwIfNoEntry: false,
    });
    if (stats === undefined) return;
    this.#shards?.add(manifest.key.slice(0, 2));
    this.#used.set(manifest.key, { sig: signature(stats), outputs: manifest.outputs });
    this.#dirty = true;
  }

  /**
   * Write the index back when this run learnt something. Entries it did not look at (an
   * `--only` run) are kept, unless they outnumber the used ones: then they are mostly keys of
   * params edited since, and the index is rebuilt from what this run used.
   */
  async save(): Promise<void> {
    if (!this.#dirty) return;
    const next = new Map(this.#used);
    if (this.#known.size <= 2 * this.#used.size) {
      for (const [key, record] of this.#known) if (!next.has(key)) next.set(key, record);
    }
    const file: IndexFile = { format: CACHE_FORMAT_VERSION, entries: Object.fromEntries(next) };
    await writeFileAtomic(this.#file, JSON.stringify(file));
    this.#known = next;
    this.#dirty = false;
  }
}
