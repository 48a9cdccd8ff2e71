import { getEventListeners } from 'node:events';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defineStep } from '../../../../engine/index.js';
import type { RunReport } from '../../../../engine/run/index.js';
import { watchRecipe } from '../../../../engine/watch/index.js';
import { concat, writeText } from '../run/fixtures/fake-steps.js';
import { makeGraph, ref, sink, tempDir } from '../run/fixtures/graph.js';

/** A queue of reports: `next()` resolves with the next run's report. */
function runs() {
  const waiting: ((report: RunReport) => void)[] = [];
  const ready: RunReport[] = [];
  return {
    push(report: RunReport) {
      const resolve = waiting.shift();
      if (resolve === undefined) ready.push(report);
      else resolve(report);
    },
    next(): Promise<RunReport> {
      const report = ready.shift();
      return report === undefined ? new Promise((resolve) => waiting.push(resolve)) : Promise.resolve(report);
    },
  };
}

describe('watchRecipe', () => {
  it('reruns what an input change touches, keeps the last good recipe when it breaks, stops on abort', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'data'));
    await writeFile(join(dir, 'data', 'one.txt'), '1');
    await writeFile(join(dir, 'recipe.yaml'), '# edited by the test\n');
    let broken = false;
    const load = async () => {
      if (broken) throw new Error('recipe.yaml:3:5: unknown step `concatt`');
      return makeGraph(
        dir,
        [
          { id: 'files', definition: concat, with: { inputs: { $ref: 'input', name: 'data' } } },
          { id: 'other', definition: writeText, with: { text: 'independent' } },
          {
            id: 'upper',
            definition: concat,
            with: { inputs: [ref('files', 'joined')] },
            dependsOn: ['files'],
          },
        ],
        { inputs: { data: 'data/*.txt' } },
      );
    };
    const reports = runs();
    const invalid: string[] = [];
    const controller = new AbortController();
    const out = sink();
    let ready: () => void = () => undefined;
    const isReady = new Promise<void>((resolve) => {
      ready = resolve;
    });
    const watching = watchRecipe({
      load,
      signal: controller.signal,
      stderr: out.stream,
      gpus: 0,
      logFormat: 'plain',
      debounceMs: 50,
      onReady: ready,
      onRun: (report) => reports.push(report),
      onInvalid: (message) => invalid.push(message),
    });
    await isReady;
    const first = await reports.next();
    expect(first.steps.map((s) => s.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);

    await writeFile(join(dir, 'data', 'two.txt'), '2');
    const second = await reports.next();
    expect(second.steps.map((s) => [s.id, s.status])).toEqual([
      ['files', 'succeeded'],
      ['other', 'cached'],
      ['upper', 'succeeded'],
    ]);
    expect(await readFile(second.steps[0]!.outputs!.joined!, 'utf8')).toBe('1|2');
    expect(out.text()).toMatch(/inputs\.data: 1 added \(data\/two\.txt\) → rerun: files, upper/);

    broken = true;
    await writeFile(join(dir, 'recipe.yaml'), '# broken\n');
    await expect.poll(() => invalid.length, { timeout: 20_000 }).toBe(1);
    expect(out.text()).toMatch(/keeping the last good one/);

    broken = false;
    await writeFile(join(dir, 'recipe.yaml'), '# fixed\n');
    const third = await reports.next();
    expect(third.steps.map((s) => s.status)).toEqual(['cached', 'cached', 'cached']);
    // Between runs the watch signal holds only the watcher's own stop listener: nothing per rerun
    // accumulates on it (a long-lived --watch would grow by one registration per rerun).
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);

    controller.abort();
    await watching;
  });

  it('aborts only the running steps a change invalidates; the others finish', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'data'));
    await writeFile(join(dir, 'data', 'one.txt'), '1');
    await writeFile(join(dir, 'recipe.yaml'), '# test\n');
    let readerCalls = 0;
    let readerAborted = false;
    let readerStarted: () => void = () => undefined;
    const readerRunning = new Promise<void>((resolve) => {
      readerStarted = resolve;
    });
    let otherStarted: () => void = () => undefined;
    const otherRunning = new Promise<void>((resolve) => {
      otherStarted = resolve;
    });
    let releaseOther: () => void = () => undefined;
    const otherGate = new Promise<void>((resolve) => {
      releaseOther = resolve;
    });
    const reader = defineStep({
      name: 'reader',
      version: '1',
      description: 'Hangs on its first call until aborted.',
      params: {
        type: 'object',
        properties: { files: { type: 'array', items: { type: 'string' } } },
      } as const,
      outputs: { n: 'count' },
      async run(ctx) {
        readerCalls++;
        if (readerCalls === 1) {
          readerStarted();
          await new Promise((_, reject) =>
            ctx.signal.addEventListener('abort', () => {
              readerAborted = true;
              reject(ctx.signal.reason);
            }),
          );
        }
        await writeFile(join(ctx.outDir, 'n.txt'), String(ctx.params.files?.length));
        return { n: 'n.txt' };
      },
    });
    const other = defineStep({
      name: 'other',
      version: '1',
      description: 'Waits for the test.',
      params: { type: 'object' } as const,
      outputs: { x: 'x' },
      async run(ctx) {
        otherStarted();
        await otherGate;
        await writeFile(join(ctx.outDir, 'x.txt'), 'x');
        return { x: 'x.txt' };
      },
    });
    const load = async () =>
      makeGraph(
        dir,
        [
          { id: 'reader', definition: reader, with: { files: { $ref: 'input', name: 'data' } } },
          { id: 'other', definition: other },
        ],
        { inputs: { data: 'data/*.txt' } },
      );
    const reports = runs();
    const controller = new AbortController();
    const watching = watchRecipe({
      load,
      signal: controller.signal,
      stderr: sink().stream,
      gpus: 0,
      jobs: 2,
      debounceMs: 50,
      onRun: (report) => reports.push(report),
    });
    await readerRunning;
    await otherRunning;
    await writeFile(join(dir, 'data', 'two.txt'), '2');
    // The reader is aborted by the change while `other` keeps running; release it afterwards.
    const first = reports.next();
    await expect.poll(() => readerAborted, { timeout: 20_000 }).toBe(true);
    releaseOther();
    expect((await first).steps.map((s) => [s.id, s.status])).toEqual([
      ['reader', 'aborted'],
      ['other', 'succeeded'],
    ]);
    const second = await reports.next();
    expect(second.steps.map((s) => [s.id, s.status])).toEqual([
      ['reader', 'succeeded'],
      ['other', 'cached'],
    ]);
    expect(await readFile(second.steps[0]!.outputs!.n!, 'utf8')).toBe('2');
    controller.abort();
    await watching;
  });
});
