/**
 * Executors: how one attempt of a step runs, in this process or in a child process.
 */
import type { StepInstance } from '../graph/types.js';
import type { StepContext, StepProvenance } from '../step.js';
import type { StepLog } from './step-log.js';

/** Everything one attempt needs. */
export interface ExecRequest {
  readonly instance: StepInstance;
  readonly params: Record<string, unknown>;
  readonly outDir: string;
  readonly seed: number;
  readonly provenance: StepProvenance;
  readonly recipeDir: string;
  /** Aborted on Ctrl-C, timeout or invalidation. */
  readonly signal: AbortSignal;
  readonly log: StepLog;
  readonly onProgress: (done: number, total: number) => void;
  /** The step's `ctx.reportBackend`. */
  readonly onBackend: (description: string) => void;
  /** GPU slot held (sets CUDA_VISIBLE_DEVICES in a child), undefined when none. */
  readonly gpuSlot: number | undefined;
  /**
   * Called when the signal won the race against an in-process `run` that has not returned:
   * `stillRunning` settles when it does. The caller keeps counting that body as running
   * (its open files and memory are real) instead of starting more work on top of it.
   */
  readonly onAbandoned?: (stillRunning: Promise<void>) => void;
}

/** Run the step's `run` here. Rejects with the abort reason as soon as the signal fires. */
export async function executeInProcess(request: ExecRequest): Promise<unknown> {
  const ctx: StepContext = {
    params: request.params,
    outDir: request.outDir,
    signal: request.signal,
    log: request.log,
    progress: request.onProgress,
    reportBackend: request.onBackend,
    seed: request.seed,
    provenance: request.provenance,
    recipeDir: request.recipeDir,
  };
  request.signal.throwIfAborted();
  // A step that ignores its signal cannot be stopped in-process; the race at least lets the run
  // move on (heavy steps are isolated in child processes, which can be killed).
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(request.signal.reason);
    request.signal.addEventListener('abort', onAbort, { once: true });
  });
  let returned = false;
  const body = request.instance.definition.run(ctx);
  const settled = Promise.resolve(body).then(
    () => {
      returned = true;
    },
    () => {
      returned = true;
    },
  );
  try {
    return await Promise.race([body, aborted]);
  } catch (error) {
    if (request.signal.aborted && !returned) request.onAbandoned?.(settled);
    throw error;
  } finally {
    if (onAbort !== undefined) request.signal.removeEventListener('abort', onAbort);
  }
}
