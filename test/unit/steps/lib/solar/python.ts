/**
 * Run a /usr/bin/python3 reference with data passed through temporary files. Shared by the
 * solar, SVM and statistics tests.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The repository root, from this file's location. */
export const repoRoot = new URL('../../../../../', import.meta.url).pathname;

/**
 * Write `files` (name → bytes or text) into a fresh temporary folder, run `python3 -c script`
 * (or a script path) with `args` where `{dir}` is replaced by the folder, and return stdout and
 * a reader for files the script wrote.
 */
export async function withPython<T>(
  files: Readonly<Record<string, Uint8Array | string>>,
  command: { readonly script?: string; readonly code?: string; readonly args?: readonly string[] },
  read: (dir: string, stdout: string) => Promise<T>,
): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'asterism-py-'));
  try {
    for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
    const args = (command.args ?? []).map((a) => a.replaceAll('{dir}', dir));
    const argv =
      command.script !== undefined ? [command.script, ...args] : ['-c', command.code ?? '', ...args];
    const { stdout } = await run('/usr/bin/python3', argv, { maxBuffer: 64 * 1024 * 1024 });
    return await read(dir, stdout);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Read a JSON file written by the reference. */
export async function readJson<T>(path: string): Promise<T> {
  return JSON.parse(await readFile(path, 'utf8')) as T;
}

/** Float64 little-endian bytes of an array (numpy's `<f8`). */
export function f64Bytes(values: ArrayLike<number>): Uint8Array {
  const a = Float64Array.from(values as ArrayLike<number>);
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}
