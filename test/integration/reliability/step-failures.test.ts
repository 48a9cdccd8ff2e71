/**
 * Every way a step can fail — it throws, its shell script exits non-zero, its process is killed
 * by a signal, it runs out of heap, it exceeds `timeout:` — fails that step only, with a clear
 * message and the path of its log; the independent branch finishes under `--keep-going`, the
 * cache holds only complete entries, and `asterism cache verify` finds nothing wrong.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { asterism } from '../cli/asterism.js';
import { counterLines, failureBlock, listEntries, recipeDir } from './helpers.js';

describe('step failures (real CLI, real processes)', () => {
  it('throw, exit 3, SIGSEGV, out of memory and timeout each fail their step only', async () => {
    const dir = await recipeDir((d) => {
      const counter = JSON.stringify(join(d, 'counter'));
      return `  thrower:
    uses: throw
  shelled:
    uses: shell
    with: { run: "echo about to fail >&2; exit 3" }
  segv:
    uses: self-signal
  hog:
    uses: hog
    resources: { memoryMb: 64 }
  slow:
    uses: wait
    timeout: 1s
  after:
    uses: count
    with: { text: "\${{ steps.thrower.outputs.never }}", counter: ${counter} }
  ok:
    uses: count
    with: { text: fine, counter: ${counter} }
  ok2:
    uses: count
    with: { text: "\${{ steps.ok.outputs.text }}", counter: ${counter} }
`;
    });
    const run = await asterism(
      ['run', 'recipe.yaml', '--keep-going', '--jobs', '2', '--log-format', 'plain'],
      dir,
    );
    const out = run.stderr;
    expect(run.code, out).toBe(1);

    const logOf = (step: string) =>
      new RegExp(
        `\\n    log: (${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/\\.asterism/logs/\\S+/${step}\\.log)`,
      );
    const expectations: [string, RegExp][] = [
      ['thrower', /\n {4}Error: deliberate failure from the throw fixture\n/],
      ['shelled', /\n {4}the script exited with code 3; last output:\n {6}about to fail\n/],
      ['segv', /\n {4}the step's process was killed by SIGSEGV\n/],
      [
        'hog',
        /\n {4}the step's process (was killed by SIGABRT|exited with code 134|was killed by SIGKILL) \(probably out of memory: it claims resources\.memoryMb = 64\)\n/,
      ],
      ['slow', /\n {4}timed out after 1000 ms \(timeout: in the recipe\)\n/],
    ];
    for (const [step, message] of expectations) {
      const block = `${failureBlock(out, step)}\n`;
      expect(block, `${step} in:\n${out}`).toMatch(message);
      const log = logOf(step).exec(block)?.[1];
      expect(log, `${step} log path in:\n${block}`).toBeDefined();
      expect(existsSync(log!)).toBe(true);
    }
    // The shell script's own output is in its log, not only in the summary.
    const shellLog = logOf('shelled').exec(`${failureBlock(out, 'shelled')}\n`)?.[1];
    expect(await readFile(shellLog!, 'utf8')).toMatch(/about to fail/);

    expect(out).toMatch(/\nblocked\s+after\n\s+blocked: upstream `thrower` failed/);
    expect(out).toMatch(/\nsucceeded ok /);
    expect(out).toMatch(/\nsucceeded ok2 /);
    expect((await counterLines(join(dir, 'counter'))).sort()).toEqual(['ok', 'ok2']);

    // Only the two finished steps are entries, both complete; no temporary folder is left.
    const cache = join(dir, '.asterism');
    const entries = await listEntries(cache);
    expect(entries.map((e) => e.complete)).toEqual([true, true]);
    expect(await readdir(join(cache, 'tmp'))).toEqual([]);
    const verify = await asterism(['cache', 'verify', '--cache-dir', '.asterism'], dir);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    expect(verify.stdout).toMatch(/checked 2 entries: all intact/);
  });
});
