/**
 * The scheduler: runs a recipe graph in dependency order with bounded concurrency.
 *
 * A step becomes ready when all its dependencies succeeded or were cached. Ready steps compute
 * their key; a cached key is reported `cached` at once, otherwise the step waits for a GPU slot
 * (if it claims one) and then `resources.cpu` of the `jobs` CPU slots. A failure blocks dependents and,
 * unless `keepGoing`, stops new steps from starting (running ones finish). Aborting the run's
 * signal cancels running steps and marks everything not finished `aborted`.
 */

import { readdir } from 'node:fs/promises';
import { lockDigest, lockIsCurrent, rememberLock } from '../cache/lock-check.js';
import { addPin, formatLockSteps, lockFilePath, writeLockFile } from '../cache/lock-file.js';
import type { RecordedSteps } from '../cache/provenance.js';
import type { KeyMaterial, LockStep } from '../cache/types.js';
import type { RecipeGraph, StepInstance } from '../graph/types.js';
import { CpuSlots } from './cpu-slots.js';
import { type ResolvedInstance, resolveInstance, type UpstreamOutputs } from './keys.js';
import { recordSteps, writeRunRecord } from './record.js';
import type { RunReporter } from './reporter.js';
import { createReporter } from './reporter.js';
import { entryOutputs, type OutputInfo, reportOutputs, runStep, type StepRunInput } from './run-step.js';
import { expandNames, neededInstances, selectInstances } from './selection.js';
import { openSession } from './session.js';
import { SlotPool } from './slot-pool.js';
import type { RunOptions, RunReport, StepReport } from './types.js';

