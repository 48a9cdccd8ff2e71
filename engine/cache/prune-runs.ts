/**
 * `asterism cache gc --keep-runs N`: keep each recipe's newest N provenance records, remove the
 * older ones and the steps files (`runs/<recipe>/steps/`) that no kept record names.
 *
 * Records sort by name (their start time). A record that cannot be read still counts as one of
 * the N. A steps file changed in the last ten minutes is kept whatever names it: a run writes its
 * steps file just before its record, and a gc must not fall between the two.
 */
import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readJsonFile, safeReaddir } from './fs-util.js';
import { recordNames } from './provenance.js';
import type { ProvenanceRecord, RunsPruneReport } from './types.js';

/** How long a steps file no record names yet is left alone. */
const STEPS_GRACE_MS = 10 * 60 * 1000;

export async function pruneRuns(runsDir: string, keep: number, dryRun: boolean): Promise<RunsPruneReport> {
  if (!Number.isInteger(keep) || keep < 1) throw new RangeError(`keep at least one run record, got ${keep}`);
  let records = 0;
  let stepsFiles = 0;
  let bytes = 0;
  const remove = async (file: string): Promise<void> => {
    bytes += (await stat(file).catch(() => undefined))?.size ?? 0;
    if (!dryRun) await rm(file, { force: true });
  };
  for (const recipe of await safeReaddir(runsDir)) {
    const dir = join(runsDir, recipe);
    const names = await recordNames(dir);
    const kept = names.slice(-keep);
    for (const name of names.slice(0, -keep)) {
      await remove(join(dir, name));
      records++;
    }
    const named = new Set<string>();
    for (const name of kept) {
      const record = await readJsonFile<Partial<ProvenanceRecord>>(join(dir, name));
      if (typeof record?.stepsFile === 'string') named.add(record.stepsFile);
    }
    const now = Date.now();
    for (const name of await safeReaddir(join(dir, 'steps'))) {
      const file = join(dir, 'steps', name);
      if (named.has(`steps/${name}`)) continue;
      const changed = (await stat(file).catch(() => undefined))?.mtimeMs;
      if (changed === undefined || now - changed < STEPS_GRACE_MS) continue;
      await remove(file);
      stepsFiles++;
    }
  }
  return { records, stepsFiles, bytes };
}
