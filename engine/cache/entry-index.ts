/**
 * The entry index: what a no-op rerun needs from each cache entry (its output paths and hashes),
 * remembered in one file per recipe so that 10,000 cached steps cost neither 10,000 manifest
 * reads and parses nor, in the common case, 10,000 `stat` calls.
 *
 * The index is only a hint, checked at two levels:
 * - Per shard folder (`entries/ab`). Every change asterism makes to an entry goes through its
 *   shard folder: a commit or `--force` replacement renames an entry folder in, `cache gc` and
 *   `--quarantine` move one out, and `cache verify`'s invalidation touches the shard's times.
 *   So when a shard folder still has the (inode, mtime, ctime) the index recorded, every entry
 *   the index lists in it is still the one it saw, and a lookup costs no system call at all.
 * - Per manifest, in any other shard: the lookup stats the entry's `manifest.json` and uses the
 *   remembered outputs only when it is the very file the index saw (same inode, size, mtime,
 *   ctime, as the file-hash memo does); otherwise it reads the manifest as before.
 *
 * A shard's times are recorded only when they are strictly older than a clock stamp the index
 * wrote (on the same file system) before looking, so a change in the same clock tick as the
 * last one cannot go unseen (git's "racily clean" rule). Edits made by hand inside an entry
 * folder, outside asterism, are not seen by the shard check: `asterism cache verify` finds them.
 * Concurrent runs may each rewrite the index (atomically); a stale index costs reads, never a
 * wrong answer.
 */
