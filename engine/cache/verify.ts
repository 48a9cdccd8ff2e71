/**
 * `asterism cache verify`: rehash every entry's outputs and compare with its manifest.
 *
 * A damaged entry (a file modified, truncated or deleted after the fact) is invalidated in place
 * (its manifest renamed, so lookups miss), or with `quarantine: true` moved to `quarantine/` to
 * be inspected. Either way the next run recomputes it, and says so, instead of serving bad bytes.
 */
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { listEntries } from './entries.js';
import { hashPath } from './hash.js';
import { CacheStore } from './store.js';
import type { CacheProblem, CacheVerifyReport } from './types.js';

export async function cacheVerify(
  cacheDir: string,
  options: { readonly quarantine?: boolean } = {},
): Promise<CacheVerifyReport> {
  const store = new CacheStore(cacheDir);
  const problems: CacheProblem[] = [];
  const quarantined: string[] = [];
  const invalidated: string[] = [];
  const entries = await listEntries(store);
  for (const { key, manifest } of entries) {
    const found: CacheProblem[] = [];
    if (manifest === undefined) {
      // An entry an earlier verify invalidated is already harmless (lookups miss it) but not yet
      // recomputed: say so, rather than call its renamed manifest missing.
      const invalidatedBefore = existsSync(join(store.entryDir(key), 'manifest.damaged.json'));
      found.push({
        key,
        file: 'manifest.json',
        problem: 'unreadable-manifest',
        detail: invalidatedBefore
          ? 'invalidated by an earlier `asterism cache verify`; the next run recomputes it'
          : 'missing or not valid JSON',
      });
    } else {
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
    }
    if (found.length > 0) {
      problems.push(...found);
      if (options.quarantine === true) {
        await store.quarantine(key);
        quarantined.push(key);
      } else if (manifest !== undefined) {
        await store.invalidate(key);
        invalidated.push(key);
      }
    }
  }
  return { checked: entries.length, problems, quarantined, invalidated };
}
