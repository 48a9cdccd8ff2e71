import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { stepMaterial } from '../../../../engine/cache/provenance.js';
import type { ProvenanceStep } from '../../../../engine/cache/types.js';
import { runRecipe } from '../../../../engine/run/index.js';
import { writeText } from '../run/fixtures/fake-steps.js';
import { makeGraph, sink, tempDir } from '../run/fixtures/graph.js';

const step = {
  id: 'a',
  uses: 'write-text',
  version: '2',
  code: 'plugin:sha256:abc',
  status: 'cached',
  durationMs: 0,
  attempts: 0,
} as const satisfies ProvenanceStep;

describe('stepMaterial', () => {
  it("restores the uses, version and code a compact record leaves out from the step's own fields", () => {
    expect(stepMaterial({ ...step, material: { format: 1, params: { text: 'x' }, seed: 5 } })).toEqual({
      format: 1,
      seed: 5,
      uses: 'write-text',
      version: '2',
      code: 'plugin:sha256:abc',
      params: { text: 'x' },
    });
  });

  it('returns a full material as recorded, and nothing when there is none', () => {
    const full = { format: 1, uses: 'other', version: '1', code: 'builtin:0.1.0', params: {}, seed: 5 };
    expect(stepMaterial({ ...step, material: full })).toBe(full);
    expect(stepMaterial(step)).toBeUndefined();
  });
});

describe('run records', () => {
  it("keep each step's params in its material without repeating the step's uses, version and code", async () => {
    const dir = await tempDir();
    const report = await runRecipe(
      makeGraph(dir, [{ id: 'a', definition: writeText, with: { text: 'x' } }]),
      {
        stderr: sink().stream,
        gpus: 0,
      },
    );
    const record = JSON.parse(await readFile(report.provenanceFile!, 'utf8')) as { steps: ProvenanceStep[] };
    const [recorded] = record.steps;
    expect(recorded?.material).toEqual({
      format: expect.any(Number),
      params: { text: 'x' },
      seed: expect.any(Number),
    });
    expect(stepMaterial(recorded!)).toMatchObject({ uses: writeText.name, version: writeText.version });
  });
});
