import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { latestProvenance, readProvenance, stepMaterial } from '../../../../engine/cache/provenance.js';
import type { KeyMaterial, ProvenanceStep } from '../../../../engine/cache/types.js';
import { runRecipe } from '../../../../engine/run/index.js';
import { provenanceStep, stepsId } from '../../../../engine/run/record.js';
import type { StepReport } from '../../../../engine/run/types.js';
import { stepReports } from '../run/fixtures/arbitraries.js';
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

/** Run a one-step recipe writing `text`; returns the run's record file. */
async function runOnce(dir: string, text: string): Promise<string> {
  const report = await runRecipe(makeGraph(dir, [{ id: 'a', definition: writeText, with: { text } }]), {
    stderr: sink().stream,
    gpus: 0,
    cacheDir: join(dir, '.asterism'),
  });
  expect(report.outcome).toBe('ok');
  return report.provenanceFile!;
}

describe('run records', () => {
  it("keep each step's params in its material without repeating the step's uses, version and code", async () => {
    const dir = await tempDir();
    const run = await readProvenance(await runOnce(dir, 'x'));
    const [recorded] = run!.steps;
    expect(recorded?.material).toEqual({
      format: expect.any(Number),
      params: { text: 'x' },
      seed: expect.any(Number),
    });
    expect(stepMaterial(recorded!)).toMatchObject({ uses: writeText.name, version: writeText.version });
  });

  it('share one steps file between runs that report the same steps, and only those', async () => {
    const dir = await tempDir();
    const first = await readProvenance(await runOnce(dir, 'x'));
    const secondFile = await runOnce(dir, 'x');
    const second = await readProvenance(secondFile);
    const stepsDir = join(dirname(secondFile), 'steps');
    // The first run computed the step, the second found it cached: two different step lists.
    expect(first!.steps[0]!.status).toBe('succeeded');
    expect(second!.steps[0]!.status).toBe('cached');
    expect(await readdir(stepsDir)).toHaveLength(2);
    // A third run is a no-op like the second: its record names the same steps file.
    const third = await runOnce(dir, 'x');
    expect(await readdir(stepsDir)).toHaveLength(2);
    expect(await readProvenance(third)).toEqual({
      ...second,
      startedAt: expect.any(String),
      durationMs: expect.any(Number),
    });
    // A changed param is a new step: its own steps file, and the newest record says so.
    await runOnce(dir, 'y');
    expect(await readdir(stepsDir)).toHaveLength(3);
    const latest = await latestProvenance(join(dir, '.asterism', 'runs'), 'test');
    expect(latest!.steps[0]!.material).toMatchObject({ params: { text: 'y' } });
  });

  it('read records written with the steps inline (version 1), and pass over one whose steps file is gone', async () => {
    const dir = await tempDir();
    const newest = await runOnce(dir, 'x');
    const runs = dirname(newest);
    const inline = {
      provenanceVersion: 1,
      recipe: 'test',
      recipeFile: join(dir, 'recipe.yaml'),
      startedAt: '2000-01-01T00:00:00.000Z',
      durationMs: 1,
      outcome: 'ok',
      params: {},
      inputs: {},
      plugins: [],
      tools: {},
      host: { platform: 'linux', arch: 'x64', cpus: 1, gpus: 0 },
      steps: [step],
    };
    const old = join(runs, '2000-01-01T00-00-00-000Z-1.json');
    await writeFile(old, JSON.stringify(inline));
    expect(await readProvenance(old)).toEqual(inline);
    // The newest record's steps file removed: the latest readable record is the old one.
    await rm(join(runs, 'steps'), { recursive: true });
    expect(await readProvenance(newest)).toBeUndefined();
    expect(await latestProvenance(dirname(runs), 'test')).toEqual(inline);
    await mkdir(join(runs, 'steps'));
  });
});

/** Text with quotes, backslashes and separators, short enough that mutations often collide. */
const text = fc.oneof(
  fc.string(),
  fc.constantFrom('a,b', 'a=b', '"', '\\', 'o', ',o', 'b"x"', 'e', '\n', '-', 'm'),
);
const report = stepReports(text);
const material: KeyMaterial = { format: 2, uses: 'u', version: '1', code: 'c', params: { i: 1 }, seed: 7 };

/** A step of a run: its report, its code identity, whether it has key material. */
type Entry = readonly [StepReport, string, boolean];
const entries = fc
  .array(fc.tuple(report, text, fc.boolean()), { minLength: 1, maxLength: 4 })
  // Ids are unique within a run (the materials are looked up by id).
  .map((list) => list.map(([s, code, has], i): Entry => [{ ...s, id: `${i}:${s.id}` }, code, has]));
const FIELDS = ['id', 'uses', 'version', 'status', 'key', 'durationMs', 'attempts'] as const;
const OPTIONAL = ['outputHashes', 'error', 'backend'] as const;
const mutation = fc.record({
  index: fc.nat(),
  other: report,
  field: fc.constantFrom(...FIELDS, ...OPTIONAL, 'code', 'material'),
});

/** `list` with one field of one step replaced by `other`'s (which may be the same value). */
function mutate(
  list: readonly Entry[],
  {
    index,
    other,
    field,
  }: {
    index: number;
    other: StepReport;
    field: (typeof FIELDS)[number] | (typeof OPTIONAL)[number] | 'code' | 'material';
  },
): Entry[] {
  const copy = [...list];
  const k = index % copy.length;
  const [s, code, has] = copy[k]!;
  if (field === 'code') copy[k] = [s, other.uses, has];
  else if (field === 'material') copy[k] = [s, code, !has];
  else {
    const next: Record<string, unknown> = { ...s, [field]: other[field] };
    if (field === 'id') next.id = `${k}:${other.id}`;
    if (next[field] === undefined) delete next[field];
    copy[k] = [next as unknown as StepReport, code, has];
  }
  return copy;
}

const name = (list: readonly Entry[]): string =>
  stepsId(
    list.map(([s]) => s),
    list.map(([, code]) => code),
    new Map(list.filter(([, , has]) => has).map(([s]) => [s.id, material])),
  );
const records = (list: readonly Entry[]): string =>
  JSON.stringify(list.map(([s, code, has]) => provenanceStep(s, code, has ? material : undefined)));

describe('the steps file name', () => {
  it('changes exactly when the steps it names would be written differently (material content aside)', () => {
    fc.assert(
      fc.property(entries, mutation, (list, change) => {
        const changed = mutate(list, change);
        expect(name(changed) === name(list)).toBe(records(changed) === records(list));
      }),
      { numRuns: 3000 },
    );
  });
});
