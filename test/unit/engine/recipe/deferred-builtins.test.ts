/**
 * Built-in steps known by name only until a recipe uses one (`DeferredSteps`): a recipe of
 * plugin steps must not pay for importing the science steps' modules.
 */
import { describe, expect, it } from 'vitest';
import { loadRecipeText } from '../../../../engine/recipe/load.js';
import { RecipeError } from '../../../../engine/recipe/types.js';
import { StepRegistry } from '../../../../engine/registry.js';
import { type AnyStepDefinition, defineStep } from '../../../../engine/step.js';
import { HEADER, recipePath } from './helpers.js';

const builtin = defineStep({
  name: 'fake-builtin',
  version: '1',
  description: 'A built-in step whose module is loaded late.',
  params: { type: 'object', properties: { n: { type: 'number' } } } as const,
  outputs: {},
  async run() {
    return {};
  },
});

/** A registry whose one deferred built-in counts how often its module is "imported". */
function deferredRegistry(names: readonly string[] = ['fake-builtin']): {
  registry: StepRegistry;
  loads: () => number;
} {
  let loads = 0;
  const registry = StepRegistry.fromBuiltins([], {
    names,
    load: async () => {
      loads++;
      return [builtin as AnyStepDefinition];
    },
  });
  return { registry, loads: () => loads };
}

async function load(registry: StepRegistry, steps: string): Promise<void> {
  await loadRecipeText(recipePath, `${HEADER}steps:\n${steps}`, { registry });
}

describe('deferred built-in steps', () => {
  it('are not loaded for a recipe of plugin steps, and loaded once for one that uses them', async () => {
    const { registry, loads } = deferredRegistry();
    await load(registry, '  a: { uses: make, with: { n: 1, label: x } }\n');
    expect(loads()).toBe(0);
    await load(registry, '  a: { uses: fake-builtin, with: { n: 1 } }\n');
    expect(loads()).toBe(1);
    // Each recipe works on its own copy of the registry; the module system caches the import.
    expect(registry.get('fake-builtin')).toBeUndefined();
  });

  it('validate the params of a built-in step once loaded', async () => {
    const { registry } = deferredRegistry();
    const error = await load(registry, '  a: { uses: fake-builtin, with: { n: one } }\n').catch((e) => e);
    expect(error).toBeInstanceOf(RecipeError);
    expect((error as RecipeError).problems.map((p) => p.code)).toEqual(['INVALID_PARAM']);
  });

  it('take part in did-you-mean and clash with a plugin step of the same name, unloaded', async () => {
    const { registry, loads } = deferredRegistry();
    expect(registry.names()).toContain('fake-builtin');
    const clash = registry
      .clone()
      .add({ definition: { ...builtin, name: 'fake-builtin' }, codeIdentity: 'p' });
    expect(clash).toMatch(/clashes with a built-in step/);
    const typo = (await load(registry, '  a: { uses: fake-bultin }\n').catch((e) => e)) as RecipeError;
    expect(typo.problems[0]?.hint).toMatch(/fake-builtin/);
    expect(loads()).toBe(0);
  });

  it('refuse a list of names that does not match what the module exports', async () => {
    const { registry } = deferredRegistry(['fake-builtin', 'missing-step']);
    expect(() => registry.list()).toThrow(/before loadAll/);
    await expect(registry.loadAll()).rejects.toThrow(/differ from the steps loaded .*update the list/);
  });
});
