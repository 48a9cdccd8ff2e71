/**
 * The step registry: built-in steps (handed in by the `bin`, plus the engine's own `shell` step)
 * and the steps of a recipe's plugins. Names are unique; a clash is a clear error.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AnyStepDefinition } from './step.js';

/** A step the registry knows, with where it came from. */
export interface RegisteredStep {
  readonly definition: AnyStepDefinition;
  /** `builtin:asterism@<version>` or `plugin:sha256:<hex>`; part of every cache key. */
  readonly codeIdentity: string;
  /** Absolute path of the plugin module; absent for built-in steps. */
  readonly module?: string;
}

const STEP_NAME = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

/**
 * What is wrong with a step definition (a plain object works as well as `defineStep`), or
 * undefined when it is usable.
 */
export function checkDefinition(candidate: unknown): string | undefined {
  if (typeof candidate !== 'object' || candidate === null) return 'is not an object';
  const step = candidate as Record<string, unknown>;
  if (typeof step.name !== 'string' || !STEP_NAME.test(step.name)) {
    return `has name ${JSON.stringify(step.name)}; expected lowercase kebab-case such as \`fit-psf\``;
  }
  const what = `step \`${step.name}\``;
  if (typeof step.version !== 'string' || step.version === '') return `${what} needs a \`version\` string`;
  if (typeof step.description !== 'string') return `${what} needs a one-line \`description\``;
  if (typeof step.params !== 'object' || step.params === null)
    return `${what} needs a \`params\` JSON Schema object`;
  if (typeof step.outputs !== 'object' || step.outputs === null) return `${what} needs an \`outputs\` object`;
  if (typeof step.run !== 'function') return `${what} needs a \`run(ctx)\` function`;
  return undefined;
}

/**
 * Built-in steps known by name before their modules are loaded: the bin's science steps import
 * TensorFlow.js and friends (about 0.1 s), which a recipe of plugin steps never needs.
 */
export interface DeferredSteps {
  /** The names `load` returns, in any order (checked when it runs). */
  readonly names: readonly string[];
  readonly load: () => Promise<readonly AnyStepDefinition[]>;
}

/** Steps by name. */
export class StepRegistry {
  readonly #steps = new Map<string, RegisteredStep>();
  /** Built-in names whose definitions are not loaded yet. */
  #deferred: DeferredSteps | undefined;

  /** A registry of the given built-in steps; throws on an invalid definition or a duplicate name. */
  static fromBuiltins(definitions: readonly AnyStepDefinition[], deferred?: DeferredSteps): StepRegistry {
    const registry = new StepRegistry();
    registry.#addBuiltins(definitions);
    if (deferred !== undefined) {
      for (const name of deferred.names) {
        if (registry.#steps.has(name)) throw new Error(`built-in step name \`${name}\` is given twice`);
      }
      registry.#deferred = deferred;
    }
    return registry;
  }

  #addBuiltins(definitions: readonly AnyStepDefinition[]): void {
    const codeIdentity = `builtin:asterism@${packageVersion()}`;
    for (const definition of definitions) {
      const problem = checkDefinition(definition);
      if (problem !== undefined) throw new Error(`built-in step ${problem}`);
      const clash = this.add({ definition, codeIdentity });
      if (clash !== undefined) throw new Error(clash);
    }
  }

  /** A copy, to which a recipe's plugin steps can be added without touching this one. */
  clone(): StepRegistry {
    const copy = new StepRegistry();
    for (const step of this.#steps.values()) copy.#steps.set(step.definition.name, step);
    copy.#deferred = this.#deferred;
    return copy;
  }

  /** Add a step; returns an error message when the name is taken (by a deferred built-in too). */
  add(step: RegisteredStep): string | undefined {
    const { name } = step.definition;
    const existing = this.#steps.get(name);
    const from = (s: RegisteredStep): string =>
      s.module === undefined ? 'a built-in step' : `the plugin ${s.module}`;
    if (existing !== undefined || this.#deferred?.names.includes(name) === true) {
      return `step name \`${name}\` from ${from(step)} clashes with ${existing === undefined ? 'a built-in step' : from(existing)}`;
    }
    this.#steps.set(name, step);
    return undefined;
  }

  /**
   * Load the deferred built-ins if any of `names` is one of them, so that `get` finds every
   * built-in a recipe uses. Names that are plugin steps, loaded already, or unknown load nothing.
   */
  async ensure(names: Iterable<string>): Promise<void> {
    const deferred = this.#deferred;
    if (deferred === undefined) return;
    for (const name of names) {
      if (deferred.names.includes(name)) {
        await this.loadAll();
        return;
      }
    }
  }

  /** Load every deferred built-in (what `list` and the step documentation need). */
  async loadAll(): Promise<this> {
    const deferred = this.#deferred;
    if (deferred === undefined) return this;
    const definitions = await deferred.load();
    const loaded = definitions.map((definition) => definition.name).sort();
    const expected = [...deferred.names].sort();
    if (loaded.join('\n') !== expected.join('\n')) {
      throw new Error(
        `the built-in step names (${expected.join(', ')}) differ from the steps loaded (${loaded.join(', ')}): update the list of names`,
      );
    }
    // Cleared first: `add` refuses the deferred names.
    this.#deferred = undefined;
    this.#addBuiltins(definitions);
    return this;
  }

  /** The step called `name`; a deferred built-in is found only after `ensure`/`loadAll`. */
  get(name: string): RegisteredStep | undefined {
    return this.#steps.get(name);
  }

  /** Registered names, deferred built-ins included, sorted. */
  names(): string[] {
    return [...this.#steps.keys(), ...(this.#deferred?.names ?? [])].sort();
  }

  /** Registered steps, sorted by name; throws while built-ins are deferred (`loadAll` first). */
  list(): RegisteredStep[] {
    if (this.#deferred !== undefined)
      throw new Error('internal: list() before loadAll() of the built-in steps');
    return this.names().map((name) => this.#steps.get(name)!);
  }
}

let cachedVersion: string | undefined;

/** The version of the asterism package (from the nearest package.json named `asterism`). */
export function packageVersion(): string {
  if (cachedVersion !== undefined) return cachedVersion;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'asterism' && typeof pkg.version === 'string') {
        cachedVersion = pkg.version;
        return pkg.version;
      }
    } catch {
      // no package.json here: keep walking up
    }
    dir = dirname(dir);
  }
  cachedVersion = '0.0.0';
  return cachedVersion;
}
