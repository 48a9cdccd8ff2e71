/**
 * `cacheVerify` reports damage once: a second verify before the rerun lists the entries the first
 * one invalidated as `pending`, not as new problems (the CLI exits 0 on it).
 */
import { existsSync } from 'node:fs';
import { readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cacheVerify } from '../../../../engine/cache/index.js';
import { CacheStore, DAMAGED_MANIFEST } from '../../../../engine/cache/store.js';
import { runRecipe } from '../../../../engine/run/index.js';
import { writeText } from '../run/fixtures/fake-steps.js';
import { makeGraph, sink, tempDir } from '../run/fixtures/graph.js';

async function threeEntries() {
  const dir = await tempDir();
  const graph = makeGraph(dir, [
    { id: 'a', definition: writeText, with: { text: 'alpha' } },
    { id: 'b', definition: writeText, with: { text: 'beta' } },
    { id: 'c', definition: writeText, with: { text: 'gamma' } },
  ]);
  const report = await runRecipe(graph, { stderr: sink().stream, gpus: 0 });
  const [a, b, c] = report.steps.map((step) => step.key);
  return { graph, report, cacheDir: report.cacheDir, a: a!, b: b!, c: c! };
}

describe('cache verify, run twice', () => {
  it('the second verify lists what the first invalidated as pending, not as new damage', async () => {
    const { graph, report, cacheDir, a, b } = await threeEntries();
    await writeFile(report.steps[0]!.outputs!.text!, 'ALPHA');
    const first = await cacheVerify(cacheDir);
    expect(first.problems.map((problem) => [problem.key, problem.problem])).toEqual([[a, 'modified']]);
    expect(first.invalidated).toEqual([a]);
    expect(first.pending).toEqual([]);

    // More damage between the two verifies is new, and reported as such.
    await rm(report.steps[1]!.outputs!.text!);
    const second = await cacheVerify(cacheDir);
    expect(second.checked).toBe(3);
    expect(second.problems.map((problem) => [problem.key, problem.problem])).toEqual([[b, 'missing']]);
    expect(second.pending).toEqual([a]);
    expect(second.invalidated).toEqual([b]);

    const third = await cacheVerify(cacheDir);
    expect(third.problems).toEqual([]);
    expect([...third.pending].sort()).toEqual([a, b].sort());

    // The rerun recomputes both; nothing is pending afterwards.
    const rerun = await runRecipe(graph, { stderr: sink().stream, gpus: 0 });
    expect(rerun.steps.map((step) => step.status)).toEqual(['succeeded', 'succeeded', 'cached']);
    const after = await cacheVerify(cacheDir);
    expect(after).toEqual({ checked: 3, problems: [], quarantined: [], invalidated: [], pending: [] });
  });

  it('a manifest that is gone is damage once, then pending', async () => {
    const { cacheDir, c } = await threeEntries();
    const entry = new CacheStore(cacheDir).entryDir(c);
    await rm(join(entry, 'manifest.json'));
    const first = await cacheVerify(cacheDir);
    expect(first.problems.map((problem) => [problem.key, problem.file, problem.problem])).toEqual([
      [c, 'manifest.json', 'unreadable-manifest'],
    ]);
    expect(existsSync(join(entry, DAMAGED_MANIFEST))).toBe(true);
    const second = await cacheVerify(cacheDir);
    expect(second.problems).toEqual([]);
    expect(second.pending).toEqual([c]);
  });

  it('--quarantine after a plain verify moves the pending entry aside to be inspected', async () => {
    const { graph, report, cacheDir, a } = await threeEntries();
    await writeFile(report.steps[0]!.outputs!.text!, 'ALPHA');
    await cacheVerify(cacheDir);
    const moved = await cacheVerify(cacheDir, { quarantine: true });
    expect(moved.problems).toEqual([]);
    expect(moved.pending).toEqual([a]);
    expect(moved.quarantined).toEqual([a]);
    const [aside] = await readdir(join(cacheDir, 'quarantine'));
    expect(aside?.startsWith(`${a}.`)).toBe(true);
    const out = sink();
    const rerun = await runRecipe(graph, { stderr: out.stream, gpus: 0, logFormat: 'plain' });
    expect(rerun.steps.map((step) => step.status)).toEqual(['succeeded', 'cached', 'cached']);
    expect(out.text()).toMatch(/a: recomputing: `asterism cache verify` found its cache entry damaged/);
  });
});
