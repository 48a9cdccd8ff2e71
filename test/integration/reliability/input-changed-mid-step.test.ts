/**
 * An input file rewritten while a step that reads it is running (after the engine hashed it for
 * the key, before the step read it). Before the fix the step's result, computed from the new
 * bytes, was cached under the key of the old bytes: restoring the old file then served the new
 * file's result as `cached`. Now the step fails with `INPUT_CHANGED` and nothing is cached; the
 * next run computes it from the new content, and the old content's key stays empty.
 */
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { asterism, collect, start } from '../cli/asterism.js';
import { failureBlock, listEntries, recipeDir } from './helpers.js';

describe('an input changed while its step runs (real CLI)', () => {
  it('fails the step, caches nothing under the old key; the next run uses the new content', async () => {
    const dir = await recipeDir((d) => {
      const q = (name: string) => JSON.stringify(join(d, name));
      return `  copy:
    uses: gated-copy
    with: { file: "\${{ inputs.table }}", gate: ${q('gate')}, started: ${q('started')} }
`;
    });
    const recipe = join(dir, 'recipe.yaml');
    await writeFile(
      recipe,
      (await readFile(recipe, 'utf8')).replace('steps:', 'inputs:\n  table: table.txt\nsteps:'),
    );
    const table = join(dir, 'table.txt');
    await writeFile(table, 'old');
    await writeFile(join(dir, 'gate'), '');
    const engine = start(['run', 'recipe.yaml', '--log-format', 'plain'], dir);
    const done = collect(engine);
    await expect.poll(() => existsSync(join(dir, 'started')), { timeout: 30_000, interval: 20 }).toBe(true);
    await writeFile(table, 'new, longer');
    await rm(join(dir, 'gate'));
    const first = await done;
    expect(first.code, first.stderr).toBe(1);
    expect(
      failureBlock(first.stderr, 'copy')
        .replaceAll(dir, '<dir>')
        .replace(/ \(\d+ms\)/, '')
        .replace(/logs\/[^/]+\//, 'logs/<run>/'),
    ).toMatchInlineSnapshot(`
      "failed    copy
          input \`table\` changed while the step ran (<dir>/table.txt); its result is not cached (run again to compute it from the new content; \`asterism run --watch\` does so by itself)
          log: <dir>/.asterism/logs/<run>/copy.log"
    `);
    expect(await listEntries(join(dir, '.asterism'))).toEqual([]);

    const second = await asterism(['run', 'recipe.yaml', '--log-format', 'plain'], dir);
    expect(second.code, second.stderr).toBe(0);
    const show = async () =>
      (
        JSON.parse((await asterism(['show', 'recipe.yaml', 'copy', '--json'], dir)).stdout) as {
          outputs: { copy: string };
        }
      ).outputs.copy;
    expect(await readFile(await show(), 'utf8')).toBe('new, longer');
    // The old content's key holds nothing: going back to it computes, never serves the new result.
    await writeFile(table, 'old');
    const third = await asterism(['run', 'recipe.yaml', '--log-format', 'plain'], dir);
    expect(third.stderr).toMatch(/^succeeded copy /m);
    expect(await readFile(await show(), 'utf8')).toBe('old');
  }, 120_000);
});
