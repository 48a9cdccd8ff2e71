/**
 * The content-addressed store: one folder per cache key, made visible only when complete.
 *
 * Layout under the cache folder:
 *   entries/<k[0..2]>/<key>/manifest.json   the entry is complete iff this exists
 *   entries/<k[0..2]>/<key>/out/...         the step's outputs
 *   entries/<k[0..2]>/<key>/manifest.damaged.json   an entry `cache verify` invalidated
 *   tmp/<key>.<pid>.<random>/               an entry being written (renamed into place)
 *   locks/<key>.lock                        cross-process lock while a key is computed
 *   quarantine/<key>.<time>/                entries `cache verify` found damaged
 *   logs/<run id>/<step>.log                step logs
 *   runs/<recipe>/<time>-<pid>.json         provenance records
 *   hash-memo.json                          (path, size, mtime, inode) -> content hash
 *   pins.json                               lock files written with this cache (gc keeps their entries)
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, utimesSync, writeFileSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import type { CacheManifest } from './types.js';
import { CACHE_FORMAT_VERSION } from './types.js';

/** Name of the manifest of an entry `cache verify` found damaged. */
export const DAMAGED_MANIFEST = 'manifest.damaged.json';

/** `explicit` (`--cache-dir`), else `$ASTERISM_CACHE`, else `<recipeDir>/.asterism`. */
export function resolveCacheDir(recipeDir: string, explicit?: string): string {
  if (explicit !== undefined && explicit !== '') return resolve(explicit);
  const fromEnv = process.env.ASTERISM_CACHE;
  if (fromEnv !== undefined && fromEnv !== '') return resolve(fromEnv);
  return join(recipeDir, '.asterism');
}

/** An entry being written: the step writes into `outDir`; `commit` publishes it. */
export interface PendingEntry {
  readonly key: string;
  /** The temporary folder (holds `out/` and, at commit, `manifest.json`). */
  readonly dir: string;
  readonly outDir: string;
}

/** Paths and atomic operations on one cache folder. */
export class CacheStore {
  readonly root: string;
  #entriesPrefix: string | undefined;

  constructor(root: string) {
    this.root = root;
  }

  get entriesDir(): string {
    return join(this.root, 'entries');
  }
  get tmpDir(): string {
    return join(this.root, 'tmp');
  }
  get locksDir(): string {
    return join(this.root, 'locks');
  }
  get logsDir(): string {
    return join(this.root, 'logs');
  }
  get runsDir(): string {
    return join(this.root, 'runs');
  }
  get quarantineDir(): string {
    return join(this.root, 'quarantine');
  }
  get memoFile(): string {
    return join(this.root, 'hash-memo.json');
  }
  get pinsFile(): string {
    return join(this.root, 'pins.json');
  }

  entryDir(key: string): string {
    // Concatenated, not `join`ed: called for every step of a plan, and a key is hex (no `..`).
    this.#entriesPrefix ??= `${this.entriesDir}${sep}`;
    return `${this.#entriesPrefix}${key.slice(0, 2)}${sep}${key}`;
  }

  /** Absolute path of an output of a committed entry. */
  outputPath(key: string, relPath: string): string {
    return join(this.entryDir(key), 'out', relPath);
  }

  /**
   * The manifest of a complete entry, or `undefined` when absent or unreadable. Synchronous on
   * purpose: a no-op rerun of 10,000 steps reads 10,000 small files, and the sync call is
   * several times cheaper than the promise machinery around an async one.
   */
  readManifest(key: string): CacheManifest | undefined {
    try {
      const manifest = JSON.parse(
        readFileSync(join(this.entryDir(key), 'manifest.json'), 'utf8'),
      ) as CacheManifest;
      return manifest.format === CACHE_FORMAT_VERSION && manifest.key === key ? manifest : undefined;
    } catch {
      return undefined;
    }
  }

