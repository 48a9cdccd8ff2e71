/**
 * An in-process step that ignores its abort signal keeps running after the run moved on. The
 * watch soak leaked one open input file (and its buffers) per such body, because every rerun
 * started new work on top of them; the scheduler now keeps their slot until they return.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defineStep } from '../../../../engine/index.js';
import { runRecipe } from '../../../../engine/run/index.js';
import { makeGraph, sink, tempDir } from './fixtures/graph.js';

/** Yield to the event loop `n` times (macrotasks, not timers): work the run could overlap. */
async function hops(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

describe('aborted steps that ignore their signal', () => {
  it('keep their CPU slot until their body returns', async () => {
    const dir = await tempDir();
    const input = join(dir, 'input.txt');
    await writeFile(input, 'data');
    const controllers = new Map<string, AbortController>();
    const events: string[] = [];
    const stubborn = defineStep({
      name: 'stubborn',
      version: '1',
      description: 'Reads a real file after being aborted, ignoring ctx.signal.',
      params: { type: 'object' } as const,
      outputs: {},
      async run() {
        events.push('stubborn started');
        controllers.get('stubborn')?.abort(new Error('its input changed'));
        await hops(20);
        await readFile(input);
        events.push('stubborn returned');
        return {};
      },
    });
    const next = defineStep({
      name: 'next',
      version: '1',
      description: 'Records when it starts.',
      params: { type: 'object' } as const,
      outputs: {},
      async run() {
        events.push('next started');
        return {};
      },
    });
    const graph = makeGraph(dir, [
      { id: 'stubborn', definition: stubborn },
      { id: 'next', definition: next },
    ]);
    const report = await runRecipe(graph, {
      stderr: sink().stream,
      jobs: 1,
      gpus: 0,
      stepSignal: (id) => {
        const controller = new AbortController();
        controllers.set(id, controller);
        return controller.signal;
      },
    });
    expect(report.steps.map((step) => [step.id, step.status])).toEqual([
      ['stubborn', 'aborted'],
      ['next', 'succeeded'],
    ]);
    // jobs: 1 means one body at a time, aborted or not.
    expect(events).toEqual(['stubborn started', 'stubborn returned', 'next started']);
  });
});
