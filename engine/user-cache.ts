/**
 * The user's cache (`~/.cache/asterism/…`): what the engine derives from a file's content and
 * keeps between runs to start faster — compiled validators, parsed recipes. Unlike a recipe's
 * `.asterism/` cache it holds nothing a result depends on: every file is named by a hash of
 * all it was made from, and a missing, unreadable or unwritable file only means doing the
 * work again.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The folder for `name`: `$<override>` when set, else `$XDG_CACHE_HOME/asterism/<name>`, else
 * `~/.cache/asterism/<name>`; `undefined` when there is no usable home folder.
 */
export function userCacheDir(override: string, name: string): string | undefined {
  const explicit = process.env[override];
  if (explicit !== undefined && explicit !== '') return explicit;
  const xdg = process.env.XDG_CACHE_HOME;
  if (xdg !== undefined && xdg !== '') return join(xdg, 'asterism', name);
  try {
    return join(homedir(), '.cache', 'asterism', name);
  } catch {
    return undefined;
  }
}

/** More files than this in one folder, and the oldest are removed (a recipe edited often, say). */
const MAX_FILES = 400;
/** What pruning leaves. */
const KEEP_FILES = 300;

/**
 * Write `file` in `dir` whole (temporary name, then rename) or not at all. `data` is called
 * inside the guard, so a value that cannot be produced is skipped like a full disk.
 */
export function storeQuietly(dir: string, file: string, data: () => string | Uint8Array): void {
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const bytes = data();
    mkdirSync(dir, { recursive: true });
    writeFileSync(temp, bytes);
    renameSync(temp, file);
    pruneOldest(dir);
  } catch {
    try {
      rmSync(temp, { force: true });
    } catch {
      // the folder itself is unusable: nothing was written
    }
  }
}

/**
 * Keep a folder of the user's cache bounded: past `MAX_FILES`, remove the least recently
 * written files down to `KEEP_FILES`. Runs only after a store (a miss), never on a hit.
 */
function pruneOldest(dir: string): void {
  const names = readdirSync(dir);
  if (names.length <= MAX_FILES) return;
  const dated: [string, number][] = [];
  for (const name of names) {
    try {
      dated.push([name, statSync(join(dir, name)).mtimeMs]);
    } catch {
      // removed meanwhile by another process
    }
  }
  dated.sort((a, b) => a[1] - b[1]);
  for (const [name] of dated.slice(0, dated.length - KEEP_FILES)) rmSync(join(dir, name), { force: true });
}