  /** Create a fresh temporary entry folder for `key`. */
  async begin(key: string): Promise<PendingEntry> {
    const dir = join(this.tmpDir, `${key}.${process.pid}.${randomBytes(4).toString('hex')}`);
    const outDir = join(dir, 'out');
    mkdirSync(outDir, { recursive: true });
    return { key, dir, outDir };
  }

  /**
   * Write the manifest into the pending folder and rename it into place (`replace`: over an
   * existing entry, for `--force`). Otherwise, if an entry for the key
   * appeared meanwhile (a process that ignored the lock), the existing entry wins and the pending
   * folder is discarded: both hold results for the same key. Returns true when `manifest` is
   * the one now published, false when the existing entry won.
   */
  async commit(pending: PendingEntry, manifest: CacheManifest, replace = false): Promise<boolean> {
    writeFileSync(join(pending.dir, 'manifest.json'), JSON.stringify(manifest));
    const target = this.entryDir(pending.key);
    mkdirSync(join(target, '..'), { recursive: true });
    if (replace) {
      await this.#replace(pending, target);
      return true;
    }
    try {
      renameSync(pending.dir, target);
      return true;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
      // A complete entry appeared meanwhile (a process that ignored the lock): it wins, both
      // hold results for the same key. An invalidated one (see `invalidate`) is replaced.
      if (this.readManifest(pending.key) !== undefined) {
        await this.discard(pending);
        return false;
      }
      await this.#replace(pending, target);
      return true;
    }
  }

  /** Move the old entry out of the way, then rename: readers see old, new or none, never a mix. */
  async #replace(pending: PendingEntry, target: string): Promise<void> {
    const trash = `${pending.dir}.old`;
    try {
      await rename(target, trash);
    } catch {
      // no previous entry
    }
    await rename(pending.dir, target);
    await rm(trash, { recursive: true, force: true });
  }

  /**
   * Mark an entry damaged without moving it: its manifest is renamed to
   * `manifest.damaged.json`, so lookups miss and the next run recomputes (and says why). An
   * entry whose manifest is already gone gets a `manifest.damaged.json` saying so, so that a
   * later `cache verify` knows it was seen.
   */
  async invalidate(key: string): Promise<void> {
    const damaged = join(this.entryDir(key), DAMAGED_MANIFEST);
    try {
      await rename(join(this.entryDir(key), 'manifest.json'), damaged);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      writeFileSync(damaged, JSON.stringify({ note: 'manifest.json was missing when `cache verify` ran' }));
    }
    // The rename happened inside the entry folder; touching the shard folder too tells entry
    // indexes that vouch for the shard as a whole (see entry-index.ts) to look again.
    const now = new Date();
    utimesSync(join(this.entryDir(key), '..'), now, now);
  }

  /** True when `cache verify` invalidated this key's entry. */
  isInvalidated(key: string): boolean {
    return existsSync(join(this.entryDir(key), DAMAGED_MANIFEST));
  }

  /** Remove a pending folder (after a failure or abort): nothing partial stays behind. */
  async discard(pending: PendingEntry): Promise<void> {
    await rm(pending.dir, { recursive: true, force: true });
  }

  /**
   * Delete an entry (`cache gc`). It is first renamed out of its shard folder, so readers see
   * the whole entry or none of it even if the deletion stops halfway, and the shard folder's
   * times change, which entry indexes watch (see entry-index.ts).
   */
  async remove(key: string): Promise<void> {
    const trash = join(this.tmpDir, `${key}.${process.pid}.${randomBytes(4).toString('hex')}.removed`);
    await mkdir(this.tmpDir, { recursive: true });
    try {
      await rename(this.entryDir(key), trash);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    await rm(trash, { recursive: true, force: true });
  }

  /** Move a damaged entry aside so the next run recomputes it. Returns the new location. */
  async quarantine(key: string): Promise<string> {
    const target = join(this.quarantineDir, `${key}.${Date.now()}`);
    await mkdir(this.quarantineDir, { recursive: true });
    await rename(this.entryDir(key), target);
    return target;
  }
}
