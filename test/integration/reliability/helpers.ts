/**
 * Helpers for the reliability tests: a recipe in a fresh temporary folder that loads
 * `test/fixtures/reliability/steps.mjs`, and a listing of the cache's entry folders. The CLI is
 * run with the shared harness in `test/integration/cli/asterism.ts`.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The reliability fixture plugin (absolute path). */
export const pluginFile = fileURLToPath(new URL('../../fixtures/reliability/steps.mjs', import.meta.url));

/**
 * A fresh temporary folder with `recipe.yaml`: a header loading the fixture plugin, then the
 * `steps:` given (a function receives the folder, for paths of counter and signal files).
 */
export async function recipeDir(steps: string | ((dir: string) => string)): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'asterism-rel-'));
  const stepsYaml = typeof steps === 'string' ? steps : steps(dir);
  await writeFile(
    join(dir, 'recipe.yaml'),
    `recipe: reliability\nversion: 1\nplugins: [${JSON.stringify(pluginFile)}]\nsteps:\n${stepsYaml}`,
  );
  return dir;
}

/** One folder under `<cache>/entries/<shard>/`: its key, and whether it has a manifest. */
export interface EntryListing {
  readonly key: string;
  readonly complete: boolean;
}

/** Every entry folder in the cache at `cacheDir` (missing cache: none). */
export async function listEntries(cacheDir: string): Promise<EntryListing[]> {
  const root = join(cacheDir, 'entries');
  if (!existsSync(root)) return [];
  const result: EntryListing[] = [];
  for (const shard of await readdir(root)) {
    for (const key of await readdir(join(root, shard))) {
      result.push({ key, complete: existsSync(join(root, shard, key, 'manifest.json')) });
    }
  }
  return result;
}

/** Lines of a counter file written by the `count` fixture step (missing file: none). */
export async function counterLines(file: string): Promise<string[]> {
  return existsSync(file) ? (await readFile(file, 'utf8')).split('\n').filter(Boolean) : [];
}

/**
 * The failure block the plain reporter prints for `step`: the `failed  step` line and its
 * indented detail lines (message, log path).
 */
export function failureBlock(stderr: string, step: string): string {
  const lines = stderr.split('\n');
  const start = lines.findIndex((line) => new RegExp(`^failed\\s+${step}(\\s|$)`).test(line));
  if (start < 0) return '';
  const block = [lines[start] ?? ''];
  for (const line of lines.slice(start + 1)) {
    if (!line.startsWith('    ')) break;
    block.push(line);
  }
  return block.join('\n');
}
