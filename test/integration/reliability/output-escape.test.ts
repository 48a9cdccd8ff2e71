/**
 * A step may return only paths inside its own output folder: `..` escapes, absolute paths and
 * symbolic links that resolve outside are rejected, through the real CLI, for plugin steps and
 * for `shell` steps alike, and nothing of theirs enters the cache.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { asterism } from '../cli/asterism.js';
import { failureBlock, listEntries, recipeDir } from './helpers.js';

describe('outputs outside the output folder (real CLI)', () => {
  it('rejects `..`, absolute paths and outward links; the cache stays clean', async () => {
    const dir = await recipeDir((d) => {
      const elsewhere = (name: string) => JSON.stringify(join(d, name));
      return `  dotdot:
    uses: return-path
    with: { path: ../../../../escaped.txt, target: ${elsewhere('escaped.txt')} }
  nested:
    uses: return-path
    with: { path: sub/../../x.txt, target: ${elsewhere('x.txt')} }
  absolute:
    uses: return-path
    with: { path: ${elsewhere('abs.txt')}, target: ${elsewhere('abs.txt')} }
  linked:
    uses: link-out
    with: { target: ${elsewhere('recipe.yaml')} }
  shelled:
    uses: shell
    with: { run: "echo hi > ../up.txt", outputs: { up: ../up.txt } }
`;
    });
    const run = await asterism(['run', 'recipe.yaml', '--keep-going', '--log-format', 'plain'], dir);
    expect(run.code, run.stderr).toBe(1);
    const outside = (step: string, name: string, value: string) =>
      new RegExp(
        `\\n {4}step \`${step}\`: output \`${name}\` = "${value.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}" points outside its output folder \\(steps write only inside ctx\\.outDir and return paths relative to it\\)\\n`,
      );
    expect(`${failureBlock(run.stderr, 'dotdot')}\n`).toMatch(
      outside('dotdot', 'out', '../../../../escaped.txt'),
    );
    expect(`${failureBlock(run.stderr, 'nested')}\n`).toMatch(outside('nested', 'out', 'sub/../../x.txt'));
    expect(`${failureBlock(run.stderr, 'absolute')}\n`).toMatch(
      outside('absolute', 'out', join(dir, 'abs.txt')),
    );
    expect(`${failureBlock(run.stderr, 'shelled')}\n`).toMatch(outside('shelled', 'up', '../up.txt'));
    expect(failureBlock(run.stderr, 'linked')).toMatch(
      /\n {4}step `linked`: output `out` is a link to \S+recipe\.yaml, outside its output folder \(copy the file into ctx\.outDir instead of linking to it\)\n/,
    );
    expect(await listEntries(join(dir, '.asterism'))).toEqual([]);
    expect(await readdir(join(dir, '.asterism', 'tmp'))).toEqual([]);
  });
});
