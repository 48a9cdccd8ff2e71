/**
 * The content-addressed cache's public API, used by `engine/run` and `engine/cli`.
 *
 * - `resolveCacheDir(recipeDir, explicit?)`: `--cache-dir`, else `$ASTERISM_CACHE`, else
 *   `<recipeDir>/.asterism`.
 * - `cacheLs(cacheDir, { lockFiles })`, `cacheGc(cacheDir, options)`, `cacheVerify(cacheDir)`:
 *   the `asterism cache ls|gc|verify` commands.
 * - `hashPath(path, memo)`: content hash of a file or folder (`sha256:<hex>`).
 */
export { cacheGc } from './gc.js';
export { HashMemo, hashPath } from './hash.js';
export { lockFilePath, readLockFile } from './lock-file.js';
export { cacheLs } from './ls.js';
export { resolveCacheDir } from './store.js';
export type {
  CacheEntryInfo,
  CacheGcOptions,
  CacheGcReport,
  CacheManifest,
  CacheProblem,
  CacheVerifyReport,
  KeyMaterial,
  LockFile,
  LockStep,
  ProvenanceHead,
  ProvenanceRecord,
  ProvenanceRun,
  ProvenanceStep,
  RunsPruneReport,
  VerifyRecipeReport,
  VerifyStep,
} from './types.js';
export { CACHE_FORMAT_VERSION } from './types.js';
export { cacheVerify } from './verify.js';
