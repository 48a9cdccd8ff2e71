/**
 * A full disk, for real: the cache lives on a 256 KiB tmpfs mounted for this test (needs root;
 * where `mount` is refused those cases are skipped, and the /dev/full case below still shows
 * ENOSPC). A step that fills the disk fails with a clear error, leaves no partial entry and gives
 * its space back; a run that starts on an already full disk fails its steps cleanly (no crash),
 * and the next run after space is freed succeeds.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { asterism } from '../cli/asterism.js';
import { failureBlock, listEntries, recipeDir } from './helpers.js';

const SIZE_KIB = 256;

/** Mount a fresh tmpfs of SIZE_KIB; undefined when this sandbox does not allow it. */
function mountTmpfs(): string | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'asterism-tmpfs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${SIZE_KIB}k`, 'tmpfs', dir], { stdio: 'ignore' });
    return dir;
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
}

const mountPoint = mountTmpfs();

afterAll(() => {
  if (mountPoint === undefined) return;
  execFileSync('umount', [mountPoint]);
  rmSync(mountPoint, { recursive: true, force: true });
});

/** Free bytes on the tmpfs. */
function freeBytes(dir: string): number {
  const s = statfsSync(dir);
  return s.bavail * s.bsize;
}

/** Fill the file system holding `dir` with one file until it refuses; returns the file. */
function fillUp(dir: string): string {
  const file = join(dir, 'filler');
  const chunk = Buffer.alloc(4096, 1);
  try {
    for (;;) writeFileSync(file, chunk, { flag: 'a' });
  } catch (error) {
    expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC');
  }
  return file;
}

describe.skipIf(mountPoint === undefined)('a full disk under the cache (real tmpfs)', () => {
  it('a step that fills the disk fails clearly, leaves no partial entry and frees its space', async () => {
    const cache = join(mountPoint!, 'fill-cache');
    const dir = await recipeDir(
      (d) => `  full:
    uses: fill
  ok:
    uses: count
    with: { text: fine, counter: ${JSON.stringify(join(d, 'counter'))} }
`,
    );
    const run = await asterism(
      ['run', 'recipe.yaml', '--keep-going', '--log-format', 'plain', '--cache-dir', cache],
      dir,
    );
    expect(run.code, run.stderr).toBe(1);
    expect(failureBlock(run.stderr, 'full')).toMatch(
      /\n {4}no space left on the device while writing the step's outputs: ENOSPC: no space left on device, write\n {4}log: \S+full\.log/,
    );
    expect(run.stderr).toMatch(/\nsucceeded ok /);
    expect((await listEntries(cache)).map((e) => e.complete)).toEqual([true]);
    expect(readdirSync(join(cache, 'tmp'))).toEqual([]);
    // The partial output was deleted: most of the tmpfs is free again.
    expect(freeBytes(mountPoint!)).toBeGreaterThan((SIZE_KIB * 1024) / 2);
    const verify = await asterism(['cache', 'verify', '--cache-dir', cache], dir);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
  });

  it('a run that starts on a full disk fails its steps without crashing; after freeing space it succeeds', async () => {
    const cache = join(mountPoint!, 'full-cache');
    const dir = await recipeDir(
      (d) => `  a:
    uses: count
    with: { text: "some text", counter: ${JSON.stringify(join(d, 'counter'))} }
`,
    );
    // A first, successful run creates the cache's folders; then its entry is removed and the
    // disk filled, so the second run meets ENOSPC when it writes the step's output.
    expect((await asterism(['run', 'recipe.yaml', '--cache-dir', cache], dir)).code).toBe(0);
    rmSync(join(cache, 'entries'), { recursive: true });
    mkdirSync(join(cache, 'entries'));
    const filler = fillUp(mountPoint!);

    const full = await asterism(['run', 'recipe.yaml', '--log-format', 'plain', '--cache-dir', cache], dir);
    expect(full.code, full.stderr).toBe(1);
    expect(failureBlock(full.stderr, 'a')).toMatch(/ENOSPC: no space left on device/);
    // The engine's own bookkeeping (run record) cannot be written either: a note, not a crash.
    expect(full.stderr).not.toMatch(/^error: /m);
    expect(full.stderr).toMatch(/\na\s+failed/);
    expect(await listEntries(cache)).toEqual([]);
    expect(readdirSync(join(cache, 'tmp'))).toEqual([]);

    rmSync(filler);
    const again = await asterism(['run', 'recipe.yaml', '--log-format', 'plain', '--cache-dir', cache], dir);
    expect(again.code, again.stderr).toBe(0);
    expect((await listEntries(cache)).map((e) => e.complete)).toEqual([true]);
    expect((await asterism(['cache', 'verify', '--cache-dir', cache], dir)).code).toBe(0);
  });
});

describe('ENOSPC without a mount (a write through a link to /dev/full)', () => {
  it('fails that step only, with a clear message and its log; no partial entry', async () => {
    const dir = await recipeDir(
      (d) => `  full:
    uses: write-dev-full
  ok:
    uses: count
    with: { text: fine, counter: ${JSON.stringify(join(d, 'counter'))} }
`,
    );
    const run = await asterism(['run', 'recipe.yaml', '--keep-going', '--log-format', 'plain'], dir);
    expect(run.code, run.stderr).toBe(1);
    expect(failureBlock(run.stderr, 'full')).toMatch(
      /\n {4}no space left on the device while writing the step's outputs: ENOSPC[^\n]*\n {4}log: \S+full\.log/,
    );
    expect(run.stderr).toMatch(/\nsucceeded ok /);
    const cache = join(dir, '.asterism');
    expect((await listEntries(cache)).map((e) => e.complete)).toEqual([true]);
    expect(readdirSync(join(cache, 'tmp'))).toEqual([]);
  });
});
