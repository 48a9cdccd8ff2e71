/**
 * The recipe graph: what `engine/recipe` + `engine/graph` hand to the planner and scheduler.
 *
 * Parameters and matrix values are substituted when the graph is built. References to step
 * outputs and recipe inputs stay symbolic (`Template` reference nodes) until run time, because
 * only then are the paths (and their content hashes) known. Use `resolveTemplate`
 * (`engine/graph/template.ts`) to turn a template into plain JSON, once with paths for the step
 * and once with content hashes for the cache key.
 */
import type { SourceLocation } from '../errors.js';
import type { AnyStepDefinition } from '../step.js';

/** Plain JSON, as YAML scalars, sequences and mappings load. */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | JsonObject;
export interface JsonObject {
  readonly [key: string]: JsonValue;
}

/**
 * `${{ steps.STEP.outputs.OUTPUT }}`. Resolves to the absolute path of the output, or, when
 * `list` is true (STEP has a `matrix`), to the list of its instances' paths in `instances` order.
 */
export interface OutputRef {
  readonly $ref: 'output';
  /** The referenced step id as written in the recipe (no matrix suffix). */
  readonly step: string;
  readonly output: string;
  /** Instance ids that produce the value; one element unless `list`. */
  readonly instances: readonly string[];
  /** True when the reference yields a list (the referenced step is a matrix step). */
  readonly list: boolean;
}

/** `${{ inputs.NAME }}`: files, folders or globs from the recipe's `inputs:` (see `RecipeInfo`). */
export interface InputRef {
  readonly $ref: 'input';
  readonly name: string;
}

/** A string with embedded run-time references, e.g. `python fit.py ${{ steps.a.outputs.x }}`. */
export interface InterpolateRef {
  readonly $ref: 'interpolate';
  readonly parts: readonly (string | OutputRef | InputRef)[];
}

/**
 * A user value that is a mapping with its own `$ref` key (e.g. a JSON Schema passed as a
 * param): wrapped so it is never mistaken for a reference node.
 */
export interface LiteralRef {
  readonly $ref: 'literal';
  readonly value: JsonValue;
}

export type RefNode = OutputRef | InputRef | InterpolateRef | LiteralRef;

/** A step's `with:` after params and matrix substitution: JSON plus run-time reference nodes. */
export type Template =
  | null
  | boolean
  | number
  | string
  | readonly Template[]
  | RefNode
  | { readonly [key: string]: Template };

/** Resource claims with defaults filled in. */
export interface ResolvedResources {
  readonly cpu: number;
  readonly gpu: number;
  /** 0 when the step declares none. */
  readonly memoryMb: number;
}

/** One node of the graph: a recipe step, or one combination of a matrix step. */
export interface StepInstance {
  /** Unique id: the step id, plus `[k=v,...]` for a matrix instance: `traverse[direction=tuf]`. */
  readonly id: string;
  /** The step id as written under `steps:`. */
  readonly stepId: string;
  /** This instance's matrix combination, absent for a plain step. */
  readonly matrix?: Readonly<Record<string, JsonValue>>;
  readonly definition: AnyStepDefinition;
  /**
   * Changes whenever the step's code changes: `builtin:<package version>` for built-in steps,
   * `plugin:<sha256 of the module file and its local imports>` for plugin steps.
   */
  readonly codeIdentity: string;
  /** Absolute path of the plugin module that defines the step; absent for built-in steps. */
  readonly pluginModule?: string;
  /** Parameters (defaults filled in), with run-time references still symbolic. */
  readonly with: { readonly [key: string]: Template };
  /** Instance ids this instance waits for (from output references and `needs:`), sorted. */
  readonly dependsOn: readonly string[];
  readonly resources: ResolvedResources;
  /** From `timeout:` (e.g. `30m`); absent means no limit. */
  readonly timeoutMs?: number;
  /** Extra attempts after a failure. @default 0 */
  readonly retries: number;
  /** Run in a child process: `isolate: true`, a GPU claim, or the `shell` step. */
  readonly isolate: boolean;
  /** False for steps whose bytes legitimately vary (GPU training); `verify` tolerates them. */
  readonly deterministic: boolean;
  /** Where the step is defined in the recipe (its key under `steps:`). */
  readonly location: SourceLocation;
}

/** The recipe's top level, after `--set` overrides. Paths are absolute. */
export interface RecipeInfo {
  readonly name: string;
  /** Absolute path of the recipe file. */
  readonly file: string;
  /** Absolute path of the folder holding the recipe: relative paths resolve against it. */
  readonly dir: string;
  readonly description: string;
  /** Final parameter values (recipe defaults, then `--set`). */
  readonly params: Readonly<Record<string, JsonValue>>;
  /** Input name -> file, folder or glob as written (relative to `dir`). */
  readonly inputs: Readonly<Record<string, string>>;
  /** Absolute paths of the plugin modules. */
  readonly plugins: readonly string[];
}

/** A validated, expanded, acyclic recipe graph. */
export interface RecipeGraph {
  readonly recipe: RecipeInfo;
  /** Instance id -> instance, in topological order. */
  readonly instances: ReadonlyMap<string, StepInstance>;
  /** Instance ids in a topological order (dependencies first; ties in recipe order). */
  readonly order: readonly string[];
  /** Step id (as written under `steps:`) -> its instance ids (one unless it has a matrix). */
  readonly steps: ReadonlyMap<string, readonly string[]>;
}
