/**
 * Provenance records: one JSON file per run under `runs/<recipe>/`, newest last by name.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { readJsonFile, writeFileAtomic } from './fs-util.js';
import type { KeyMaterial, ProvenanceRecord, ProvenanceStep } from './types.js';

function recipeRunsDir(runsDir: string, recipe: string): string {
  return join(runsDir, recipe.replace(/[^A-Za-z0-9._-]/g, '_'));
}

/** Write a run's record; returns its path. Names sort by time (ISO, colons replaced). */
export async function writeProvenance(runsDir: string, record: ProvenanceRecord): Promise<string> {
  const stamp = record.startedAt.replace(/[:.]/g, '-');
  const file = join(recipeRunsDir(runsDir, record.recipe), `${stamp}-${process.pid}.json`);
  await writeFileAtomic(file, JSON.stringify(record));
  return file;
}

/** The most recent record of `recipe`, or undefined. */
export async function latestProvenance(
  runsDir: string,
  recipe: string,
): Promise<ProvenanceRecord | undefined> {
  const dir = recipeRunsDir(runsDir, recipe);
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => name.endsWith('.json')).sort();
  } catch {
    return undefined;
  }
  for (let i = names.length - 1; i >= 0; i--) {
    const record = await readJsonFile<ProvenanceRecord>(join(dir, names[i]!));
    if (record !== undefined && record.provenanceVersion === 1) return record;
  }
  return undefined;
}

/** A recorded step's full key material (restoring what the record leaves out), or undefined. */
export function stepMaterial(step: ProvenanceStep): KeyMaterial | undefined {
  const material = step.material;
  if (material === undefined) return undefined;
  if ('uses' in material) return material;
  return {
    format: material.format,
    uses: step.uses,
    version: step.version,
    code: step.code,
    params: material.params,
    seed: material.seed,
  };
}
