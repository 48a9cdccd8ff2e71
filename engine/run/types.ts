/**
 * Types of the scheduler's public API: what `asterism run|plan|explain|show` pass in and get back.
 */
import type { Writable } from 'node:stream';
import type { StepInstance } from '../graph/types.js';
import type { AnyStepDefinition } from '../step.js';

/** The closed set of outcomes of one step instance in one run. */
export const StepStatus = {
  /** Computed in this run and stored in the cache. */
  succeeded: 'succeeded',
  /** An entry with this key already existed (or another process computed it meanwhile). */
  cached: 'cached',
  /** `run` threw, the child exited non-zero, was killed, or timed out. */
  failed: 'failed',
  /** Not started because a step it depends on failed (or was blocked itself). */
  blocked: 'blocked',
  /** Cancelled (Ctrl-C), or never started because the run stopped after a failure. */
  aborted: 'aborted',
  /** Excluded by `--only` / `--from`, or `--dry-run`. */
  skipped: 'skipped',
} as const;
export type StepStatus = (typeof StepStatus)[keyof typeof StepStatus];

/** How progress is shown. `auto` = `tty` when stderr is a terminal, else `plain`. */
export type LogFormat = 'auto' | 'tty' | 'plain' | 'json';

/**
 * Re-validates a step's parameters once run-time references are resolved to paths, filling in
 * defaults. Provided by `engine/recipe` (ajv, compiled once per step); throws an `AsterismError`.
 */
export type ParamsValidator = (
  instance: StepInstance,
  params: Readonly<Record<string, unknown>>,
) => Record<string, unknown>;

/** Options of `runRecipe` / `planRecipe`. Every field is optional; defaults are documented. */
export interface RunOptions {
  /**
   * Cache folder. @default `$ASTERISM_CACHE`, else `.asterism/` beside the recipe.
   */
  readonly cacheDir?: string;
  /** CPU slots. @default `os.availableParallelism()` */
  readonly jobs?: number;
  /**
   * GPU slots. @default the number of lines of `nvidia-smi -L`, 0 when it fails.
   * With 0, GPU-claiming steps run on the CPU one at a time.
   */
  readonly gpus?: number;
  /** Continue independent branches after a failure. @default false */
  readonly keepGoing?: boolean;
  /** Plan only; every step is reported `skipped` (or `cached`). @default false */
  readonly dryRun?: boolean;
  /** Run only these step ids (or instance ids) and whatever they need. */
  readonly only?: readonly string[];
  /** Run these step ids (or instance ids) and everything downstream; upstream must be cached. */
  readonly from?: readonly string[];
  /** Recompute these step ids (or instance ids) even when cached. `'*'` forces all. */
  readonly force?: readonly string[];
  /** Cancels the whole run (the CLI aborts it on SIGINT/SIGTERM). */
  readonly signal?: AbortSignal;
  /** @default 'auto' */
  readonly logFormat?: LogFormat;
  /** Where progress and the summary go. @default process.stderr */
  readonly stderr?: Writable;
  /** Called after references are resolved; see `ParamsValidator`. Absent: params used as is. */
  readonly validateParams?: ParamsValidator;
  /**
   * The command that starts `asterism exec-step JOBFILE` for isolated steps.
   * @default `[process.execPath, ...process.execArgv, process.argv[1], 'exec-step']`
   */
  readonly execStepCommand?: readonly string[];
  /** Write `<recipe name>.lock.yaml` beside the recipe after a fully successful run. @default true */
  readonly writeLock?: boolean;
  /** Print the final summary table. @default true */
  readonly summary?: boolean;
  /**
   * Report only failed, blocked and aborted steps, warnings and notes, then the outcome line
   * (`asterism run --quiet`). @default false
   */
  readonly quiet?: boolean;
  /**
   * A per-step cancellation signal (watch mode aborts only the steps a change invalidates).
   * Called once when a step starts computing; an aborted step is reported `aborted`.
   */
  readonly stepSignal?: (id: string) => AbortSignal | undefined;
}

/** The outcome of one step instance. */
export interface StepReport {
  readonly id: string;
  readonly uses: string;
  readonly version: string;
  readonly status: StepStatus;
  /** Cache key (hex); absent when it could not be computed (upstream not available). */
  readonly key?: string;
  /** Wall time in milliseconds (0 for cached/blocked/skipped). */
  readonly durationMs: number;
  /** Output name -> absolute path in the cache (for succeeded and cached steps). */
  readonly outputs?: Readonly<Record<string, string>>;
  /** Output name -> content hash. */
  readonly outputHashes?: Readonly<Record<string, string>>;
  /** Failure message (with the step's log path) for `failed`; the cause for `blocked`. */
  readonly error?: string;
  /** Absolute path of the step's log file. */
  readonly logFile?: string;
  /** Attempts made (1 + retries used). */
  readonly attempts: number;
  /** Backend reported by the step (`ctx.log.info('backend: ...')` is not parsed; see docs). */
  readonly backend?: string;
}

/** The outcome of a run. */
export interface RunReport {
  readonly recipe: string;
  /** `ok` when every selected step succeeded or was cached. */
  readonly outcome: 'ok' | 'failed' | 'aborted';
  readonly steps: readonly StepReport[];
  readonly durationMs: number;
  readonly cacheDir: string;
  /** Absolute path of this run's provenance record. */
  readonly provenanceFile?: string;
  /** Absolute path of the lock file written (absent if not written). */
  readonly lockFile?: string;
}

/** Why a step would run, or not. */
export interface PlanEntry {
  readonly id: string;
  readonly uses: string;
  /** `run`: would compute; `cached`: entry present; `skipped`: excluded by --only/--from;
   * `unknown`: depends on a step that must run first, so its key is not known yet. */
  readonly action: 'run' | 'cached' | 'skipped' | 'unknown';
  /** Key when computable. */
  readonly key?: string;
  /**
   * Human-readable reasons, e.g. `never ran`, `param epochs changed: 10 -> 50`,
   * `input steps.sky.outputs.science changed`, `step version changed: 1 -> 2`, `forced`,
   * `upstream sky must run first`.
   */
  readonly reasons: readonly string[];
}

export interface PlanReport {
  readonly recipe: string;
  readonly cacheDir: string;
  readonly steps: readonly PlanEntry[];
}

/** `asterism show RECIPE STEP --json`. */
export interface ShowReport {
  readonly step: string;
  readonly status: 'cached' | 'missing';
  readonly key?: string;
  readonly outputs: Readonly<Record<string, string>>;
}

/** What `asterism exec-step` needs to find steps: the built-ins (plugins are loaded by path). */
export interface ExecStepRegistry {
  readonly builtinSteps: readonly AnyStepDefinition[];
}
