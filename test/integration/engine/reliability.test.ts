import { existsSync } from 'node:fs';
import { readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, recipeDir, startCli } from './fixtures/cli.js';

async function lines(file: string): Promise<string[]> {
  return existsSync(file) ? (await readFile(file, 'utf8')).split('\n').filter(Boolean) : [];
}

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
  it('survives kill -9 mid-step: no half entry is visible, and the rerun redoes only the killed step', async () => {
    const dir = await recipeDir('');
    await writeFile(
      join(dir, 'recipe.yaml'),
      (await readFile(join(dir, 'recipe.yaml'), 'utf8')) + stepsYaml(dir),
    );
    await writeFile(join(dir, 'gate'), '');
    const { child, done } = startCli(dir, ['run', 'recipe.yaml', '--log-format', 'plain']);
    await expect.poll(() => existsSync(join(dir, 'started')), { timeout: 30_000, interval: 50 }).toBe(true);
    child.kill('SIGKILL');
    expect((await done).signal).toBe('SIGKILL');
    // Only `first` is in the cache, complete; the killed step left at most a temporary folder.
    const before = await entries(dir);
    expect(before).toHaveLength(1);
    expect(before[0]!.complete).toBe(true);

    await rm(join(dir, 'gate'));
    const rerun = await cli(dir, ['run', 'recipe.yaml', '--log-format', 'plain']);
    expect(rerun.code).toBe(0);
    expect(rerun.stderr).toMatch(/cached\s+first/);
    expect(await lines(join(dir, 'counter'))).toEqual(['first', 'slow', 'slow']);
    expect((await entries(dir)).every((entry) => entry.complete)).toBe(true);
    const verify = await cli(dir, ['cache', 'verify', '--cache-dir', '.asterism']);
    expect(verify.code).toBe(0);
  });

  it('two concurrent runs on one cache compute each step once and agree', async () => {
    const counter = (dir: string) => join(dir, 'counter');
    const dir = await recipeDir('');
    const body = Array.from(
      { length: 4 },
      (_, i) =>
        `  s${i}:\n    uses: note\n    with: { text: t${i}, counter: ${JSON.stringify(counter(dir))} }\n`,
    ).join('');
    await writeFile(join(dir, 'recipe.yaml'), (await readFile(join(dir, 'recipe.yaml'), 'utf8')) + body);
    const [one, two] = await Promise.all([
      cli(dir, ['run', 'recipe.yaml', '--jobs', '2', '--log-format', 'json']),
      cli(dir, ['run', 'recipe.yaml', '--jobs', '2', '--log-format', 'json']),
    ]);
    expect([one.code, two.code]).toEqual([0, 0]);
    expect((await lines(counter(dir))).sort()).toEqual(['s0', 's1', 's2', 's3']);
    const show = await cli(dir, ['show', 'recipe.yaml', 's3', '--json']);
    expect(JSON.parse(show.stdout)).toMatchObject({ step: 's3', status: 'cached' });
    expect((await cli(dir, ['cache', 'verify', '--cache-dir', '.asterism'])).code).toBe(0);
  });

  it('cache verify finds a truncated output; the next run recomputes it and says so', async () => {
    const dir = await recipeDir(
      `  a:\n    uses: note\n    with: { text: "some bytes", counter: ${JSON.stringify('/dev/null')} }\n`,
    );
    expect((await cli(dir, ['run', 'recipe.yaml'])).code).toBe(0);
    const show = JSON.parse((await cli(dir, ['show', 'recipe.yaml', 'a', '--json'])).stdout) as {
      outputs: { text: string };
    };
    await truncate(show.outputs.text, 3);
    const verify = await cli(dir, ['cache', 'verify', '--cache-dir', '.asterism']);
    expect(verify.code).toBe(1);
    expect(verify.stdout).toMatch(/truncated .* out\/text\.txt: output `text` has 3 bytes, expected 10/);
    const rerun = await cli(dir, ['run', 'recipe.yaml', '--log-format', 'plain']);
    expect(rerun.code).toBe(0);
    expect(rerun.stderr).toMatch(/a: recomputing: `asterism cache verify` found its cache entry damaged/);
    expect(await readFile(show.outputs.text, 'utf8')).toBe('some bytes');
    expect((await cli(dir, ['cache', 'verify', '--cache-dir', '.asterism'])).code).toBe(0);
  });

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
