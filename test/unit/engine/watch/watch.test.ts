import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
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

    controller.abort();
    await watching;
  });
});
