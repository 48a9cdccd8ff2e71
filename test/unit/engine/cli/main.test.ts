import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CommandDefinition } from '../../../../engine/command.js';
import { cli } from './run-cli.js';

const fixture = fileURLToPath(new URL('../../../fixtures/recipes/basic/', import.meta.url));

describe('asterism CLI (in-process)', () => {
  it('lists commands with --help and exits 0; no command at all is a usage error', async () => {
    const help = await cli(['--help'], { cwd: fixture });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^ {2}validate +check a recipe/m);
    expect(help.stdout).not.toMatch(/exec-step/);
    expect((await cli([], { cwd: fixture })).code).toBe(2);
  });

  it('prints per-command help with examples', async () => {
    const result = await cli(['dag', '--help'], { cwd: fixture });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: asterism dag RECIPE/m);
    expect(result.stdout).toMatch(/^Examples:\n {2}asterism dag recipe.yaml$/m);
  });

  it('suggests the nearest command and option', async () => {
    const command = await cli(['valdate', 'recipe.yaml'], { cwd: fixture });
    expect(command.code).toBe(2);
    expect(command.stderr).toMatchInlineSnapshot(`
      "error: unknown command \`valdate\`
        fix: did you mean \`validate\`? (see \`asterism --help\`)
      "
    `);
    const option = await cli(['dag', 'recipe.yaml', '--fromat', 'dot'], { cwd: fixture });
    expect(option.code).toBe(2);
    expect(option.stderr).toMatchInlineSnapshot(`
      "error: unknown option --fromat for \`asterism dag\`
        fix: did you mean \`--format\`?
      "
    `);
    const missing = await cli(['explain', 'recipe.yaml'], { cwd: fixture });
    expect(missing.stderr).toMatchInlineSnapshot(`
      "error: missing STEP: usage: asterism explain RECIPE STEP [--json] [--set NAME=VALUE]...
        fix: see \`asterism explain --help\`
      "
    `);
  });

  it('validates the fixture recipe, relative to the working folder', async () => {
    const result = await cli(['validate', 'recipe.yaml'], { cwd: fixture });
    expect(result).toEqual({
      code: 0,
      stdout: 'ok: recipe.yaml: recipe `basic`, 3 steps (4 instances after matrix expansion)\n',
      stderr: '',
    });
  });

  it('answers --dry-run with the plan and runs nothing', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'asterism-dry-'));
    try {
      const result = await cli(['run', 'recipe.yaml', '--dry-run', '--cache-dir', cacheDir], {
        cwd: fixture,
      });
      expect(result.code, result.stderr).toBe(0);
      // The reasons' wording belongs to the planner; pin the actions here.
      expect(result.stdout.split('\n').map((line) => line.trim().split(/\s+/).slice(0, 2).join(' '))).toEqual(
        ['run make[label=alpha]', 'run make[label=beta]', 'unknown combine', 'unknown archive', ''],
      );
      expect(await readdir(cacheDir)).not.toContain('entries');
    } finally {
      await rm(cacheDir, { recursive: true, force: true });
    }
  });

  it('runs with --quiet: the outcome and the lock file, and no line per step', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'asterism-quiet-'));
    try {
      await cp(fixture, cwd, { recursive: true });
      const first = await cli(['run', 'recipe.yaml', '--quiet'], { cwd });
      expect(first.code, first.stderr).toBe(0);
      const lock = join(cwd, 'basic.lock.yaml');
      const outcome = (counts: string): RegExp =>
        new RegExp(
          `^basic: ok in \\d\\S* — ${counts}\nlock file: ${lock.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\n$`,
        );
      expect(first.stderr).toMatch(outcome('4 succeeded'));
      const again = await cli(['run', 'recipe.yaml', '-q'], { cwd });
      expect(again.stderr).toMatch(outcome('4 cached'));
      // What --force asked for is not news: no note per forced step.
      const forced = await cli(['run', 'recipe.yaml', '--quiet', '--force', 'make'], { cwd });
      expect(forced.stderr).toMatch(outcome('2 succeeded, 2 cached'));
      const loud = await cli(['run', 'recipe.yaml'], { cwd });
      expect(loud.stderr).toMatch(/^cached +make\[label=alpha\]$/m);
    } finally {
      await rm(cwd, { recursive: true, force: true });
    }
  });

  it('exits 2 for a recipe file that does not exist', async () => {
    const result = await cli(['validate', 'nope.yaml'], { cwd: fixture });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: nope.yaml: cannot read the recipe: no such file\n {2}fix: /);
  });

  it('documents a step, and suggests a name for an unknown one', async () => {
    const shell = await cli(['steps', 'shell'], { cwd: fixture });
    expect(shell.code).toBe(0);
    expect(shell.stdout).toMatch(/^ {2}run +string, required: /m);
    const plugin = await cli(['steps', 'make', '--recipe', 'recipe.yaml'], { cwd: fixture });
    expect(plugin.stdout).toMatch(/^ {2}label +string, default "item": A label\.$/m);
    const unknown = await cli(['steps', 'shel'], { cwd: fixture });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('error: no step named `shel`\n  fix: did you mean `shell`?\n');
  });

  it('hands extra commands their arguments', async () => {
    const seen: string[][] = [];
    const fits: CommandDefinition = {
      name: 'fits',
      description: 'inspect FITS files',
      help: 'asterism fits FILE',
      async run(argv) {
        seen.push([...argv]);
        return 0;
      },
    };
    expect((await cli(['fits', 'a.fits', '--hdu', '1'], { cwd: fixture, commands: [fits] })).code).toBe(0);
    expect(seen).toEqual([['a.fits', '--hdu', '1']]);
    const help = await cli(['--help'], { cwd: fixture, commands: [fits] });
    expect(help.stdout).toMatch(/^ {2}fits +inspect FITS files$/m);
  });

  it('rejects a bad --format and bad --jobs with the accepted values', async () => {
    const format = await cli(['dag', 'recipe.yaml', '--format', 'png'], { cwd: fixture });
    expect(format.stderr).toBe('error: unknown --format `png`\n  fix: use one of: text, mermaid, dot\n');
    const jobs = await cli(['run', 'recipe.yaml', '--jobs', '0'], { cwd: fixture });
    expect(jobs.code).toBe(2);
    expect(jobs.stderr).toMatch(/^error: expected --jobs to be an integer from 1 up, got `0`/);
  });
});