import { mkdirSync, readdirSync, type Stats, statSync, writeFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { type FileSig, fileSignature, readJsonFile, sameFile, writeFileAtomic } from './fs-util.js';
import type { CacheStore } from './store.js';
import { CACHE_FORMAT_VERSION, type CacheManifest, type ManifestOutput } from './types.js';

/** Outputs of a complete entry: name -> path relative to `out/`, content hash, bytes. */
export type EntryOutputs = Readonly<Record<string, ManifestOutput>>;

interface IndexRecord {
  /** The manifest the outputs were taken from. */
  readonly sig: FileSig;
  readonly outputs: EntryOutputs;
}

/** `[ino, mtimeMs, ctimeMs]` of a shard folder. */
type ShardSig = readonly [number, number, number];

interface IndexFile {
  readonly format: number;
  readonly entries: Record<string, IndexRecord>;
  /** Shards all of whose records were checked against the shard folder with these times. */
  readonly shards?: Record<string, ShardSig>;
}

/** How a shard looked at this run's first lookup in it. */
interface ShardVisit {
  /** Its times then; `undefined` when it could not be read. */
  readonly sig: ShardSig | undefined;
  /** Its times equal the index's: its records need no `stat`. */
  readonly trusted: boolean;
}

function listShards(entriesDir: string): Set<string> {
  try {
    return new Set(readdirSync(entriesDir));
  } catch {
    return new Set();
  }
}

function shardSignature(dir: string): ShardSig | undefined {
  try {
    const stats = statSync(dir, { throwIfNoEntry: false });
    return stats === undefined ? undefined : [stats.ino, stats.mtimeMs, stats.ctimeMs];
  } catch {
    return undefined;
  }
}

function sameShard(a: ShardSig | undefined, b: ShardSig | undefined): boolean {
  return a !== undefined && b !== undefined && a[0] === b[0] && a[1] === b[1] && a[2] === b[2];
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
  #knownShards = new Map<string, ShardSig>();
  /** What this run looked up or committed: the next index. */
  readonly #used = new Map<string, IndexRecord>();
  #dirty = false;
  /** Shard folders (`entries/ab`) that existed at the first lookup, plus those committed since. */
  #shards: Set<string> | undefined;
  /** This run's first look at each shard it used. */
  readonly #visits = new Map<string, ShardVisit>();
  /** Shards this run committed entries to. */
  readonly #touched = new Set<string>();
  /** The file system's time just before the first shard was looked at (see `#clock`). */
  #startClock: number | undefined;

  constructor(store: CacheStore, recipeName: string) {
    this.#store = store;
    this.#file = join(store.root, 'index', `${safeFileName(recipeName)}.json`);
  }

  /** Where `lock-check.ts` remembers that this recipe's lock file is current. */
  get lockCheckFile(): string {
    return this.#file.replace(/\.json$/, '.lock-check.json');
  }

  /** Load the recipe's index; a missing, unreadable or foreign-format file starts empty. */
  async load(): Promise<this> {
    const data = await readJsonFile<IndexFile>(this.#file);
    if (data?.format === CACHE_FORMAT_VERSION && typeof data.entries === 'object' && data.entries !== null) {
      this.#known = new Map(Object.entries(data.entries));
      if (typeof data.shards === 'object' && data.shards !== null) {
        this.#knownShards = new Map(Object.entries(data.shards).filter(([, sig]) => Array.isArray(sig)));
      }
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
    const shard = key.slice(0, 2);
    if (!this.#shards.has(shard)) return undefined;
    const known = this.#known.get(key);
    if (known !== undefined && this.#visit(shard).trusted) {
      this.#used.set(key, known);
      return known.outputs;
    }
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
    if (known !== undefined && Array.isArray(known.sig) && sameFile(known.sig, stats)) {
      this.#used.set(key, known);
      // Checked one by one in a shard the index did not vouch for (new, or changed since by
      // another run): saving lets the next index vouch for it again.
      this.#dirty = true;
      return known.outputs;
    }
    const manifest = this.#store.readManifest(key);
    if (manifest === undefined) return undefined;
    this.#used.set(key, { sig: fileSignature(stats), outputs: manifest.outputs });
    this.#dirty = true;
    return manifest.outputs;
  }

  /** After `store.commit` published `manifest`: remember the file it wrote. */
  committed(manifest: CacheManifest): void {
    const stats = statSync(join(this.#store.entryDir(manifest.key), 'manifest.json'), {
      throwIfNoEntry: false,
    });
    if (stats === undefined) return;
    const shard = manifest.key.slice(0, 2);
    this.#shards?.add(shard);
    this.#touched.add(shard);
    this.#used.set(manifest.key, { sig: fileSignature(stats), outputs: manifest.outputs });
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
    const shards = this.#shardSignatures(next);
    const file: IndexFile = {
      format: CACHE_FORMAT_VERSION,
      entries: Object.fromEntries(next),
      shards: Object.fromEntries(shards),
    };
    await writeFileAtomic(this.#file, JSON.stringify(file));
    this.#known = next;
    this.#knownShards = shards;
    this.#dirty = false;
  }

  /** First look at a shard this run: its times, and whether the index vouches for it. */
  #visit(shard: string): ShardVisit {
    let visit = this.#visits.get(shard);
    if (visit === undefined) {
      this.#startClock ??= this.#clock();
      const sig = shardSignature(this.#shardDir(shard));
      visit = { sig, trusted: sameShard(sig, this.#knownShards.get(shard)) };
      this.#visits.set(shard, visit);
    }
    return visit;
  }

  /**
   * The shard times the next index can vouch for. A shard qualifies when every record of it in
   * `next` is known to match the folder as it is now:
   * - unchanged since this run's first look (same times), and every record was checked in this
   *   run (by the shard's trust or one by one), with times older than the start stamp;
   * - otherwise (this run committed to it, or records not checked), after checking each
   *   record's manifest now, with times older than a fresh stamp taken before that.
   */
  #shardSignatures(next: ReadonlyMap<string, IndexRecord>): Map<string, ShardSig> {
    const byShard = new Map<string, string[]>();
    for (const key of next.keys()) {
      const shard = key.slice(0, 2);
      const keys = byShard.get(shard);
      if (keys === undefined) byShard.set(shard, [key]);
      else keys.push(key);
    }
    const result = new Map<string, ShardSig>();
    let recheckClock: number | undefined;
    for (const [shard, keys] of byShard) {
      const visit = this.#visits.get(shard);
      const now = shardSignature(this.#shardDir(shard));
      if (now === undefined) continue;
      const unchanged = visit !== undefined && !this.#touched.has(shard) && sameShard(visit.sig, now);
      if (unchanged && keys.every((key) => this.#used.has(key))) {
        if (visit.trusted || this.#olderThan(now, this.#startClock)) result.set(shard, now);
        continue;
      }
      recheckClock ??= this.#clock();
      const sig = shardSignature(this.#shardDir(shard));
      if (sig === undefined || !this.#olderThan(sig, recheckClock)) continue;
      if (keys.every((key) => this.#matches(key, next.get(key)!))) result.set(shard, sig);
    }
    return result;
  }

  /** True when the record is the entry's manifest as it is now. */
  #matches(key: string, record: IndexRecord): boolean {
    const stats = statSync(`${this.#store.entryDir(key)}${sep}manifest.json`, { throwIfNoEntry: false });
    return stats !== undefined && Array.isArray(record.sig) && sameFile(record.sig, stats);
  }

  /** Both times of `sig` are from a clock tick before `clock` (a change since would show). */
  #olderThan(sig: ShardSig, clock: number | undefined): boolean {
    return clock !== undefined && sig[1] < clock && sig[2] < clock;
  }

  /**
   * The file system's current time, read off a stamp file it just wrote (`index/<recipe>.clock`):
   * the clock and granularity shard times are set with, which `Date.now()` is not (coarse
   * kernel ticks, 1-second file systems, a file server's own clock). `undefined` when the
   * cache cannot be written (nothing is then vouched for).
   */
  #clock(): number | undefined {
    const stamp = this.#file.replace(/\.json$/, '.clock');
    try {
      mkdirSync(join(stamp, '..'), { recursive: true });
      writeFileSync(stamp, String(Date.now()));
      return statSync(stamp).mtimeMs;
    } catch {
      return undefined;
    }
  }

  #shardDir(shard: string): string {
    return `${this.#store.entriesDir}${sep}${shard}`;
  }
}
