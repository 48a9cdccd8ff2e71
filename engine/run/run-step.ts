/**
 * Computing one step instance whose key is not in the cache: lock the key, run the attempts,
 * check and hash the outputs, commit the entry. Nothing partial is ever committed.
 */
import { join, sep } from 'node:path';
import type { EntryOutputs } from '../cache/entry-index.js';
import { hashPath } from '../cache/hash.js';
import { acquireKeyLock } from '../cache/key-lock.js';
import type { CacheManifest } from '../cache/types.js';
import { AsterismError, messageWithFile } from '../errors.js';
import type { StepInstance } from '../graph/types.js';
import { validateResolvedParams } from '../recipe/params.js';
import { executeInChild } from './child-executor.js';
import { type ExecRequest, executeInProcess } from './executor.js';
import { assertInputsUnchanged } from './inputs.js';
import type { ResolvedInstance } from './keys.js';
import { checkOutputs } from './outputs.js';
import type { NoteLevel, RunReporter } from './reporter.js';
import { type Session, safeName } from './session.js';
import { StepLog } from './step-log.js';
import type { RunOptions, StepReport } from './types.js';

export interface StepRunInput {
  readonly session: Session;
  readonly instance: StepInstance;
  readonly resolved: ResolvedInstance;
  readonly runSignal: AbortSignal;
  readonly reporter: RunReporter;
  readonly options: RunOptions;
  readonly gpuSlot: number | undefined;
  /** `--force`: recompute even if an entry exists, and replace it. */
  readonly force: boolean;
  /** Extra reason printed when the step starts (e.g. a quarantined entry). */
  readonly note?: { readonly text: string; readonly level: NoteLevel };
}

/** Output name -> absolute path and content hash, as downstream steps need it. */
export type OutputInfo = Record<string, { path: string; hash: string }>;

/** A relative path `join` would leave as it is: `/`-separated names, none empty, `.` or `..`. */
const NORMAL_RELATIVE = /^(?!\.\.?(?:\/|$))[^/\\]+(?:\/(?!\.\.?(?:\/|$))[^/\\]+)*$/;

/**
 * `join(dir, relPath)` for a normal `dir` (an entry's `out` folder). A manifest path is already
 * normal (`checkOutputs` made it so), so it is concatenated, as `join` would only copy it (17 ms
 * of a 10,000-step no-op rerun); anything unusual goes through `join`.
 */
export function joinNormal(dir: string, relPath: string): string {
  return NORMAL_RELATIVE.test(relPath) ? `${dir}/${relPath}` : join(dir, relPath);
}

/** Outputs of the entry `key` (from its manifest or the entry index) as absolute paths and hashes. */
export function entryOutputs(session: Session, key: string, outputs: EntryOutputs): OutputInfo {
  const info: OutputInfo = {};
  const outDir = `${session.store.entryDir(key)}${sep}out`;
  for (const name in outputs) {
    const output = outputs[name]!;
    info[name] = { path: joinNormal(outDir, output.path), hash: output.hash };
  }
  return info;
}

/** Outputs of a manifest as absolute paths and hashes. */
export function manifestOutputs(session: Session, manifest: CacheManifest): OutputInfo {
  return entryOutputs(session, manifest.key, manifest.outputs);
}

function isShell(instance: StepInstance): boolean {
  return instance.definition.name === 'shell' && instance.pluginModule === undefined;
}

/** What `runStep` hands back to the scheduler. */
export interface StepRunResult {
  readonly report: StepReport;
  readonly outputs?: OutputInfo;
  /**
   * Set when the step was aborted but its in-process `run` ignored the signal and is still
   * executing: settles when it returns. The scheduler keeps the step's CPU slot until then.
   */
  readonly stillRunning?: Promise<void>;
}

/** Compute one instance (see the file comment). */
export async function runStep(input: StepRunInput): Promise<StepRunResult> {
  let stillRunning: Promise<void> | undefined;
  const result = await computeStep(input, (settled) => {
    stillRunning = settled;
  });
  return stillRunning === undefined ? result : { ...result, stillRunning };
}

async function computeStep(
  input: StepRunInput,
  onAbandoned: (stillRunning: Promise<void>) => void,
): Promise<{ report: StepReport; outputs?: OutputInfo }> {
  const { session, instance, resolved, reporter } = input;
  const base = {
    id: instance.id,
    uses: instance.definition.name,
    version: instance.definition.version,
    key: resolved.key,
  };
  const log = new StepLog(join(session.logsDir, `${safeName(instance.id)}.log`), (level, message) => {
    if (level === 'warn') reporter.stepWarning(instance.id, message);
  });
  let release: (() => Promise<void>) | undefined;
  try {
    release = await acquireKeyLock(session.store.locksDir, resolved.key, input.runSignal, (owner) =>
      reporter.note(instance.id, `waiting: another run (pid ${owner.pid}) is computing this step`),
    );
    const existing = input.force ? undefined : session.store.readManifest(resolved.key);
    if (existing !== undefined) {
      reporter.note(instance.id, 'computed meanwhile by another run: using its entry', 'info');
      const info = manifestOutputs(session, existing);
      return {
        report: { ...base, status: 'cached', durationMs: 0, attempts: 0, ...reportOutputs(info) },
        outputs: info,
      };
    }
    if (input.note !== undefined) reporter.note(instance.id, input.note.text, input.note.level);
    let attempts = 0;
    for (;;) {
      attempts++;
      const started = performance.now();
      const outcome = await attempt(input, log, onAbandoned);
      const durationMs = performance.now() - started;
      if (outcome.ok) {
        return {
          report: {
            ...base,
            status: 'succeeded',
            durationMs,
            attempts,
            ...reportOutputs(outcome.outputs),
            logFile: log.file,
            ...(outcome.backend === undefined ? {} : { backend: outcome.backend }),
          },
          outputs: outcome.outputs,
        };
      }
      if (input.runSignal.aborted) {
        return {
          report: { ...base, status: 'aborted', durationMs, attempts, error: 'cancelled while running' },
        };
      }
      if (attempts <= instance.retries) {
        log.warn(`attempt ${attempts} failed: ${outcome.message}; retrying`);
        continue;
      }
      log.write('info', `failed: ${outcome.message}`);
      return {
        report: {
          ...base,
          status: 'failed',
          durationMs,
          attempts,
          error: outcome.message,
          logFile: log.file,
        },
      };
    }
  } catch (error) {
    if (input.runSignal.aborted)
      return { report: { ...base, status: 'aborted', durationMs: 0, attempts: 0 } };
    const message = error instanceof Error ? error.message : String(error);
    log.write('info', `failed: ${message}`);
    return {
      report: { ...base, status: 'failed', durationMs: 0, attempts: 0, error: message, logFile: log.file },
    };
  } finally {
    await release?.();
    await log.flush(false).catch(() => undefined);
  }
}

