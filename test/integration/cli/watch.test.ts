import { cp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asterism, collect, fixtureCopy, start } from './asterism.js';

let root: string;

beforeAll(async () => {
  root = await fixtureCopy();
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Matches of `pattern` in `text` (global). */
function count(text: string, pattern: RegExp): number {
  return text.match(new RegExp(pattern.source, 'g'))?.length ?? 0;
}

describe('asterism run --watch (the real CLI in a child process)', () => {
  it('reruns what an added input touches, survives a broken recipe, and stops with 130 on SIGINT', async () => {
    const cwd = join(root, 'watch');
    const child = start(['run', 'recipe.yaml', '--watch', '--log-format', 'plain'], cwd);
    const result = collect(child);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const waiting = (): number => count(stdout, /watch {5}waiting for changes/);
    const poll = { timeout: 30_000, interval: 50 };

    // First run: everything computes, then it waits.
    await expect.poll(waiting, poll).toBe(1);
    expect(stdout).toMatch(/watch {5}initial run/);
    expect(stderr).toMatch(/succeeded archive/);

    // A file matching the input glob: only the steps reading it (and downstream) rerun.
    await writeFile(join(cwd, 'data', 'b.txt'), 'b\n');
    await expect.poll(waiting, poll).toBe(2);
    expect(stdout).toMatch(/inputs\.frames: 1 added \(data\/b\.txt\) → rerun: combine, archive\n/);
    const show = await asterism(['show', 'recipe.yaml', 'archive', '--json'], cwd);
    expect(show.code, show.stderr).toBe(0);
    const shown = JSON.parse(show.stdout) as { outputs: { archived: string } };
    expect(await readFile(shown.outputs.archived, 'utf8')).toMatch(/a\n.*b\n/s);

    // A broken edit: the located error, and it keeps watching with the last good recipe.
    const recipe = await readFile(join(cwd, 'recipe.yaml'), 'utf8');
    await writeFile(join(cwd, 'recipe.yaml'), recipe.replace('uses: combine', 'uses: combinee'));
    await expect.poll(() => stdout, poll).toMatch(/keeping the last good one/);
    expect(stdout).toMatch(/recipe\.yaml:\d+:\d+: .*combinee/);
    expect(child.exitCode).toBeNull();

    // Fixed: it reruns (nothing changed, so everything is cached).
    await writeFile(join(cwd, 'recipe.yaml'), recipe);
    await expect.poll(waiting, poll).toBe(3);
    expect(stdout).toMatch(/recipe or plugin changed → rerun: /);

    child.kill('SIGINT');
    const { code } = await result;
    expect(code, stderr).toBe(130);
  }, 90_000);

  it('fails the steps needing a deleted input without stopping, and exits 130 on SIGTERM', async () => {
    const cwd = join(root, 'watch-delete');
    // A pristine copy (the first test added files to `watch/`), beside `basic/` for its plugin.
    await cp(fileURLToPath(new URL('../../fixtures/recipes/watch/', import.meta.url)), cwd, {
      recursive: true,
    });
    const child = start(['run', 'recipe.yaml', '--watch', '--log-format', 'plain'], cwd);
    const result = collect(child);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const waiting = (): number => count(stdout, /watch {5}waiting for changes/);
    const poll = { timeout: 30_000, interval: 50 };
    await expect.poll(waiting, poll).toBe(1);

    // The glob's only file goes: an error for the steps reading it, not a crash.
    await unlink(join(cwd, 'data', 'a.txt'));
    await expect.poll(waiting, poll).toBe(2);
    expect(stdout).toMatch(/inputs\.frames: 1 deleted \(data\/a\.txt\) → rerun: combine, archive\n/);
    expect(stderr).toMatch(/failed +combine\n +input `frames`: the glob `data\/\*\.txt` matches no file/);
    expect(stderr).toMatch(/blocked +archive/);
    expect(child.exitCode).toBeNull();

    child.kill('SIGTERM');
    const { code } = await result;
    expect(code, stderr).toBe(130);
  }, 90_000);
});
