import { readdir, readFile, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cacheGc, cacheLs, cacheVerify } from '../../../../engine/cache/index.js';
import { acquireKeyLock } from '../../../../engine/cache/key-lock.js';
import { runRecipe } from '../../../../engine/run/index.js';
import { concat, writeText } from '../run/fixtures/fake-steps.js';
import { makeGraph, ref, sink, tempDir } from '../run/fixtures/graph.js';

describe('cache verify', () => {
  it('detects a truncated and a modified output, quarantines them, and the next run recomputes', async () => {
    const dir = await tempDir();
    const graph = makeGraph(dir, [
      { id: 'a', definition: writeText, with: { text: 'alpha' } },
      { id: 'b', definition: writeText, with: { text: 'beta' } },
      { id: 'c', definition: writeText, with: { text: 'gamma' } },
    ]);
    const first = await runRecipe(graph, { stderr: sink().stream, gpus: 0 });
    const cacheDir = first.cacheDir;
    expect((await cacheVerify(cacheDir)).problems).toEqual([]);
    await truncate(first.steps[0]!.outputs!.text!, 2);
    await writeFile(first.steps[1]!.outputs!.text!, 'BETA');
    const report = await cacheVerify(cacheDir, { quarantine: true });
    expect(report.checked).toBe(3);
    expect(report.problems.map((p) => [p.key, p.problem])).toEqual(
      [
        [first.steps[0]!.key, 'truncated'],
        [first.steps[1]!.key, 'modified'],
      ].sort(),
    );
    expect([...report.quarantined].sort()).toEqual([first.steps[0]!.key, first.steps[1]!.key].sort());
    const out = sink();
    const rerun = await runRecipe(graph, { stderr: out.stream, gpus: 0, logFormat: 'plain' });
    expect(rerun.steps.map((s) => s.status)).toEqual(['succeeded', 'succeeded', 'cached']);
    expect(out.text()).toMatch(/a: recomputing: `asterism cache verify` found its cache entry damaged/);
    expect(await readFile(rerun.steps[0]!.outputs!.text!, 'utf8')).toBe('alpha');
  });
});

describe('cache gc and ls', () => {
  it('keeps entries pinned by the lock file and removes the rest', async () => {
    const dir = await tempDir();
    const old = makeGraph(dir, [{ id: 'a', definition: writeText, with: { text: 'old' } }], { name: 'r' });
    const oldRun = await runRecipe(old, { stderr: sink().stream, gpus: 0 });
    const current = makeGraph(dir, [{ id: 'a', definition: writeText, with: { text: 'new' } }], {
      name: 'r',
    });
    const newRun = await runRecipe(current, { stderr: sink().stream, gpus: 0 });
    // r.lock.yaml now pins only the new entry.
    const listed = await cacheLs(newRun.cacheDir);
    expect(listed.map((entry) => [entry.key, entry.pinnedBy.length]).sort()).toEqual(
      [
        [oldRun.steps[0]!.key, 0],
        [newRun.steps[0]!.key, 1],
      ].sort(),
    );
    const gc = await cacheGc(newRun.cacheDir);
    expect(gc.removed.map((entry) => entry.key)).toEqual([oldRun.steps[0]!.key]);
    expect(gc.lockFiles).toEqual([join(dir, 'r.lock.yaml')]);
    expect((await runRecipe(current, { stderr: sink().stream, gpus: 0 })).steps[0]!.status).toBe('cached');
  });
});

describe('key locks', () => {
  it('compute each step once when two runs share a cache at the same time', async () => {
    const dir = await tempDir();
    const counter = join(dir, 'counter');
    const graph = makeGraph(dir, [
      ...Array.from({ length: 6 }, (_, i) => ({
        id: `s${i}`,
        definition: writeText,
        with: { text: `t${i}`, counter },
      })),
      {
        id: 'all',
        definition: concat,
        with: { inputs: Array.from({ length: 6 }, (_, i) => ref(`s${i}`, 'text')), counter },
        dependsOn: Array.from({ length: 6 }, (_, i) => `s${i}`),
      },
    ]);
    const [one, two] = await Promise.all([
      runRecipe(graph, { stderr: sink().stream, gpus: 0, jobs: 2 }),
      runRecipe(graph, { stderr: sink().stream, gpus: 0, jobs: 2 }),
    ]);
    expect(one.outcome).toBe('ok');
    expect(two.outcome).toBe('ok');
    const computed = (await readFile(counter, 'utf8')).split('\n').filter(Boolean).sort();
    expect(computed).toEqual(['all', 's0', 's1', 's2', 's3', 's4', 's5']);
    expect(one.steps.at(-1)!.outputHashes).toEqual(two.steps.at(-1)!.outputHashes);
    expect((await cacheVerify(one.cacheDir)).problems).toEqual([]);
  });

  it('takes over a lock left by a dead process', async () => {
    const dir = await tempDir();
    const locks = join(dir, 'locks');
    const release = await acquireKeyLock(locks, 'k');
    await release();
    // pid 2^22+1 exceeds Linux's pid_max default range: no such process.
    await writeFile(
      join(locks, 'k.lock'),
      JSON.stringify({ pid: 4194305, host: (await import('node:os')).hostname(), since: '' }),
    );
    const again = await acquireKeyLock(locks, 'k');
    await again();
    expect(await readdir(locks)).toEqual([]);
  });
});
