/**
 * Running the real `asterism` command in a child process: `node --import tsx bin/asterism.ts`,
 * so the tests need no build step and exercise the same entry point (and `exec-step` children).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { cp, mkdtemp } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const bin = join(repoRoot, 'bin', 'asterism.ts');
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

export interface Result {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Copy `test/fixtures/recipes` into a fresh temporary folder; returns its path. */
export async function fixtureCopy(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'asterism-cli-'));
  await cp(join(repoRoot, 'test', 'fixtures', 'recipes'), dir, { recursive: true });
  return dir;
}

/** Start `asterism ARGS` in `cwd` (the cache goes to `.asterism/` there unless told otherwise). */
export function start(args: readonly string[], cwd: string): ChildProcess {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.ASTERISM_CACHE;
  return spawn(process.execPath, ['--import', tsxLoader, bin, ...args], {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Run `asterism ARGS` to completion. */
export function asterism(args: readonly string[], cwd: string): Promise<Result> {
  const child = start(args, cwd);
  return collect(child);
}

/** Gather a child's output and exit code. */
export function collect(child: ChildProcess): Promise<Result> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Replace the temporary folder in `text` with `<tmp>` for snapshots. */
export function normalise(text: string, dir: string): string {
  return text.split(dir).join('<tmp>');
}
