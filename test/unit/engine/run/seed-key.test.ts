import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { runRecipe } from '../../../../engine/run/index.js';
import { deriveSeed } from '../../../../engine/run/seed.js';
import { probe } from './fixtures/fake-steps.js';
import { makeGraph, sink, tempDir } from './fixtures/graph.js';

const replicates = ['rep[r=1]', 'rep[r=2]', 'rep[r=3]'].map((id) => ({ id, definition: probe, with: {} }));

async function seedsOf(report: Awaited<ReturnType<typeof runRecipe>>): Promise<number[]> {
  return Promise.all(
    report.steps.map(
      async (step) => (JSON.parse(await readFile(step.outputs!.facts!, 'utf8')) as { seed: number }).seed,
    ),
  );
}

describe('the seed is part of the cache key', () => {
  it('matrix replicates with equal params get their own seeds, keys and entries', async () => {
    const dir = await tempDir();
    const report = await runRecipe(makeGraph(dir, replicates), { stderr: sink().stream, gpus: 0 });
    expect(report.steps.map((s) => s.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect(new Set(report.steps.map((s) => s.key)).size).toBe(3);
    expect(await seedsOf(report)).toEqual(replicates.map((r) => deriveSeed('test', r.id, {})));
    // The documented rule, computed independently: the first 4 bytes (big-endian) of
    // sha256("<recipe name>\0<instance id>").
    expect(await seedsOf(report)).toEqual(
      replicates.map((r) => createHash('sha256').update(`test\0${r.id}`).digest().readUInt32BE(0)),
    );
    const again = await runRecipe(makeGraph(dir, replicates), { stderr: sink().stream, gpus: 0 });
    expect(again.steps.map((s) => s.status)).toEqual(['cached', 'cached', 'cached']);
  });

  it("a recipe copied under another name does not reuse the original's random draws", async () => {
    const dir = await tempDir();
    const first = await runRecipe(makeGraph(dir, replicates), { stderr: sink().stream, gpus: 0 });
    const copy = await runRecipe(makeGraph(dir, replicates, { name: 'copy' }), {
      stderr: sink().stream,
      gpus: 0,
    });
    expect(copy.steps.map((s) => s.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect(await seedsOf(copy)).toEqual(replicates.map((r) => deriveSeed('copy', r.id, {})));
    expect(copy.steps.map((s) => s.key)).not.toContain(first.steps[0]!.key);
  });

  it('an explicit seed param means what it says: equal params and seed share one entry', async () => {
    const dir = await tempDir();
    const seeded = replicates.slice(0, 2).map((r) => ({ ...r, with: { seed: 7 } }));
    const report = await runRecipe(makeGraph(dir, seeded), { stderr: sink().stream, gpus: 0, jobs: 1 });
    expect(new Set(report.steps.map((s) => s.key)).size).toBe(1);
    expect(await seedsOf(report)).toEqual([7, 7]);
  });
});
