/**
 * Knowing that a recipe's lock file is current without writing it out again.
 *
 * A successful run formats the whole lock file and compares it with the one on disk: 2.6 MB at
 * 10,000 steps, about a tenth of a no-op rerun. But when every step of a run was cached, the
 * lock's text is a function of the recipe name and the ordered (instance id, key) pairs alone: a
 * cached entry's outputs never change under its key (a damaged entry is recomputed, so its step
 * is not `cached`), and everything else a lock line holds (step, version, determinism) is part
 * of the key through the step's version and code identity. So after an all-cached run has
 * compared or written the lock, a small file beside the entry index remembers a digest of the
 * recipe name and the run's steps (the id of its provenance steps file, `record.ts`, which
 * covers those pairs in order) with the lock file's (inode, size, mtime, ctime); the next
 * all-cached run with the same digest and an untouched lock file skips formatting it. Anything
 * else (a computed step, an edited, moved or missing lock file, another digest) formats and
 * compares as before.
 */
import { statSync } from 'node:fs';
import { jsonString, sha256Hex } from './canonical-json.js';
import { type FileSig, fileSignature, readJsonFile, sameFile, writeFileAtomic } from './fs-util.js';

interface LockCheck {
  readonly file: string;
  /** The lock file when it was known current. */
  readonly sig: FileSig;
  readonly digest: string;
}

/**
 * The digest of an all-cached run's lock: the recipe name and `stepsId`, a digest of every
 * step's id and key (and more) in run order.
 */
export function lockDigest(recipe: string, stepsId: string): string {
  return sha256Hex(`${jsonString(recipe)}\n${stepsId}`);
}

/** True when `checkFile` vouches that `lockFile` is the lock of `digest`, unchanged since. */
export async function lockIsCurrent(checkFile: string, lockFile: string, digest: string): Promise<boolean> {
  const check = await readJsonFile<LockCheck>(checkFile);
  if (check?.file !== lockFile || check.digest !== digest || !Array.isArray(check.sig)) return false;
  const stats = statSync(lockFile, { throwIfNoEntry: false });
  return stats !== undefined && sameFile(check.sig, stats);
}

/** Remember that `lockFile`, as it is now, is the lock of `digest`. */
export async function rememberLock(checkFile: string, lockFile: string, digest: string): Promise<void> {
  const stats = statSync(lockFile, { throwIfNoEntry: false });
  if (stats === undefined) return;
  const check: LockCheck = { file: lockFile, sig: fileSignature(stats), digest };
  await writeFileAtomic(checkFile, JSON.stringify(check));
}
