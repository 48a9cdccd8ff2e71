/** `asterism cache gc --keep-runs N`: old run records and the steps files only they use go. */
import { cp, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { latestProvenance, readProvenance } from '../../../../engine/cache/provenance.js';
import { cli } from './run-cli.js';

const fixture = fileURLToPath(new URL('../../../fixtures/recipes/basic/', import.meta.url));
const temps: string[] = [];
afterAll(async () => {
  await Promise.all(temps.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('asterism cache gc --keep-runs', () => {
  it("keeps each recipe's newest records and the steps files they name, and nothing else", async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'asterism-gc-runs-'));
    temps.push(cwd);
    await cp(fixture, cwd, { recursive: true });
    for (let i = 0; i < 3; i++) expect((await cli(['run', 'recipe.yaml', '-q'], { cwd })).code).toBe(0);
    const runs = join(cwd, '.asterism', 'runs', 'basic');
    const steps = join(runs, 'steps');
    const records = (await readdir(runs)).filter((name) => name.endsWith('.json')).sort();
    // A computing run and two no-ops: three records, two distinct step lists.
    expect(records).toHaveLength(3);
    expect(await readdir(steps)).toHaveLength(2);
    // Older than the grace period a run's steps file gets before its record appears.
    const hourAgo = new Date(Date.now() - 3600_000);
    for (const name of await readdir(steps)) await utimes(join(steps, name), hourAgo, hourAgo);
    // A steps file written just now (a run about to write its record) is never taken.
    await writeFile(join(steps, 'in-flight.json'), '[]');

    const dry = await cli(['cache', 'gc', '--keep-runs', '1', '--dry-run'], { cwd });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(
      /^would remove 2 run record\(s\) and 1 steps file\(s\) \(.+\); kept each recipe's newest 1$/m,
    );
    expect((await readdir(runs)).filter((name) => name.endsWith('.json'))).toHaveLength(3);

    const gc = await cli(['cache', 'gc', '--keep-runs', '1'], { cwd });
    expect(gc.stdout).toMatch(/^removed 2 run record\(s\) and 1 steps file\(s\)/m);
    expect((await readdir(runs)).filter((name) => name.endsWith('.json'))).toEqual([records[2]]);
    const newest = await readProvenance(join(runs, records[2]!));
    expect(newest?.steps.map((step) => step.status)).toEqual(['cached', 'cached', 'cached', 'cached']);
    const named = (await latestProvenanceFile(runs)).slice('steps/'.length);
    expect((await readdir(steps)).sort()).toEqual([named, 'in-flight.json'].sort());
    expect(await latestProvenance(join(cwd, '.asterism', 'runs'), 'basic')).toEqual(newest);
    // The cache entries themselves are pinned by the lock file: a run is still a no-op.
    expect((await cli(['run', 'recipe.yaml', '-q'], { cwd })).stderr).toMatch(/4 cached/);
  });

  it('refuses to keep no record at all (plan and explain compare with the latest)', async () => {
    const result = await cli(['cache', 'gc', '--keep-runs', '0'], { cwd: fixture });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--keep-runs to be an integer from 1 up, got `0`/);
  });
});

/** The `stepsFile` the newest record in `runs` names. */
async function latestProvenanceFile(runs: string): Promise<string> {
  const names = (await readdir(runs)).filter((name) => name.endsWith('.json')).sort();
  return (JSON.parse(await readFile(join(runs, names.at(-1)!), 'utf8')) as { stepsFile: string }).stepsFile;
}
