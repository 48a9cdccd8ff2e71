import { cp, mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { cli } from './run-cli.js';

const fixture = fileURLToPath(new URL('../../../fixtures/recipes/basic/', import.meta.url));
const temps: string[] = [];

async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

afterAll(async () => {
  await Promise.all(temps.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function basicCopy(): Promise<string> {
  const dir = await tempDir('asterism-cli-verify-');
  await cp(fixture, dir, { recursive: true });
  return dir;
}

async function archivedPath(cwd: string): Promise<string> {
  const show = await cli(['show', 'recipe.yaml', 'archive', '--json'], { cwd });
  expect(show.code, show.stderr).toBe(0);
  return (JSON.parse(show.stdout) as { outputs: { archived: string } }).outputs.archived;
}

describe('asterism cache verify (in-process)', () => {
  it('says it invalidated the damaged entry in place, or quarantined it with --quarantine', async () => {
    const cwd = await basicCopy();
    expect((await cli(['run', 'recipe.yaml'], { cwd })).code).toBe(0);
    await truncate(await archivedPath(cwd), 3);
    const verify = await cli(['cache', 'verify'], { cwd });
    expect(verify.code).toBe(1);
    expect(verify.stdout).toMatch(/^truncated +\w+ out\/archived\.txt: /m);
    expect(verify.stdout).toMatch(
      /^checked 4 entries: 1 problem\(s\) in 1 entry; invalidated 1 in place \(the next run recomputes them\)$/m,
    );

    // The run recomputes it; damaged again, --quarantine moves it aside instead.
    expect((await cli(['run', 'recipe.yaml'], { cwd })).code).toBe(0);
    await writeFile(await archivedPath(cwd), 'tampered');
    const quarantine = await cli(['cache', 'verify', '--quarantine'], { cwd });
    expect(quarantine.code).toBe(1);
    expect(quarantine.stdout).toMatch(/; quarantined 1 to \S+\/\.asterism\/quarantine \(the next run/);
    expect(quarantine.stdout).not.toMatch(/invalidated \d/);
    expect(await readdir(join(cwd, '.asterism', 'quarantine'))).toHaveLength(1);
  });

  it('documents the behaviour in --help', async () => {
    const help = await cli(['cache', '--help'], { cwd: fixture });
    expect(help.stdout).toMatch(/invalidated in place so the next run recomputes it/);
    expect(help.stdout).toMatch(/--quarantine +\(verify\) move damaged entries to <cache>\/quarantine\//);
  });
});

describe('asterism run --backend (in-process)', () => {
  const saved = process.env.ASTERISM_BACKEND;
  afterEach(() => {
    if (saved === undefined) delete process.env.ASTERISM_BACKEND;
    else process.env.ASTERISM_BACKEND = saved;
  });

  it('rejects an unknown backend with the list of valid ones, running nothing', async () => {
    const result = await cli(['run', 'recipe.yaml', '--backend', 'gpu'], { cwd: fixture });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'error: unknown --backend `gpu`\n  fix: use one of: auto, tensorflow, native, wasm, cpu\n',
    );
  });

  it('hands the choice to step processes as ASTERISM_BACKEND', async () => {
    const cwd = await tempDir('asterism-cli-backend-');
    await writeFile(
      join(cwd, 'recipe.yaml'),
      `recipe: backend
version: 1
steps:
  probe:
    uses: shell
    with:
      run: printf %s "$ASTERISM_BACKEND" > backend.txt
      outputs: { backend: backend.txt }
`,
    );
    const run = await cli(['run', 'recipe.yaml', '--backend', 'wasm'], { cwd });
    expect(run.code, run.stderr).toBe(0);
    const show = await cli(['show', 'recipe.yaml', 'probe', '--json'], { cwd });
    const path = (JSON.parse(show.stdout) as { outputs: { backend: string } }).outputs.backend;
    expect(await readFile(path, 'utf8')).toBe('wasm');
  });

  it('lists the backends and --watch in run --help', async () => {
    const help = await cli(['run', '--help'], { cwd: fixture });
    expect(help.stdout).toMatch(
      /--backend NAME +ML backend .*auto \(default\), tensorflow, native, wasm or cpu/,
    );
    expect(help.stdout).toMatch(/^ {2}asterism run recipe\.yaml --watch/m);
  });
});
