import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, recipeDir, startCli } from './fixtures/cli.js';

/** Every entry folder under the cache, and whether each is complete (has a manifest). */
async function entries(dir: string): Promise<{ key: string; complete: boolean }[]> {
  const root = join(dir, '.asterism', 'entries');
  if (!existsSync(root)) return [];
  const result: { key: string; complete: boolean }[] = [];
  for (const shard of await readdir(root)) {
    for (const key of await readdir(join(root, shard))) {
      result.push({ key, complete: existsSync(join(root, shard, key, 'manifest.json')) });
    }
  }
  return result;
}

function stepsYaml(dir: string): string {
  const counter = join(dir, 'counter');
  return `  first:
    uses: note
    with: { text: hello, counter: ${JSON.stringify(counter)} }
  slow:
    uses: hang
    needs: [first]
    with: { gate: ${JSON.stringify(join(dir, 'gate'))}, started: ${JSON.stringify(join(dir, 'started'))}, counter: ${JSON.stringify(counter)} }
`;
}

describe('engine reliability (real CLI)', () => {
  // kill -9 mid-step, two concurrent runs and a damaged cache entry are shown in
  // test/integration/reliability/ (one file each, with more cases); this file keeps the
  // unprivileged ENOSPC (/dev/full) and out-of-memory cases and Ctrl-C.
  it('a full disk (ENOSPC from /dev/full) and an out-of-memory child fail their steps only, leaving no entry', async () => {
    const counter = '/dev/null';
    const dir = await recipeDir(`  full:
    uses: fill-disk
  hog:
    uses: hog
    resources: { memoryMb: 64 }
  fine:
    uses: note
    with: { text: ok, counter: ${JSON.stringify(counter)} }
`);
    const run = await cli(dir, ['run', 'recipe.yaml', '--keep-going', '--log-format', 'plain']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/failed\s+full[^\n]*\n\s+no space left on the device/);
    expect(run.stderr).toMatch(
      /failed\s+hog[^\n]*\n\s+the step's process .*(probably out of memory|possibly out of memory)/,
    );
    expect(run.stderr).toMatch(/log: \S+hog\.log/);
    expect(run.stderr).toMatch(/succeeded\s+fine/);
    expect(await entries(dir)).toHaveLength(1);
    expect(await readdir(join(dir, '.asterism', 'tmp'))).toEqual([]);
  });

  it('Ctrl-C (SIGINT) cancels the running step, exits 130 and caches nothing partial', async () => {
    const dir = await recipeDir('');
    await writeFile(
      join(dir, 'recipe.yaml'),
      (await readFile(join(dir, 'recipe.yaml'), 'utf8')) + stepsYaml(dir),
    );
    await writeFile(join(dir, 'gate'), '');
    const { child, done } = startCli(dir, ['run', 'recipe.yaml', '--log-format', 'plain']);
    await expect.poll(() => existsSync(join(dir, 'started')), { timeout: 30_000, interval: 50 }).toBe(true);
    child.kill('SIGINT');
    const result = await done;
    expect(result.code).toBe(130);
    expect(result.stderr).toMatch(/aborted\s+slow/);
    expect((await entries(dir)).map((entry) => entry.complete)).toEqual([true]);
    expect(await readdir(join(dir, '.asterism', 'tmp'))).toEqual([]);
  });
});
