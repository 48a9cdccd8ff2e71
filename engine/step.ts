/**
 * The step contract: what a registered step is, and what it gets when it runs.
 *
 * Built-in steps (`steps/`) and users' plugin steps implement the same interface. `defineStep`
 * is an identity helper whose only job is type inference: the `params` JSON Schema (written
 * `as const`) determines the type of `ctx.params`, and the keys of `outputs` the keys `run`
 * must return.
 */
import type { JsonSchema, ParamsOf } from './params-type.js';

/** Resource claims honoured by the scheduler. */
export interface StepResources {
  /** CPU slots the step occupies while it runs. @default 1 */
  readonly cpu?: number;
  /** GPU slots; with no GPU on the machine, GPU steps run on the CPU one at a time. @default 0 */
  readonly gpu?: number;
  /** Memory the step expects to need, in MiB (advisory; used for child-process limits). */
  readonly memoryMb?: number;
}

/** Logging for a running step; lines are attributed to the step and kept in its log file. */
export interface StepLogger {
  info(message: string): void;
  warn(message: string): void;
  debug(message: string): void;
}

/** Who produced an output: written into FITS headers and provenance by science steps. */
export interface StepProvenance {
  /** Registered step name, e.g. `difference`. */
  readonly step: string;
  /** Step version. */
  readonly version: string;
  /** Instance id in the recipe, e.g. `traverse[direction=tuf]`. */
  readonly id: string;
  /** The cache key of this run of the step (hex). */
  readonly key: string;
  /** The recipe name. */
  readonly recipe: string;
}

/** What `run` receives. */
export interface StepContext<P = Record<string, unknown>> {
  /** Parameters after validation, defaults filled in, references resolved to absolute paths. */
  readonly params: P;
  /** The only folder the step may write into (absolute). Outputs are returned relative to it. */
  readonly outDir: string;
  /** Aborted on Ctrl-C, timeout, or when watch mode invalidates the step. */
  readonly signal: AbortSignal;
  readonly log: StepLogger;
  /** Report progress; `total` may change between calls (e.g. batches per epoch). */
  progress(done: number, total: number): void;
  /** A 32-bit unsigned seed: all randomness in a step derives from it. */
  readonly seed: number;
  readonly provenance: StepProvenance;
  /** The folder holding the recipe (absolute): relative user paths in params resolve against it. */
  readonly recipeDir: string;
  /**
   * Record the compute backend this run used (e.g. `asterism-cpu, 2 threads`): it goes into the
   * step's report and the run's provenance record. Optional so hand-made contexts in tests and
   * other executors need not provide it; steps call it as `ctx.reportBackend?.(...)`.
   */
  readonly reportBackend?: (description: string) => void;
}

/** Output name -> path relative to `ctx.outDir`. */
export type StepOutputs<O extends string = string> = { readonly [K in O]: string };

/** A registered step. */
export interface StepDefinition<P = Record<string, unknown>, O extends string = string> {
  /** Registered name, used in recipes as `uses: NAME`. Lowercase, kebab-case. */
  readonly name: string;
  /** Bump when results would change: part of every cache key. */
  readonly version: string;
  /** One line, shown by `asterism steps`. */
  readonly description: string;
  /** JSON Schema of `with:`; validated with ajv (defaults filled in). */
  readonly params: JsonSchema;
  /** Output name -> one-line description of what it holds. */
  readonly outputs: { readonly [K in O]: string };
  readonly resources?: StepResources;
  /** Run in a child process (`asterism exec-step`) even without a GPU claim. @default false */
  readonly isolate?: boolean;
  /** `false` for steps whose bytes legitimately vary run to run (GPU training). @default true */
  readonly deterministic?: boolean;
  run(ctx: StepContext<P>): Promise<StepOutputs<O>>;
}

/** A step definition as the registry holds it, with types erased. */
// biome-ignore lint/suspicious/noExplicitAny: the registry holds steps of every parameter type
export type AnyStepDefinition = StepDefinition<any, string>;

/**
 * Identity helper that infers `ctx.params` from the params schema.
 *
 * @example
 * export const hello = defineStep({
 *   name: 'hello', version: '1', description: 'Write a greeting.',
 *   params: { type: 'object', properties: { who: { type: 'string', default: 'world' } },
 *             required: ['who'], additionalProperties: false } as const,
 *   outputs: { greeting: 'a text file' },
 *   async run(ctx) {
 *     await writeFile(join(ctx.outDir, 'hello.txt'), `hello ${ctx.params.who}\n`);
 *     return { greeting: 'hello.txt' };
 *   },
 * });
 */
export function defineStep<const S extends JsonSchema, O extends string>(
  definition: StepDefinitionInput<S, O>,
): StepDefinition<ParamsOf<S>, O> {
  return definition as unknown as StepDefinition<ParamsOf<S>, O>;
}

/**
 * What `defineStep` accepts. `S` is inferred from `params` and `O` from `outputs` only
 * (`NoInfer` elsewhere), so a type error inside `run` is reported where it is rather than as a
 * failed inference of the whole definition.
 */
export interface StepDefinitionInput<S extends JsonSchema, O extends string>
  extends Omit<StepDefinition<never, O>, 'params' | 'outputs' | 'run'> {
  readonly params: S;
  readonly outputs: { readonly [K in O]: string };
  run(ctx: StepContext<ParamsOf<S>>): Promise<StepOutputs<NoInfer<O>>>;
}