/** The fields every report of a step starts from. */
interface StepBase {
  readonly id: string;
  readonly uses: string;
  readonly version: string;
  readonly attempts: number;
  readonly durationMs: number;
}

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
    options.quiet ?? false,
  );
  const selected = selectInstances(graph, options.only, options.from);
  const needed = neededInstances(graph, selected);
  const forced =
    options.force === undefined ? new Set<string>() : expandNames(graph, options.force, '--force');
  const controller = new AbortController();
  const onOuterAbort = (): void => controller.abort(options.signal?.reason);
  if (options.signal?.aborted) controller.abort(options.signal.reason);
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });

  // CPU slots are weighted by each step's `resources.cpu` (see cpu-slots.ts for why not p-queue).
  const cpuSlots = new CpuSlots(session.jobs);
  if (options.dryRun !== true) warnOversizedClaims(graph, needed, session.jobs, reporter);
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

  // Steps whose dependencies are all done, launched by `pump`. A cached step settles without
  // awaiting anything, so launching dependents straight from `settle` would recurse once per
  // step of a long chain of cached steps; the queue keeps the stack flat.
  const ready: string[] = [];
  let readyHead = 0;
  let pumping = false;
  const pump = (): void => {
    if (pumping) return;
    pumping = true;
    try {
      while (readyHead < ready.length) void launch(ready[readyHead++]!);
      ready.length = 0;
      readyHead = 0;
    } finally {
      pumping = false;
    }
  };

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
      if (left === 0) ready.push(next);
    }
    pump();
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

  // A ready step: resolve its key, settle it at once when cached, else compute it. Synchronous
  // up to the computation (no promise per cached step: a no-op rerun of 10,000 steps is mostly
  // this function).
  const launch = (id: string): void => {
    const instance = graph.instances.get(id)!;
    if (!needed.has(id)) {
      settleSkipped(id);
      return;
    }
    const base = {
      id,
      uses: instance.definition.name,
      version: instance.definition.version,
      attempts: 0,
      durationMs: 0,
    };
    if (controller.signal.aborted || stopping) {
      settle({ ...base, status: 'aborted' });
      return;
    }
    const failed = (error: unknown): void =>
      settle({ ...base, status: 'failed', error: error instanceof Error ? error.message : String(error) });
    let pending: ReturnType<typeof resolveInstance>;
    try {
      pending = resolveInstance(
        instance,
        outputs as UpstreamOutputs,
        session.inputs,
        session.graph.recipe.name,
      );
    } catch (error) {
      failed(error);
      return;
    }
    if (pending instanceof Promise) {
      pending.then((resolved) => {
        keyed(id, instance, base, resolved);
        pump();
      }, failed);
    } else keyed(id, instance, base, pending);
  };

  const keyed = (id: string, instance: StepInstance, base: StepBase, resolved: ResolvedInstance): void => {
    materials.set(id, resolved.material);
    if (!forced.has(id)) {
      const cached = session.index.lookup(resolved.key);
      if (cached !== undefined) {
        const info = entryOutputs(session, resolved.key, cached);
        settle(cachedReport(base, resolved.key, info), info);
        return;
      }
    }
    const withKey = { ...base, key: resolved.key };
    if (!selected.has(id)) {
      settle({
        ...withKey,
        status: 'skipped',
        error: 'not in the cache, and excluded by --only/--from: run it first',
      });
      return;
    }
    if (options.dryRun === true) settle({ ...withKey, status: 'skipped' });
    else void compute(id, instance, withKey, resolved);
  };

  const compute = async (
    id: string,
    instance: StepInstance,
    withKey: StepBase & { key: string },
    resolved: ResolvedInstance,
  ): Promise<void> => {
    let gpuSlot: number | undefined;
    const weight = cpuSlots.weightOf(instance.resources.cpu);
    let holding = false;
    try {
      if (instance.resources.gpu > 0) gpuSlot = await gpuPool.acquire(controller.signal);
      await cpuSlots.acquire(weight, controller.signal);
      holding = true;
      if (controller.signal.aborted || stopping) {
        settle({ ...withKey, status: 'aborted' });
        return;
      }
      const note: StepRunInput['note'] =
        quarantined.has(resolved.key) || session.store.isInvalidated(resolved.key)
          ? { text: 'recomputing: `asterism cache verify` found its cache entry damaged', level: 'notice' }
          : forced.has(id)
            ? { text: 'recomputing: forced', level: 'info' }
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
        // Its `run` ignored the abort and still executes (files open, memory held): the slots
        // stay taken, else every watch-mode abort would pile another body on top of `jobs`.
        abandoned.add(stillRunning);
        void stillRunning.then(() => abandoned.delete(stillRunning));
        await settledWithin(stillRunning, ABANDONED_GRACE_MS);
      }
    } catch {
      settle({ ...withKey, status: 'aborted' });
    } finally {
      if (holding) cpuSlots.release(weight);
      if (gpuSlot !== undefined) gpuPool.release(gpuSlot);
    }
  };

  try {
    if (graph.order.length === 0) allDone();
    for (const id of graph.order) if (waiting.get(id) === 0) ready.push(id);
    pump();
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
    reporter.flush();
  }

  const steps = graph.order.map((id) => results.get(id)!);
  const failed = steps.some((step) => step.status === 'failed' || step.status === 'blocked');
  const outcome: RunReport['outcome'] = controller.signal.aborted ? 'aborted' : failed ? 'failed' : 'ok';
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
  // What the run record says of the steps, named by a digest (record.ts), which the lock check
  // reuses: computed once, when the first of them needs it.
  let recorded: RecordedSteps | undefined;
  const stepsRecord = (): RecordedSteps => (recorded ??= recordSteps(session, steps, materials));
  let lockFile: string | undefined;
  const complete = selected.size === graph.order.length && options.dryRun !== true;
  if (outcome === 'ok' && complete && options.writeLock !== false) {
    lockFile = lockFilePath(graph.recipe.dir, graph.recipe.name);
    // All cached: the lock is a function of the (id, key) pairs, which the steps' digest covers
    // and lock-check.ts may vouch for.
    const digest = steps.every((step) => step.status === 'cached')
      ? lockDigest(graph.recipe.name, stepsRecord().id)
      : undefined;
    const checkFile = session.index.lockCheckFile;
    if (digest === undefined || !(await lockIsCurrent(checkFile, lockFile, digest))) {
      await writeLockFile(lockFile, formatLockSteps(graph.recipe.name, lockSteps(graph, steps)));
      if (digest !== undefined)
        await bookkeeping('the lock check', () => rememberLock(checkFile, lockFile!, digest));
    }
    await addPin(session.store.pinsFile, lockFile);
  }
  await bookkeeping('the file-hash memo', () => session.memo.save());
  if (options.dryRun !== true) await bookkeeping('the entry index', () => session.index.save());
  const durationMs = performance.now() - t0;
  const provenanceFile =
    options.dryRun === true
      ? undefined
      : await bookkeeping('the run record', () =>
          writeRunRecord(session, stepsRecord(), outcome, durationMs),
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

/**
 * A claim of more CPU slots than `--jobs` runs with all of them (alone) rather than never: say
 * so once per recipe step, before anything runs.
 */
function warnOversizedClaims(
  graph: RecipeGraph,
  needed: ReadonlySet<string>,
  jobs: number,
  reporter: RunReporter,
): void {
  const warned = new Set<string>();
  for (const id of graph.order) {
    const instance = graph.instances.get(id)!;
    if (instance.resources.cpu <= jobs || !needed.has(id) || warned.has(instance.stepId)) continue;
    warned.add(instance.stepId);
    reporter.note(
      instance.stepId,
      `claims cpu: ${instance.resources.cpu} but --jobs is ${jobs}: it runs with ${jobs} slot(s), alone`,
    );
  }
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

/** Each step's lock entry, in run order (steps without a key were never resolved: left out). */
function* lockSteps(graph: RecipeGraph, steps: readonly StepReport[]): Generator<[string, LockStep]> {
  for (const step of steps) {
    if (step.key === undefined) continue;
    yield [
      step.id,
      {
        uses: step.uses,
        version: step.version,
        key: step.key,
        deterministic: graph.instances.get(step.id)!.deterministic,
        outputs: step.outputHashes ?? {},
      },
    ];
  }
}

async function quarantinedKeys(dir: string): Promise<Set<string>> {
  try {
    return new Set((await readdir(dir)).map((name) => name.split('.')[0]!));
  } catch {
    return new Set();
  }
}

/**
 * A cached step's report, as one object literal with the fields in the order the JSON log has
 * always written them (a no-op rerun of 10,000 steps builds 10,000 of these; spreading `base`
 * and then the key cost a copy each).
 */
function cachedReport(base: StepBase, key: string, info: OutputInfo): StepReport {
  const { outputs, outputHashes } = reportOutputs(info);
  return {
    id: base.id,
    uses: base.uses,
    version: base.version,
    attempts: base.attempts,
    durationMs: base.durationMs,
    key,
    status: 'cached',
    outputs,
    outputHashes,
  };
}
