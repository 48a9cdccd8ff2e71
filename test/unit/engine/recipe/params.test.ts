import { describe, expect, it } from 'vitest';
import { AsterismError } from '../../../../engine/errors.js';
import { resolveTemplate } from '../../../../engine/graph/template.js';
import { loadRecipeText } from '../../../../engine/recipe/load.js';
import { validateResolvedParams } from '../../../../engine/recipe/params.js';
import { StepRegistry } from '../../../../engine/registry.js';
import type { AnyStepDefinition } from '../../../../engine/step.js';
import { recipePath } from './helpers.js';

const step: AnyStepDefinition = {
  name: 'fit',
  version: '1',
  description: 'fit',
  params: {
    type: 'object',
    properties: { table: { type: 'string', pattern: '\\.csv$' }, degree: { type: 'integer', default: 2 } },
    required: ['table'],
    additionalProperties: false,
  },
  outputs: { model: 'a model' },
  run: async () => ({ model: 'm' }),
};

describe('validateResolvedParams (called by the scheduler once references are paths)', () => {
  it('returns a copy with defaults filled in', () => {
    const params = { table: '/cache/ab/out/t.csv' };
    expect(validateResolvedParams(step, 'fit', params)).toEqual({ table: '/cache/ab/out/t.csv', degree: 2 });
    expect(params).toEqual({ table: '/cache/ab/out/t.csv' });
  });

  it('names the instance and every failing param', () => {
    let caught: unknown;
    try {
      validateResolvedParams(step, 'fit[k=1]', { table: '/cache/t.fits', degree: 'two' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AsterismError);
    expect((caught as AsterismError).code).toBe('PARAMS_INVALID');
    expect((caught as AsterismError).message).toMatchInlineSnapshot(`
      "step \`fit[k=1]\` (uses: fit): resolved params do not match its schema:
        with/table: must match pattern "\\.csv$"
        with/degree: must be integer"
    `);
  });
});

describe('user mappings with a `$ref` key', () => {
  it('stay plain values (a JSON Schema passed as a param is not a reference)', async () => {
    const takesSchema: AnyStepDefinition = {
      ...step,
      name: 'check',
      params: { type: 'object', properties: { schema: { type: 'object' } }, additionalProperties: false },
    };
    const text =
      'recipe: t\nversion: 1\nsteps:\n  c:\n    uses: check\n    with:\n      schema: { $ref: "#/definitions/x" }\n';
    const { graph } = await loadRecipeText(recipePath, text, {
      registry: StepRegistry.fromBuiltins([takesSchema]),
    });
    const template = graph.instances.get('c')?.with ?? {};
    expect(template).toEqual({ schema: { $ref: 'literal', value: { $ref: '#/definitions/x' } } });
    expect(resolveTemplate(template, { output: () => null, input: () => null })).toEqual({
      schema: { $ref: '#/definitions/x' },
    });
  });
});
