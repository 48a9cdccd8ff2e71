/**
 * Provenance records: one JSON file per run under `runs/<recipe>/`, newest last by name, and its
 * steps in `runs/<recipe>/steps/<sha256>.json`, shared by runs that report the same steps.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readJsonFile, safeReaddir, writeFileAtomic } from './fs-util.js';
import type {
  KeyMaterial,
  ProvenanceHead,
  ProvenanceRecord,
  ProvenanceRun,
  ProvenanceStep,
} from './types.js';

function recipeRunsDir(runsDir: string, recipe: string): string {
  return join(runsDir, recipe.replace(/[^A-Za-z0-9._-]/g, '_'));
}

/** The steps of a run, named before they are built: `stepsId` names what `build` would return. */
export interface RecordedSteps {
  /** A hex digest of everything the steps say: equal ids, equal steps. */
  readonly id: string;
  readonly count: number;
  /** The steps; called only when no earlier run wrote the same ones. */
  readonly build: () => readonly ProvenanceStep[];
}

/**
 * Write a run's record; returns its path. Names sort by time (ISO, colons replaced). The steps
 * file is written first (atomically, like the record), so a record never names a missing one,
 * and not at all when an earlier run already wrote the same steps.
 */
export async function writeProvenance(
  runsDir: string,
  head: ProvenanceHead,
  steps: RecordedSteps,
): Promise<string> {
  const dir = recipeRunsDir(runsDir, head.recipe);
  const stepsFile = `steps/${steps.id}.json`;
  if (!existsSync(join(dir, stepsFile))) {
    await writeFileAtomic(join(dir, stepsFile), JSON.stringify(steps.build()));
  }
  const record: ProvenanceRecord = { provenanceVersion: 2, ...head, stepsFile, stepCount: steps.count };
  const stamp = head.startedAt.replace(/[:.]/g, '-');
  const file = join(dir, `${stamp}-${process.pid}.json`);
  await writeFileAtomic(file, JSON.stringify(record));
  return file;
}

/**
 * A record with its steps, or undefined when it (or its steps file) is missing or unreadable.
 * Reads both versions: 2 (steps in their own file) and 1 (steps inline, as records were first written).
 */
export async function readProvenance(file: string): Promise<ProvenanceRun | undefined> {
  const data = await readJsonFile<ProvenanceRecord | ProvenanceRun>(file);
  if (data === undefined || data === null || typeof data !== 'object') return undefined;
  if (data.provenanceVersion === 1)
    return Array.isArray((data as ProvenanceRun).steps) ? (data as ProvenanceRun) : undefined;
  const record = data as ProvenanceRecord;
  if (record.provenanceVersion !== 2 || typeof record.stepsFile !== 'string') return undefined;
  const steps = await readJsonFile<ProvenanceStep[]>(join(dirname(file), record.stepsFile));
  if (!Array.isArray(steps)) return undefined;
  const { stepsFile: _file, stepCount: _count, ...head } = record;
  return { ...head, steps };
}

/** The record files in one recipe's runs folder, oldest first (names sort by start time). */
export async function recordNames(dir: string): Promise<string[]> {
  return (await safeReaddir(dir)).filter((name) => name.endsWith('.json')).sort();
}

/** The most recent readable record of `recipe`, or undefined. */
export async function latestProvenance(runsDir: string, recipe: string): Promise<ProvenanceRun | undefined> {
  const dir = recipeRunsDir(runsDir, recipe);
  const names = await recordNames(dir);
  for (let i = names.length - 1; i >= 0; i--) {
    const run = await readProvenance(join(dir, names[i]!));
    if (run !== undefined) return run;
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