type AttemptOutcome =
  | { ok: true; outputs: OutputInfo; backend: string | undefined }
  | { ok: false; message: string };

async function attempt(
  input: StepRunInput,
  log: StepLog,
  onAbandoned: (stillRunning: Promise<void>) => void,
): Promise<AttemptOutcome> {
  const { session, instance, resolved, reporter } = input;
  // AbortSignal.any only when there is a timeout: each combined signal costs listeners and
  // garbage-collector work that showed up in 10,000-step runs.
  const signal =
    instance.timeoutMs === undefined
      ? input.runSignal
      : AbortSignal.any([input.runSignal, AbortSignal.timeout(instance.timeoutMs)]);
  const pending = await session.store.begin(resolved.key);
  const started = Date.now();
  let backend: string | undefined;
  try {
    const validate =
      input.options.validateParams ??
      ((inst: StepInstance, params: unknown) =>
        validateResolvedParams(inst.definition, inst.id, params as never));
    const params = validate(instance, resolved.params as Record<string, unknown>);
    reporter.stepStarted(instance.id);
    const request: ExecRequest = {
      instance,
      params,
      outDir: pending.outDir,
      // The seed the key was made with (keys.ts): an entry's bytes and its key agree.
      seed: resolved.material.seed,
      provenance: {
        step: instance.definition.name,
        version: instance.definition.version,
        id: instance.id,
        key: resolved.key,
        recipe: session.graph.recipe.name,
      },
      recipeDir: session.graph.recipe.dir,
      signal,
      log,
      onProgress: (done, total) => reporter.stepProgress(instance.id, done, total),
      onBackend: (description) => {
        backend = description;
        log.write('info', `backend: ${description}`);
      },
      gpuSlot: input.gpuSlot,
      onAbandoned,
    };
    const returned =
      instance.isolate && !isShell(instance)
        ? await executeInChild(request, input.options.execStepCommand ?? defaultExecStepCommand())
        : await executeInProcess(request);
    const expected = isShell(instance) ? undefined : Object.keys(instance.definition.outputs);
    const relPaths = await checkOutputs(instance.id, pending.outDir, returned, expected);
    const outputs: Record<string, { path: string; hash: string; bytes: number }> = {};
    for (const [name, rel] of Object.entries(relPaths)) {
      const hashed = await hashPath(join(pending.outDir, rel));
      outputs[name] = { path: rel, hash: hashed.hash, bytes: hashed.bytes };
    }
    const manifest: CacheManifest = {
      format: resolved.material.format,
      key: resolved.key,
      uses: instance.definition.name,
      version: instance.definition.version,
      id: instance.id,
      recipe: session.graph.recipe.name,
      material: resolved.material,
      outputs,
      createdAt: new Date().toISOString(),
      durationMs: Date.now() - started,
      deterministic: instance.deterministic,
    };
    await assertInputsUnchanged(session.inputs, instance);
    if (await session.store.commit(pending, manifest, input.force)) session.index.committed(manifest);
    return { ok: true, outputs: manifestOutputs(session, manifest), backend };
  } catch (error) {
    await session.store.discard(pending).catch(() => undefined);
    return { ok: false, message: describeFailure(error, signal, input) };
  }
}

function describeFailure(error: unknown, signal: AbortSignal, input: StepRunInput): string {
  if (signal.aborted && !input.runSignal.aborted && input.instance.timeoutMs !== undefined) {
    return `timed out after ${input.instance.timeoutMs} ms (timeout: in the recipe)`;
  }
  if (error instanceof AsterismError) {
    const message = messageWithFile(error);
    return error.hint === undefined ? message : `${message} (${error.hint})`;
  }
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC')
      return `no space left on the device while writing the step's outputs: ${error.message}`;
    return error.stack ?? error.message;
  }
  return String(error);
}

/** `asterism exec-step` via the same node, loader flags and entry script as this process. */
export function defaultExecStepCommand(): string[] {
  const entry = process.argv[1];
  if (entry === undefined)
    throw new AsterismError('EXEC_STEP', 'cannot locate the asterism entry script for exec-step');
  return [process.execPath, ...process.execArgv, entry, 'exec-step'];
}

/** A step report's `outputs` (absolute paths) and `outputHashes`, split from `info` in one pass. */
export function reportOutputs(info: OutputInfo): {
  outputs: Record<string, string>;
  outputHashes: Record<string, string>;
} {
  const outputs: Record<string, string> = {};
  const outputHashes: Record<string, string> = {};
  for (const name in info) {
    const output = info[name]!;
    outputs[name] = output.path;
    outputHashes[name] = output.hash;
  }
  return { outputs, outputHashes };
}
