import { describe, expect, it } from 'vitest';
import { expandMatrix, instanceId } from '../../../../engine/graph/matrix.js';
import { topologicalOrder } from '../../../../engine/graph/order.js';

describe('topologicalOrder', () => {
  it('puts dependencies first and keeps recipe order otherwise', () => {
    const deps: Record<string, string[]> = {
      report: ['plot', 'fit'],
      fit: ['load'],
      plot: ['load'],
      load: [],
    };
    const { order, cycles } = topologicalOrder(['report', 'plot', 'fit', 'load'], (id) => deps[id] ?? []);
    expect(order).toEqual(['load', 'plot', 'fit', 'report']);
    expect(cycles).toEqual([]);
  });

  it('finds each cycle once, as a path back to its start', () => {
    const deps: Record<string, string[]> = { a: ['b'], b: ['c'], c: ['a'], d: ['d'], e: ['a'] };
    const { cycles } = topologicalOrder(['a', 'b', 'c', 'd', 'e'], (id) => deps[id] ?? []);
    expect(cycles).toEqual([
      ['a', 'b', 'c', 'a'],
      ['d', 'd'],
    ]);
  });

  it('handles a 100,000-step chain without recursion', () => {
    const n = 100_000;
    const ids = Array.from({ length: n }, (_, i) => `s${i}`);
    const { order } = topologicalOrder(ids, (id) => (id === 's0' ? [] : [`s${Number(id.slice(1)) - 1}`]));
    expect(order.length).toBe(n);
    expect(order[0]).toBe('s0');
    expect(order[n - 1]).toBe(`s${n - 1}`);
  });
});

describe('matrix', () => {
  it('expands every combination, first key slowest, with readable ids', () => {
    const combos = expandMatrix({ direction: ['tuf', 'psep'], seed: [1, 2] });
    expect(combos.map((combo) => instanceId('traverse', combo))).toEqual([
      'traverse[direction=tuf,seed=1]',
      'traverse[direction=tuf,seed=2]',
      'traverse[direction=psep,seed=1]',
      'traverse[direction=psep,seed=2]',
    ]);
    expect(instanceId('plain', undefined)).toBe('plain');
  });
});
