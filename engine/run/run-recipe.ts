/**
 * The scheduler: runs a recipe graph in dependency order with bounded concurrency.
 *
 * A step becomes ready when all its dependencies succeeded or were cached. Ready steps compute
 * their key; a cached key is reported `cached` at once, otherwise the step waits for a GPU slot
 * (if it claims one) and then a CPU slot (a p-queue of `jobs`). A failure blocks dependents and,
 * unless `keepGoing`, stops new steps from starting (running ones finish). Aborting the run's
 * signal cancels running steps and marks everything not finished `aborted`.
 */

import { readdir } from 'node:fs/promises';
import PQueue from 'p-queue';
import { addPin, lockFilePath, writeLockFile } from '../cache/lock-file.js';
import type { KeyMaterial, LockFile, LockStep } from '../cache/types.js';
import type { RecipeGraph } from '../graph/types.js';
import { resolveInstance, type UpstreamOutputs } from './keys.js';
import { writeRunRecord } from './record.js';
import { createReporter } from './reporter.js';
import { manifestOutputs, type OutputInfo, runStep } from './run-step.js';
import { expandNames, neededInstances, selectInstances } from './selection.js';
import { openSession } from './session.js';
import { SlotPool } from './slot-pool.js';
import type { RunOptions, RunReport, StepReport } from './types.js';

/** How long an aborted step that ignores its signal may keep its slot / delay the run's end. */
const ABANDONED_GRACE_MS = 10_000;

/** True when `promise` settled within `ms`, false when the time ran out first. */
function settledWithin(promise: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  return Promise.race([promise.then(() => true), timeout]).finally(() => clearTimeout(timer));
}

