/**
 * `kill -9` of the engine in the middle of a step, then `asterism run` again. While the step is
 * half-way (it has written half its output and signalled through a file), the cache's entry
 * folders hold only complete entries and the half output lies in a temporary folder; after the
 * kill nothing changes; the rerun completes, finished steps are `cached` (the counter file shows
 * they ran once) and `asterism cache verify` is clean. For a step in its own process, the
 * orphaned `exec-step` child must not outlive the engine. Ctrl-C (SIGINT) mid-step instead
 * cancels the step cleanly: exit 130, the step `aborted`, its temporary folder removed.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { asterism, collect, start } from '../cli/asterism.js';
import { counterLines, listEntries, recipeDir } from './helpers.js';

/** Every file under `dir` (recursive), as paths relative to it. */
async function filesUnder(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dir.length + 1));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function recipe(uses: string) {
  return (d: string) => {
    const q = (name: string) => JSON.stringify(join(d, name));
    return `  first:
    uses: count
    with: { text: one, counter: ${q('counter')} }
  hold:
    uses: ${uses}
    needs: [first]
    with: { gate: ${q('gate')}, started: ${q('started')}, counter: ${q('counter')} }
  after:
    uses: count
    with: { text: "\${{ steps.hold.outputs.data }}", counter: ${q('counter')} }
`;
  };
}

async function killMidStep(uses: string): Promise<{ dir: string; stepPid: number }> {
  const dir = await recipeDir(recipe(uses));
  const cache = join(dir, '.asterism');
  await writeFile(join(dir, 'gate'), '');
  const engine = start(['run', 'recipe.yaml', '--log-format', 'plain'], dir);
  const done = collect(engine);
  await expect.poll(() => existsSync(join(dir, 'started')), { timeout: 30_000, interval: 20 }).toBe(true);

  // Half-way: `first` is a complete entry; `hold`'s half output exists only under tmp/.
  const during = await listEntries(cache);
  expect(during.map((e) => e.complete)).toEqual([true]);
  const temp = await filesUnder(join(cache, 'tmp'));
  const half = temp.filter((f) => f.endsWith('data.txt'));
  expect(half).toHaveLength(1);
  expect(await readFile(join(cache, 'tmp', half[0]!), 'utf8')).toBe('half');
  expect((await filesUnder(join(cache, 'entries'))).some((f) => f.endsWith('data.txt'))).toBe(false);

  engine.kill('SIGKILL');
  const killed = await done;
  expect(killed.code).toBeNull();
  expect(engine.signalCode).toBe('SIGKILL');
  expect(await listEntries(cache)).toEqual(during);
  return { dir, stepPid: Number(await readFile(join(dir, 'started'), 'utf8')) };
}

async function rerunCompletes(dir: string): Promise<void> {
  const cache = join(dir, '.asterism');
  await rm(join(dir, 'gate'));
  const rerun = await asterism(['run', 'recipe.yaml', '--log-format', 'plain'], dir);
  expect(rerun.code, rerun.stderr).toBe(0);
  expect(rerun.stderr).toMatch(/^cached\s+first\b/m);
  expect(rerun.stderr).toMatch(/^succeeded hold /m);
  expect(rerun.stderr).toMatch(/^succeeded after /m);
  // `first` ran once in all; `hold` twice (killed, then redone); `after` once.
  expect(await counterLines(join(dir, 'counter'))).toEqual(['first', 'hold', 'hold', 'after']);
  const entries = await listEntries(cache);
  expect(entries.map((e) => e.complete)).toEqual([true, true, true]);
  const show = await asterism(['show', 'recipe.yaml', 'hold', '--json'], dir);
  const outputs = (JSON.parse(show.stdout) as { outputs: { data: string } }).outputs;
  expect(await readFile(outputs.data, 'utf8')).toBe('half and the rest');
  const verify = await asterism(['cache', 'verify', '--cache-dir', '.asterism'], dir);
  expect(verify.code, verify.stdout + verify.stderr).toBe(0);
  expect(verify.stdout).toMatch(/checked 3 entries: all intact/);
  // The killed run's temporary folder is garbage, removed by `cache gc`, never read as an entry.
  const gc = await asterism(['cache', 'gc', '--cache-dir', '.asterism'], dir);
  expect(gc.code, gc.stdout + gc.stderr).toBe(0);
  expect(await readdir(join(cache, 'tmp'))).toEqual([]);
  expect((await listEntries(cache)).length).toBe(3);
}

describe('kill -9 of the engine mid-step (real CLI, real SIGKILL)', () => {
  it('in-process step: no half entry is ever visible; the rerun redoes only the killed step', async () => {
    const { dir } = await killMidStep('gated');
    await rerunCompletes(dir);
  }, 120_000);

  it('step in its own process: the exec-step child does not outlive the killed engine', async () => {
    const { dir, stepPid } = await killMidStep('gated-isolated');
    expect(stepPid).not.toBe(0);
    await expect.poll(() => isAlive(stepPid), { timeout: 20_000, interval: 50 }).toBe(false);
    await rerunCompletes(dir);
  }, 120_000);
});

describe('Ctrl-C (SIGINT) of the engine mid-step (real CLI, real signal)', () => {
  it('cancels the running step, exits 130, removes its temporary folder and caches nothing partial', async () => {
    const dir = await recipeDir(recipe('gated'));
    const cache = join(dir, '.asterism');
    await writeFile(join(dir, 'gate'), '');
    const engine = start(['run', 'recipe.yaml', '--log-format', 'plain'], dir);
    const done = collect(engine);
    await expect.poll(() => existsSync(join(dir, 'started')), { timeout: 30_000, interval: 20 }).toBe(true);
    engine.kill('SIGINT');
    const result = await done;
    expect(result.code, result.stderr).toBe(130);
    expect(result.stderr).toMatch(/^aborted\s+hold\b/m);
    expect((await listEntries(cache)).map((e) => e.complete)).toEqual([true]);
    expect(await readdir(join(cache, 'tmp'))).toEqual([]);
    await rerunCompletes(dir);
  }, 120_000);
});
