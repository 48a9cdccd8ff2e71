/**
 * `asterism verify RECIPE`: rerun everything in a fresh temporary cache and compare each step's
 * output hashes with the lock file.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lockFilePath, readLockFile } from '../cache/lock-file.js';
import type { VerifyRecipeReport, VerifyStep } from '../cache/types.js';
import type { RecipeGraph } from '../graph/types.js';
import { runRecipe } from './run-recipe.js';
import type { RunOptions } from './types.js';

export interface VerifyOptions extends RunOptions {
  /** @default `<recipe dir>/<recipe name>.lock.yaml` */
  readonly lockFile?: string;
  /** Keep the temporary cache (to inspect differing outputs). @default false */
  readonly keepCache?: boolean;
}

export async function verifyRecipe(
  graph: RecipeGraph,
  options: VerifyOptions = {},
): Promise<VerifyRecipeReport & { cacheDir: string }> {
  const lockFile = options.lockFile ?? lockFilePath(graph.recipe.dir, graph.recipe.name);
  const lock = await readLockFile(lockFile);
  const cacheDir = await mkdtemp(join(tmpdir(), 'asterism-verify-'));
  try {
    const run = await runRecipe(graph, {
      ...options,
      cacheDir,
      writeLock: false,
      keepGoing: true,
      force: [],
    });
    // A deterministic step fed by outputs that legitimately differed differs for that reason.
    const tolerated = new Set<string>();
    const steps: VerifyStep[] = run.steps.map((step) => {
      const pinned = lock.steps[step.id];
      if (pinned === undefined) return { id: step.id, verdict: 'not-in-lock', differences: [] };
      if (step.status !== 'succeeded' && step.status !== 'cached') {
        return { id: step.id, verdict: 'failed', differences: [] };
      }
      const actual = step.outputHashes ?? {};
      const names = [...new Set([...Object.keys(pinned.outputs), ...Object.keys(actual)])].sort();
      const differences = names
        .filter((name) => pinned.outputs[name] !== actual[name])
        .map((name) => ({
          output: name,
          ...(pinned.outputs[name] === undefined ? {} : { locked: pinned.outputs[name] }),
          ...(actual[name] === undefined ? {} : { actual: actual[name] }),
        }));
      if (differences.length === 0) return { id: step.id, verdict: 'same', differences };
      const inherited = graph.instances.get(step.id)?.dependsOn.some((dep) => tolerated.has(dep)) ?? false;
      if (pinned.deterministic && !inherited) return { id: step.id, verdict: 'differs', differences };
      tolerated.add(step.id);
      return { id: step.id, verdict: 'expected-difference', differences };
    });
    const reproduced = steps.every(
      (step) => step.verdict === 'same' || step.verdict === 'expected-difference',
    );
    return { recipe: graph.recipe.name, lockFile, reproduced, steps, cacheDir };
  } finally {
    if (options.keepCache !== true) await rm(cacheDir, { recursive: true, force: true });
  }
}
