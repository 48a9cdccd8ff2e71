/**
 * Content hashing of files and folders, with a persistent memo so a no-op rerun rereads nothing.
 *
 * A file's hash is `sha256:<hex>` of its bytes. A folder's hash is the sha256 of the sorted list
 * of `(relative path, file hash)` lines, so it depends on names and contents but not on mtimes
 * or on where the folder lives. Symbolic links are followed (a link to a file hashes as the file).
 */

import { createHash } from 'node:crypto';
import { createReadStream, readFileSync, type Stats, statSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { HASH_PREFIX, sha256Hex } from './canonical-json.js';
import { readJsonFile, writeFileAtomic } from './fs-util.js';

/** Hash of a file or folder, and its total size. */
export interface PathHash {
  readonly hash: string;
  readonly bytes: number;
}

/** Called while a large file is hashed: bytes done of total. */
export type HashProgress = (path: string, doneBytes: number, totalBytes: number) => void;

interface MemoRecord {
  readonly size: number;
  readonly mtimeMs: number;
  readonly ino: number;
  readonly hash: string;
}

/** Files below this size are read in one synchronous call. */
const SMALL_FILE_BYTES = 1 << 20;

/** Files at least this large report progress while being hashed. */
const PROGRESS_MIN_BYTES = 64 * 1024 * 1024;

/**
 * Remembers file hashes against (absolute path, size, mtime, inode). Persisted as one JSON file
 * in the cache folder; concurrent runs may each rewrite it, which only costs a rehash later.
 */
export class HashMemo {
  readonly #file: string | undefined;
  #records = new Map<string, MemoRecord>();
  #dirty = false;

  /** `file` absent: an in-memory memo (tests, `verify`). */
  constructor(file?: string) {
    this.#file = file;
  }

  /** Load the persisted memo; a missing or unreadable file starts empty. */
  async load(): Promise<this> {
    if (this.#file === undefined) return this;
    const data = await readJsonFile<Record<string, MemoRecord>>(this.#file);
    if (data !== undefined && typeof data === 'object') this.#records = new Map(Object.entries(data));
    return this;
  }

  lookup(path: string, stats: Stats): string | undefined {
    const record = this.#records.get(path);
    if (record === undefined) return undefined;
    return record.size === stats.size && record.mtimeMs === stats.mtimeMs && record.ino === stats.ino
      ? record.hash
      : undefined;
  }

  remember(path: string, stats: Stats, hash: string): void {
    this.#records.set(path, { size: stats.size, mtimeMs: stats.mtimeMs, ino: stats.ino, hash });
    this.#dirty = true;
  }

  /** Write the memo back if it changed. */
  async save(): Promise<void> {
    if (this.#file === undefined || !this.#dirty) return;
    await writeFileAtomic(this.#file, JSON.stringify(Object.fromEntries(this.#records)));
    this.#dirty = false;
  }
}

/** Hash one file's bytes, streaming, reporting progress for large files. */
export async function hashFileBytes(path: string, size: number, onProgress?: HashProgress): Promise<string> {
  // Small files in one synchronous read: cheaper than a stream's several thread-pool round trips.
  if (size < SMALL_FILE_BYTES) return HASH_PREFIX + sha256Hex(readFileSync(path));
  const hasher = createHash('sha256');
  let done = 0;
  const report = onProgress !== undefined && size >= PROGRESS_MIN_BYTES ? onProgress : undefined;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    hasher.update(chunk as Buffer);
    done += (chunk as Buffer).length;
    report?.(path, done, size);
  }
  return HASH_PREFIX + hasher.digest('hex');
}

/**
 * Content hash of a file or a folder (recursively). Uses and updates `memo` for every file.
 * Throws the `fs` error (ENOENT, EACCES) when the path cannot be read.
 */
export async function hashPath(path: string, memo?: HashMemo, onProgress?: HashProgress): Promise<PathHash> {
  const stats = statSync(path);
  if (stats.isDirectory()) {
    const files: { rel: string; hash: string }[] = [];
    let bytes = 0;
    await walk(path, '', async (rel, abs, fileStats) => {
      files.push({ rel, hash: await hashFileWithMemo(abs, fileStats, memo, onProgress) });
      bytes += fileStats.size;
    });
    return { hash: folderHash(files), bytes };
  }
  return { hash: await hashFileWithMemo(path, stats, memo, onProgress), bytes: stats.size };
}

/** The folder hash of already hashed `(relative path, hash)` pairs. */
export function folderHash(files: readonly { readonly rel: string; readonly hash: string }[]): string {
  const lines = files
    .map((file) => `${file.rel}\0${file.hash}\n`)
    .sort()
    .join('');
  return `${HASH_PREFIX}${sha256Hex(`folder\n${lines}`)}`;
}

async function hashFileWithMemo(
  path: string,
  stats: Stats,
  memo: HashMemo | undefined,
  onProgress: HashProgress | undefined,
): Promise<string> {
  const known = memo?.lookup(path, stats);
  if (known !== undefined) return known;
  const hash = await hashFileBytes(path, stats.size, onProgress);
  memo?.remember(path, stats, hash);
  return hash;
}

/** Visit every file below `root` (following links), relative paths with `/` separators. */
export async function walk(
  root: string,
  prefix: string,
  visit: (rel: string, abs: string, stats: Stats) => Promise<void>,
): Promise<void> {
  const names = (await readdir(join(root, prefix))).sort();
  for (const name of names) {
    const rel = prefix === '' ? name : `${prefix}/${name}`;
    const abs = join(root, rel);
    const stats = await stat(abs);
    if (stats.isDirectory()) await walk(root, rel, visit);
    else if (stats.isFile()) await visit(rel, abs, stats);
  }
}
