import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runRecipe } from '../../../../engine/run/index.js';
import { concat, escaper, writeText } from './fixtures/fake-steps.js';
import { makeGraph, ref, sink, tempDir } from './fixtures/graph.js';

async function lines(file: string): Promise<string[]> {
  try {
    return (await readFile(file, 'utf8')).split('\n').filter((line) => line !== '');
  } catch {
    return [];
  }
}

describe('runRecipe', () => {
  it('runs a fan-in in order, then serves everything from the cache', async () => {
    const dir = await tempDir();
    const counter = join(dir, 'counter');
    const graph = makeGraph(dir, [
      { id: 'a', definition: writeText, with: { text: 'A', counter } },
      { id: 'b', definition: writeText, with: { text: 'B', counter } },
      {
        id: 'join',
        definition: concat,
        with: { inputs: [ref('a', 'text'), ref('b', 'text')], counter },
        dependsOn: ['a', 'b'],
      },
    ]);
    const out = sink();
    const first = await runRecipe(graph, { stderr: out.stream, gpus: 0 });
    expect(first.outcome).toBe('ok');
    expect(first.steps.map((s) => s.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    const joined = first.steps[2]!.outputs!.joined!;
    expect(await readFile(joined, 'utf8')).toBe('A|B');
    expect(joined.startsWith(join(dir, '.asterism', 'entries'))).toBe(true);
    const lock = await readFile(join(dir, 'test.lock.yaml'), 'utf8');
    expect(lock).toContain(`key: "${first.steps[2]!.key}"`);

    const second = await runRecipe(graph, { stderr: sink().stream, gpus: 0 });
    expect(second.steps.map((s) => s.status)).toEqual(['cached', 'cached', 'cached']);
    expect((await lines(counter)).sort()).toEqual(['a', 'b', 'join']);
    // Nothing is left in tmp/ and no lock is held.
    expect(await readdir(join(dir, '.asterism', 'tmp'))).toEqual([]);
    expect(await readdir(join(dir, '.asterism', 'locks'))).toEqual([]);
  });

  it('cuts off early: an upstream rerun with identical bytes leaves downstream cached', async () => {
    const dir = await tempDir();
    const counter = join(dir, 'counter');
    const build = (counterParam: string) =>
      makeGraph(dir, [
        // The counter path is a param: changing it changes a's key but not a's output bytes.
        { id: 'a', definition: writeText, with: { text: 'same', counter: counterParam } },
        { id: 'b', definition: concat, with: { inputs: [ref('a', 'text')], counter }, dependsOn: ['a'] },
      ]);
    await runRecipe(build(counter), { stderr: sink().stream, gpus: 0 });
    const again = await runRecipe(build(join(dir, 'other-counter')), { stderr: sink().stream, gpus: 0 });
    expect(again.steps.map((s) => s.status)).toEqual(['succeeded', 'cached']);
  });

  it('blocks dependents of a failure and starts nothing new without --keep-going', async () => {
    const dir = await tempDir();
    const graph = makeGraph(dir, [
      { id: 'bad', definition: writeText, with: { text: 'x', fail: true } },
      { id: 'after', definition: concat, with: { inputs: [ref('bad', 'text')] }, dependsOn: ['bad'] },
      { id: 'independent', definition: writeText, with: { text: 'y' } },
    ]);
    const out = sink();
    const report = await runRecipe(graph, { stderr: out.stream, jobs: 1, gpus: 0, logFormat: 'plain' });
    expect(report.outcome).toBe('failed');
    expect(report.steps.map((s) => [s.id, s.status])).toEqual([
      ['bad', 'failed'],
      ['after', 'blocked'],
      ['independent', 'aborted'],
    ]);
    const bad = report.steps[0]!;
    expect(bad.error).toMatch(/asked to fail \(bad\)/);
    expect(await readFile(bad.logFile!, 'utf8')).toMatch(/failed: .*asked to fail/);
    expect(out.text()).toContain(`log: ${bad.logFile}`);
    expect(report.lockFile).toBeUndefined();

    const going = await runRecipe(graph, { stderr: sink().stream, jobs: 1, gpus: 0, keepGoing: true });
    expect(going.steps.map((s) => s.status)).toEqual(['failed', 'blocked', 'succeeded']);
  });

  it('rejects an output path outside the output folder and commits nothing', async () => {
    const dir = await tempDir();
    for (const path of ['../escape.txt', '/etc/passwd']) {
      const graph = makeGraph(dir, [{ id: 'e', definition: escaper, with: { path } }]);
      const report = await runRecipe(graph, { stderr: sink().stream, gpus: 0 });
      expect(report.steps[0]!.status).toBe('failed');
      expect(report.steps[0]!.error).toMatch(/points outside its output folder/);
    }
    expect(await readdir(join(dir, '.asterism', 'tmp'))).toEqual([]);
    await expect(readdir(join(dir, '.asterism', 'entries'))).rejects.toThrow();
  });

  it('runs only what --only needs, and recomputes --force steps', async () => {
    const dir = await tempDir();
    const counter = join(dir, 'counter');
    const graph = makeGraph(dir, [
      { id: 'a', definition: writeText, with: { text: 'A', counter } },
      { id: 'b', definition: concat, with: { inputs: [ref('a', 'text')], counter }, dependsOn: ['a'] },
      { id: 'c', definition: writeText, with: { text: 'C', counter } },
    ]);
    const only = await runRecipe(graph, { stderr: sink().stream, gpus: 0, only: ['b'] });
    expect(only.steps.map((s) => s.status)).toEqual(['succeeded', 'succeeded', 'skipped']);
    expect(only.lockFile).toBeUndefined();
    const forced = await runRecipe(graph, { stderr: sink().stream, gpus: 0, force: ['a'] });
    expect(forced.steps.map((s) => s.status)).toEqual(['succeeded', 'cached', 'succeeded']);
    // a ran twice (forced), b once (its input bytes did not change), c once.
    expect((await lines(counter)).sort()).toEqual(['a', 'a', 'b', 'c']);
  });

  it('--from runs a step and its dependents from cached upstream; --dry-run runs nothing', async () => {
    const dir = await tempDir();
    const counter = join(dir, 'counter');
    const graph = makeGraph(dir, [
      { id: 'a', definition: writeText, with: { text: 'A', counter } },
      { id: 'b', definition: concat, with: { inputs: [ref('a', 'text')], counter }, dependsOn: ['a'] },
    ]);
    const dry = await runRecipe(graph, { stderr: sink().stream, gpus: 0, dryRun: true });
    expect(dry.steps.map((s) => s.status)).toEqual(['skipped', 'skipped']);
    expect(await lines(counter)).toEqual([]);
    // Upstream not cached yet: --from b cannot run b.
    const early = await runRecipe(graph, { stderr: sink().stream, gpus: 0, from: ['b'] });
    expect(early.steps.map((s) => s.status)).toEqual(['skipped', 'blocked']);
    await runRecipe(graph, { stderr: sink().stream, gpus: 0 });
    const from = await runRecipe(graph, { stderr: sink().stream, gpus: 0, from: ['b'], force: ['b'] });
    expect(from.steps.map((s) => s.status)).toEqual(['cached', 'succeeded']);
    expect((await lines(counter)).sort()).toEqual(['a', 'b', 'b']);
  });

  it('emits one JSON object per line with --log-format json', async () => {
    const dir = await tempDir();
    const graph = makeGraph(dir, [{ id: 'a', definition: writeText, with: { text: 'A' } }]);
    const out = sink();
    await runRecipe(graph, { stderr: out.stream, gpus: 0, logFormat: 'json' });
    const events = out
      .text()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { event: string; time: string; step?: string; outcome?: string });
    // Every event carries its ISO time, in order (step-finished reuses one string per millisecond).
    const times = events.map((e) => Date.parse(e.time));
    expect(times.every((t, i) => Number.isFinite(t) && new Date(t).toISOString() === events[i]!.time)).toBe(
      true,
    );
    expect(times).toEqual([...times].sort((x, y) => x - y));
    expect(events.map((e) => e.event)).toEqual([
      'step-started',
      'step-progress',
      'step-finished',
      'run-finished',
    ]);
    expect(events.at(-1)).toMatchObject({ outcome: 'ok', counts: { succeeded: 1 } });
  });
});
