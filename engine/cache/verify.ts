/**
 * `asterism cache verify`: rehash every entry's outputs and compare with its manifest.
 *
 * A damaged entry (a file modified, truncated or deleted after the fact, or a manifest that is
 * gone or not valid JSON) is invalidated in place (its manifest renamed, so lookups miss), or
 * with `quarantine: true` moved to `quarantine/` to be inspected. Either way the next run
 * recomputes it, and says so, instead of serving bad bytes.
 *
 * Damage is reported once. An entry an earlier verify invalidated is already harmless; a second
 * verify before the rerun lists it as `pending` (awaiting recomputation), not as a problem, so
 * the exit status says whether *this* verify found new damage.
 */
import { stat } from 'node:fs/promises';
import { listEntries } from './entries.js';
import { hashPath } from './hash.js';
import { CacheStore } from './store.js';
import type { CacheManifest, CacheProblem, CacheVerifyReport } from './types.js';

export async function cacheVerify(
  cacheDir: string,
  options: { readonly quarantine?: boolean } = {},
): Promise<CacheVerifyReport> {
  const store = new CacheStore(cacheDir);
  const problems: CacheProblem[] = [];
  const quarantined: string[] = [];
  const invalidated: string[] = [];
  const pending: string[] = [];
  const entries = await listEntries(store);
  for (const { key, manifest } of entries) {
    if (manifest === undefined && store.isInvalidated(key)) {
      pending.push(key);
      // Moved aside when asked: `--quarantine` after a plain verify is how a user gets the
      // damaged bytes out to inspect them.
      if (options.quarantine === true) {
        await store.quarantine(key);
        quarantined.push(key);
      }
      continue;
    }
    const found =
      manifest === undefined ? [unreadableManifest(key)] : await checkOutputs(store, key, manifest);
    if (found.length === 0) continue;
    problems.push(...found);
    if (options.quarantine === true) {
      await store.quarantine(key);
      quarantined.push(key);
    } else {
      await store.invalidate(key);
      invalidated.push(key);
    }
  }
  return { checked: entries.length, problems, quarantined, invalidated, pending };
}

function unreadableManifest(key: string): CacheProblem {
  return { key, file: 'manifest.json', problem: 'unreadable-manifest', detail: 'missing or not valid JSON' };
}

/** Rehash every output of one entry; the problems found (none: intact). */
async function checkOutputs(
  store: CacheStore,
  key: string,
  manifest: CacheManifest,
): Promise<CacheProblem[]> {
  const found: CacheProblem[] = [];
  for (const [name, output] of Object.entries(manifest.outputs)) {
    const file = `out/${output.path}`;
    const path = store.outputPath(key, output.path);
    let actual: { hash: string; bytes: number };
    try {
      // No memo: verification must read the bytes, not trust mtimes.
      actual = await hashPath(path);
    } catch {
      found.push({ key, file, problem: 'missing', detail: `output \`${name}\` is gone` });
      continue;
    }
    if (actual.hash === output.hash) continue;
    const isFile = (await stat(path)).isFile();
    const truncated = isFile && actual.bytes < output.bytes;
    found.push({
      key,
      file,
      problem: truncated ? 'truncated' : 'modified',
      detail: truncated
        ? `output \`${name}\` has ${actual.bytes} bytes, expected ${output.bytes}`
        : `output \`${name}\` hashes to ${actual.hash}, expected ${output.hash}`,
    });
  }
  return found;
}