export async function runRecipe(graph: RecipeGraph, options: RunOptions = {}): Promise<RunReport> {
  const session = await openSession(graph, options);
  const t0 = performance.now();
  const reporter = createReporter(
    options.logFormat ?? 'auto',
    options.stderr ?? process.stderr,
    options.summary ?? true,
  );
  const selected = selectInstances(graph, options.only, options.from);
  const needed = neededInstances(graph, selected);
  const forced =
    options.force === undefined ? new Set<string>() : expandNames(graph, options.force, '--force');
  const controller = new AbortController();
  const onOuterAbort = (): void => controller.abort(options.signal?.reason);
  if (options.signal?.aborted) controller.abort(options.signal.reason);
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });

  const cpuQueue = new PQueue({ concurrency: session.jobs });
  // Without GPUs, GPU-claiming steps still run (on the CPU), one at a time.
  const gpuPool = new SlotPool(Math.max(1, session.gpus));
  const quarantined = await quarantinedKeys(session.store.quarantineDir);

  const results = new Map<string, StepReport>();
  const outputs = new Map<string, OutputInfo>();
  const materials = new Map<string, KeyMaterial>();
  const waiting = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  for (const id of graph.order) {
    const deps = graph.instances.get(id)!.dependsOn;
    waiting.set(id, deps.length);
    for (const dep of deps) {
      const list = dependents.get(dep) ?? [];
      list.push(id);
      dependents.set(dep, list);
    }
  }
  const abandoned = new Set<Promise<void>>();
  let stopping = false;
  let allDone: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => {
    allDone = resolve;
  });

  const settle = (report: StepReport, info?: OutputInfo): void => {
    if (results.has(report.id)) return;
    results.set(report.id, report);
    if (info !== undefined) outputs.set(report.id, info);
    if (report.status !== 'skipped' || report.error !== undefined) reporter.stepFinished(report);
    if (report.status === 'failed' && options.keepGoing !== true) stopping = true;
    const usable = info !== undefined;
    for (const next of dependents.get(report.id) ?? []) {
      if (results.has(next)) continue;
      if (!usable) {
        // A dry run skips what it cannot plan past; otherwise an unusable upstream blocks.
        if (!needed.has(next) || (options.dryRun === true && report.status === 'skipped'))
          settleSkipped(next);
        else settle(blockedReport(graph, next, report));
        continue;
      }
      const left = waiting.get(next)! - 1;
      waiting.set(next, left);
      if (left === 0) void launch(next);
    }
    if (results.size === graph.order.length) allDone();
  };
  const settleSkipped = (id: string): void => {
    const instance = graph.instances.get(id)!;
    settle({
      id,
      uses: instance.definition.name,
      version: instance.definition.version,
      status: 'skipped',
      durationMs: 0,
      attempts: 0,
    });
  };

  // The run's signal, combined with the caller's per-step signal when there is one (watch mode).
  const stepCancel = (id: string): AbortSignal => {
    const own = options.stepSignal?.(id);
    return own === undefined ? controller.signal : AbortSignal.any([controller.signal, own]);
  };

  const launch = async (id: string): Promise<void> => {
    const instance = graph.instances.get(id)!;
    const base = {
      id,
      uses: instance.definition.name,
      version: instance.definition.version,
      attempts: 0,
      durationMs: 0,
    };
    if (!needed.has(id)) return settleSkipped(id);
    if (controller.signal.aborted || stopping) return settle({ ...base, status: 'aborted' });
    let resolved: Awaited<ReturnType<typeof resolveInstance>>;
    try {
      resolved = await resolveInstance(instance, outputs as UpstreamOutputs, session.inputs);
    } catch (error) {
      return settle({
        ...base,
        status: 'failed',
        error: error instanceof Error ? error.message : String(error),
      });
    }
    materials.set(id, resolved.material);
    const keyed = { ...base, key: resolved.key };
    if (!forced.has(id)) {
      const manifest = session.store.readManifest(resolved.key);
      if (manifest !== undefined) {
        const info = manifestOutputs(session, manifest);
        return settle(
          { ...keyed, status: 'cached', outputs: pathOf(info), outputHashes: hashOf(info) },
          info,
        );
      }
    }
    if (!selected.has(id)) {
      return settle({
        ...keyed,
        status: 'skipped',
        error: 'not in the cache, and excluded by --only/--from: run it first',
      });
    }
    if (options.dryRun === true) return settle({ ...keyed, status: 'skipped' });
    let gpuSlot: number | undefined;
    try {
      if (instance.resources.gpu > 0) gpuSlot = await gpuPool.acquire(controller.signal);
      await cpuQueue.add(async () => {
        if (controller.signal.aborted || stopping) return settle({ ...keyed, status: 'aborted' });
        const note =
          quarantined.has(resolved.key) || session.store.isInvalidated(resolved.key)
            ? 'recomputing: `asterism cache verify` found its cache entry damaged'
            : forced.has(id)
              ? 'recomputing: forced'
              : undefined;
        const {
          report,
          outputs: info,
          stillRunning,
        } = await runStep({
          session,
          instance,
          resolved,
          runSignal: stepCancel(id),
          force: forced.has(id),
          reporter,
          options,
          gpuSlot: session.gpus > 0 ? gpuSlot : undefined,
          ...(note === undefined ? {} : { note }),
        });
        settle(report, info);
        if (stillRunning !== undefined) {
          // Its `run` ignored the abort and still executes (files open, memory held): the slot
          // stays taken, else every watch-mode abort would pile another body on top of `jobs`.
          abandoned.add(stillRunning);
          void stillRunning.then(() => abandoned.delete(stillRunning));
          await settledWithin(stillRunning, ABANDONED_GRACE_MS);
        }
      });
    } catch {
      settle({ ...keyed, status: 'aborted' });
    } finally {
      if (gpuSlot !== undefined) gpuPool.release(gpuSlot);
    }
  };

  try {
    if (graph.order.length === 0) allDone();
    for (const id of graph.order) if (waiting.get(id) === 0) void launch(id);
    await finished;
    // The run is not over while aborted bodies still execute: in watch mode the next run would
    // start on top of them (the soak leaked a file handle and buffers per abandoned reader).
    if (abandoned.size > 0 && !(await settledWithin(Promise.all(abandoned).then(), ABANDONED_GRACE_MS))) {
      reporter.note(
        undefined,
        `${abandoned.size} aborted step(s) ignore ctx.signal and are still running in the background`,
      );
    }
  } finally {
    options.signal?.removeEventListener('abort', onOuterAbort);
  }

  const steps = graph.order.map((id) => results.get(id)!);
  const failed = steps.some((step) => step.status === 'failed' || step.status === 'blocked');
  const outcome: RunReport['outcome'] = controller.signal.aborted ? 'aborted' : failed ? 'failed' : 'ok';
  let lockFile: string | undefined;
  const complete = selected.size === graph.order.length && options.dryRun !== true;
  if (outcome === 'ok' && complete && options.writeLock !== false) {
    lockFile = lockFilePath(graph.recipe.dir, graph.recipe.name);
    await writeLockFile(lockFile, buildLock(graph, steps));
    await addPin(session.store.pinsFile, lockFile);
  }
  // The hash memo and the run record are bookkeeping written after the steps finished: a full
  // disk there must not hide the steps' results (entries are already committed), so it is a note.
  const bookkeeping = async <T>(what: string, write: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await write();
    } catch (error) {
      reporter.note(undefined, `could not write ${what}: ${(error as Error).message}`);
      return undefined;
    }
  };
  await bookkeeping('the file-hash memo', () => session.memo.save());
  const durationMs = performance.now() - t0;
  const provenanceFile =
    options.dryRun === true
      ? undefined
      : await bookkeeping('the run record', () =>
          writeRunRecord(session, steps, materials, outcome, durationMs),
        );
  const report: RunReport = {
    recipe: graph.recipe.name,
    outcome,
    steps,
    durationMs,
    cacheDir: session.store.root,
    ...(provenanceFile === undefined ? {} : { provenanceFile }),
    ...(lockFile === undefined ? {} : { lockFile }),
  };
  reporter.runFinished(report);
  return report;
}

function blockedReport(graph: RecipeGraph, id: string, cause: StepReport): StepReport {
  const instance = graph.instances.get(id)!;
  const why =
    cause.status === 'blocked'
      ? (cause.error ?? `\`${cause.id}\` was blocked`)
      : `\`${cause.id}\` ${cause.status}`;
  return {
    id,
    uses: instance.definition.name,
    version: instance.definition.version,
    status: cause.status === 'aborted' ? 'aborted' : 'blocked',
    durationMs: 0,
    attempts: 0,
    error: cause.status === 'blocked' ? why : `blocked: upstream ${why}`,
  };
}

function buildLock(graph: RecipeGraph, steps: readonly StepReport[]): LockFile {
  const pins: Record<string, LockStep> = {};
  for (const step of steps) {
    if (step.key === undefined) continue;
    pins[step.id] = {
      uses: step.uses,
      version: step.version,
      key: step.key,
      deterministic: graph.instances.get(step.id)!.deterministic,
      outputs: step.outputHashes ?? {},
    };
  }
  return { lockVersion: 1, recipe: graph.recipe.name, steps: pins };
}

async function quarantinedKeys(dir: string): Promise<Set<string>> {
  try {
    return new Set((await readdir(dir)).map((name) => name.split('.')[0]!));
  } catch {
    return new Set();
  }
}

function pathOf(info: OutputInfo): Record<string, string> {
  return Object.fromEntries(Object.entries(info).map(([name, value]) => [name, value.path]));
}
function hashOf(info: OutputInfo): Record<string, string> {
  return Object.fromEntries(Object.entries(info).map(([name, value]) => [name, value.hash]));
}
