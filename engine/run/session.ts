/**
 * State shared by the steps of one run: the cache, the hash memo, resolved inputs, limiters,
 * the run's abort controller and the reporter.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { EntryIndex } from '../cache/entry-index.js';
import { HashMemo } from '../cache/hash.js';
import { CacheStore, resolveCacheDir } from '../cache/store.js';
import { AsterismError } from '../errors.js';
import type { RecipeGraph } from '../graph/types.js';
import { detectGpus } from './gpus.js';
import { InputResolver } from './inputs.js';
import type { RunOptions } from './types.js';

export interface Session {
  readonly graph: RecipeGraph;
  readonly store: CacheStore;
  readonly memo: HashMemo;
  /** Outputs of the entries this recipe used last time, checked by `stat` (see `EntryIndex`). */
  readonly index: EntryIndex;
  readonly inputs: InputResolver;
  readonly jobs: number;
  readonly gpus: number;
  readonly runId: string;
  readonly logsDir: string;
  readonly startedAt: Date;
}

/** Expected `name` to be an integer from `min` and up (p-queue style message). */
export function checkCount(name: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) {
    throw new AsterismError(
      'BAD_OPTION',
      `Expected \`--${name}\` to be an integer from ${min} and up, got \`${value}\` (${typeof value})`,
      {
        hint: `e.g. --${name} ${Math.max(min, 2)}`,
      },
    );
  }
  return value;
}

export async function openSession(graph: RecipeGraph, options: RunOptions): Promise<Session> {
  const store = new CacheStore(resolveCacheDir(graph.recipe.dir, options.cacheDir));
  const [memo, index] = await Promise.all([
    new HashMemo(store.memoFile).load(),
    new EntryIndex(store, graph.recipe.name).load(),
  ]);
  const startedAt = new Date();
  const runId = `${startedAt.toISOString().replace(/[:.]/g, '-')}-${process.pid}`;
  return {
    graph,
    store,
    memo,
    index,
    inputs: new InputResolver(graph.recipe, memo),
    jobs: checkCount('jobs', options.jobs ?? availableParallelism(), 1),
    gpus: checkCount('gpus', options.gpus ?? detectGpus(), 0),
    runId,
    logsDir: join(store.logsDir, runId),
    startedAt,
  };
}

/** A file-name-safe form of an instance id: `traverse[direction=tuf]` -> `traverse[direction=tuf]`. */
export function safeName(id: string): string {
  return id.replace(/[^A-Za-z0-9._=,[\]-]/g, '_');
}
