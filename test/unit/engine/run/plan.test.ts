import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { explainStep, planRecipe, runRecipe, showStep, verifyRecipe } from '../../../../engine/run/index.js';
import { concat, writeText } from './fixtures/fake-steps.js';
import { makeGraph, ref, sink, tempDir } from './fixtures/graph.js';

describe('planRecipe', () => {
  it('says "never ran", then which param or input changed', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'data'));
    await writeFile(join(dir, 'data', 'one.txt'), '1');
    const build = (text: string) =>
      makeGraph(
        dir,
        [
          { id: 'a', definition: writeText, with: { text } },
          { id: 'b', definition: concat, with: { inputs: { $ref: 'input', name: 'files' } } },
          { id: 'c', definition: concat, with: { inputs: [ref('a', 'text')] }, dependsOn: ['a'] },
        ],
        { inputs: { files: 'data/*.txt' } },
      );
    const fresh = await planRecipe(build('x'));
    expect(fresh.steps.map((s) => [s.id, s.action, s.reasons[0]])).toEqual([
      ['a', 'run', 'never ran'],
      ['b', 'run', 'never ran'],
      ['c', 'unknown', 'waits for `a` to run first'],
    ]);
    await runRecipe(build('x'), { stderr: sink().stream, gpus: 0 });
    expect((await planRecipe(build('x'))).steps.map((s) => s.action)).toEqual(['cached', 'cached', 'cached']);

    await writeFile(join(dir, 'data', 'two.txt'), '2');
    const changed = await planRecipe(build('y'));
    expect(changed.steps.map((s) => [s.id, s.action, s.reasons])).toEqual([
      ['a', 'run', ['param text changed: "x" -> "y"']],
      ['b', 'run', ['input inputs changed (content)']],
      ['c', 'unknown', ['waits for `a` to run first']],
    ]);
    const [explained] = await explainStep(build('y'), 'a');
    expect(explained?.reasons).toEqual(['param text changed: "x" -> "y"']);
    const [shown] = await showStep(build('x'), 'c');
    expect(shown).toMatchObject({
      step: 'c',
      status: 'cached',
      outputs: { joined: expect.stringMatching(/joined\.txt$/) },
    });
  });
});

describe('verifyRecipe', () => {
  it('reproduces deterministic steps and tolerates declared non-determinism', async () => {
    const dir = await tempDir();
    const graph = makeGraph(dir, [
      { id: 'a', definition: writeText, with: { text: 'A' } },
      { id: 'n', definition: writeText, with: { text: 'N' }, deterministic: false },
    ]);
    await runRecipe(graph, { stderr: sink().stream, gpus: 0 });
    const same = await verifyRecipe(graph, { stderr: sink().stream, gpus: 0 });
    expect(same.reproduced).toBe(true);
    expect(same.steps.map((s) => s.verdict)).toEqual(['same', 'same']);

    // Tamper with the lock as if a different machine had produced other bytes.
    const lockFile = join(dir, 'test.lock.yaml');
    const { readFile } = await import('node:fs/promises');
    const text = await readFile(lockFile, 'utf8');
    await writeFile(lockFile, text.replace(/"text": "sha256:[0-9a-f]{4}/g, '"text": "sha256:0000'));
    const differs = await verifyRecipe(graph, { stderr: sink().stream, gpus: 0 });
    expect(differs.reproduced).toBe(false);
    expect(differs.steps.map((s) => [s.id, s.verdict])).toEqual([
      ['a', 'differs'],
      ['n', 'expected-difference'],
    ]);
  });
});
