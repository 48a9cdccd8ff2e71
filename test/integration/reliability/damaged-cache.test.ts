/**
 * `asterism cache verify` end to end on cache files changed after the fact: one output with a
 * byte overwritten (same size), one deleted, one truncated. Verify names each problem and fails;
 * a second verify before any run lists them as pending (no new damage: exit 0); the next run
 * recomputes exactly the damaged entries and says so, a downstream step whose input comes back
 * byte-identical stays cached (early cut-off), and verify is then clean.
 * (`test/unit/engine/cache/verify.test.ts` covers repeated verifies and `--quarantine` through
 * the API.)
 */
import { open, readFile, rm, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { asterism } from '../cli/asterism.js';
import { counterLines, recipeDir } from './helpers.js';

describe('damaged cache files (real CLI)', () => {
  it('verify finds modified, deleted and truncated outputs; the next run recomputes them and says so', async () => {
    const dir = await recipeDir((d) => {
      const counter = JSON.stringify(join(d, 'counter'));
      return `  a:
    uses: count
    with: { text: "some bytes", counter: ${counter} }
  b:
    uses: count
    with: { text: "\${{ steps.a.outputs.text }}", counter: ${counter} }
  c:
    uses: count
    with: { text: "c text", counter: ${counter} }
  d:
    uses: count
    with: { text: "d text, long enough", counter: ${counter} }
`;
    });
    expect((await asterism(['run', 'recipe.yaml'], dir)).code).toBe(0);
    const outputOf = async (step: string) =>
      (
        JSON.parse((await asterism(['show', 'recipe.yaml', step, '--json'], dir)).stdout) as {
          outputs: { text: string };
        }
      ).outputs.text;
    const [a, c, d] = await Promise.all([outputOf('a'), outputOf('c'), outputOf('d')]);
    // One byte changed in place, same size: verify must rehash the bytes to see it.
    const handle = await open(a, 'r+');
    await handle.write('S', 0);
    await handle.close();
    await rm(c);
    await truncate(d, 4);

    const verify = await asterism(['cache', 'verify', '--cache-dir', '.asterism'], dir);
    expect(verify.code).toBe(1);
    expect(verify.stdout).toMatch(
      /^modified +\w+ out\/text\.txt: output `text` hashes to sha256:\w+, expected sha256:\w+$/m,
    );
    expect(verify.stdout).toMatch(/^missing +\w+ out\/text\.txt: output `text` is gone$/m);
    expect(verify.stdout).toMatch(/^truncated +\w+ out\/text\.txt: output `text` has 4 bytes, expected 19$/m);
    expect(verify.stdout).toMatch(/checked 4 entries: 3 problem\(s\)/);
    // Verifying again before any run: the three entries are invalidated (harmless) and listed as
    // pending; that is no new damage, so verify exits 0.
    const again = await asterism(['cache', 'verify', '--cache-dir', '.asterism'], dir);
    expect(again.code, again.stdout).toBe(0);
    expect(
      again.stdout.match(
        /^pending +\w+: invalidated by an earlier `asterism cache verify`; the next run recomputes it$/gm,
      ),
    ).toHaveLength(3);
    expect(again.stdout).toMatch(
      /^checked 4 entries: no new damage; 3 invalidated by an earlier verify, awaiting the next run$/m,
    );

    const rerun = await asterism(['run', 'recipe.yaml', '--log-format', 'plain'], dir);
    expect(rerun.code, rerun.stderr).toBe(0);
    for (const step of ['a', 'c', 'd']) {
      expect(rerun.stderr).toMatch(
        new RegExp(
          `^note +${step}: recomputing: \`asterism cache verify\` found its cache entry damaged$`,
          'm',
        ),
      );
      expect(rerun.stderr).toMatch(new RegExp(`^succeeded ${step} `, 'm'));
    }
    expect(rerun.stderr).toMatch(/^cached\s+b\b/m);
    expect((await counterLines(join(dir, 'counter'))).slice(4).sort()).toEqual(['a', 'c', 'd']);
    expect(await readFile(a, 'utf8')).toBe('some bytes');
    expect(await readFile(c, 'utf8')).toBe('c text');
    expect(await readFile(d, 'utf8')).toBe('d text, long enough');
    const clean = await asterism(['cache', 'verify', '--cache-dir', '.asterism'], dir);
    expect(clean.code, clean.stdout).toBe(0);
    expect(clean.stdout).toMatch(/checked 4 entries: all intact/);
  }, 120_000);
});
