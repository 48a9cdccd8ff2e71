import { describe, expect, it } from 'vitest';
import { collectRefs, resolveTemplate } from '../../../../engine/graph/template.js';
import type { OutputRef, Template } from '../../../../engine/graph/types.js';

const single: OutputRef = { $ref: 'output', step: 'sky', output: 'science', instances: ['sky'], list: false };
const list: OutputRef = {
  $ref: 'output',
  step: 'make',
  output: 'data',
  instances: ['make[k=1]', 'make[k=2]'],
  list: true,
};

const template: Template = {
  science: single,
  all: list,
  command: { $ref: 'interpolate', parts: ['cat ', list, ' > ', { $ref: 'input', name: 'table' }] },
  schema: { $ref: 'literal', value: { $ref: '#/definitions/x' } },
  nested: [{ n: 3 }, single],
};

describe('resolveTemplate', () => {
  it('replaces references with paths, lists for matrix steps, and joins lists inside strings', () => {
    const resolved = resolveTemplate(template, {
      output: (ref, id) => `/cache/${id}/${ref.output}.fits`,
      input: (ref) => `/data/${ref.name}.csv`,
    });
    expect(resolved).toEqual({
      science: '/cache/sky/science.fits',
      all: ['/cache/make[k=1]/data.fits', '/cache/make[k=2]/data.fits'],
      command: 'cat /cache/make[k=1]/data.fits /cache/make[k=2]/data.fits > /data/table.csv',
      schema: { $ref: '#/definitions/x' },
      nested: [{ n: 3 }, '/cache/sky/science.fits'],
    });
  });

  it('lists every reference, including those inside interpolations', () => {
    expect(collectRefs(template).map((ref) => (ref.$ref === 'output' ? ref.step : ref.name))).toEqual([
      'sky',
      'make',
      'make',
      'table',
      'sky',
    ]);
  });
});
