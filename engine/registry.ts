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

/** Steps by name. */
export class StepRegistry {
  readonly #steps = new Map<string, RegisteredStep>();

  /** A registry of the given built-in steps; throws on an invalid definition or a duplicate name. */
  static fromBuiltins(definitions: readonly AnyStepDefinition[]): StepRegistry {
    const registry = new StepRegistry();
    const codeIdentity = `builtin:asterism@${packageVersion()}`;
    for (const definition of definitions) {
      const problem = checkDefinition(definition);
      if (problem !== undefined) throw new Error(`built-in step ${problem}`);
      const clash = registry.add({ definition, codeIdentity });
      if (clash !== undefined) throw new Error(clash);
    }
    return registry;
  }

  /** A copy, to which a recipe's plugin steps can be added without touching this one. */
  clone(): StepRegistry {
    const copy = new StepRegistry();
    for (const step of this.#steps.values()) copy.#steps.set(step.definition.name, step);
    return copy;
  }

  /** Add a step; returns an error message when the name is taken. */
  add(step: RegisteredStep): string | undefined {
    const existing = this.#steps.get(step.definition.name);
    if (existing !== undefined) {
      const from = (s: RegisteredStep): string =>
        s.module === undefined ? 'a built-in step' : `the plugin ${s.module}`;
      return `step name \`${step.definition.name}\` from ${from(step)} clashes with ${from(existing)}`;
    }
    this.#steps.set(step.definition.name, step);
    return undefined;
  }

  get(name: string): RegisteredStep | undefined {
    return this.#steps.get(name);
  }

  /** Registered names, sorted. */
  names(): string[] {
    return [...this.#steps.keys()].sort();
  }

  /** Registered steps, sorted by name. */
  list(): RegisteredStep[] {
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
