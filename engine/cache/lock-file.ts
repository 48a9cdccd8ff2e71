/**
 * `<recipe name>.lock.yaml` beside a recipe: the key and output hashes of every step, so a
 * reader can prove a rerun reproduced them (`asterism verify`) and `cache gc` keeps them.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AsterismError } from '../errors.js';
import { yamlLib } from '../yaml-lib.js';
import { jsonString } from './canonical-json.js';
import { readJsonFile, writeFileAtomic } from './fs-util.js';
import type { LockFile, LockStep } from './types.js';

/** Path of the lock file of recipe `name` in `recipeDir`. */
export function lockFilePath(recipeDir: string, name: string): string {
  return join(recipeDir, `${name}.lock.yaml`);
}

/**
 * The text of a lock file (`lockVersion: 1`) for `recipe` with `steps` in order. Written by hand
 * rather than with a YAML library because it is simple (every scalar is a JSON string, which is
 * valid YAML) and a 10,000-step lock must cost little. Takes the steps as pairs rather than a
 * `LockFile`, so a run formats its 10,000 steps as it walks them instead of first filling a
 * 10,000-key object.
 */
export function formatLockSteps(recipe: string, steps: Iterable<readonly [string, LockStep]>): string {
  // Most ids, names and hashes need no escaping: `jsonString` skips 60,000 `JSON.stringify`
  // calls at 10,000 steps; anything else goes through JSON's own escaping.
  const q = jsonString;
  const lines = [
    "# Written by asterism after a successful run: each step's cache key and output hashes.",
    '# Commit it with the recipe; `asterism verify` reruns the recipe and compares against it.',
    'lockVersion: 1',
    `recipe: ${q(recipe)}`,
    'steps:',
  ];
  for (const [id, step] of steps) {
    // One string per step (not seven array entries): a 10,000-step lock is formatted every run.
    let text = `  ${q(id)}:\n    uses: ${q(step.uses)}\n    version: ${q(step.version)}\n    key: ${q(step.key)}\n    deterministic: ${step.deterministic}\n    outputs:`;
    let empty = true;
    for (const name in step.outputs) {
      text += `\n      ${q(name)}: ${q(step.outputs[name]!)}`;
      empty = false;
    }
    lines.push(empty ? `${text} {}` : text);
  }
  return `${lines.join('\n')}\n`;
}

/** Read and check a lock file; throws `LOCK_FILE_INVALID` / `LOCK_FILE_MISSING`. */
export async function readLockFile(file: string): Promise<LockFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new AsterismError('LOCK_FILE_MISSING', `cannot read the lock file ${file}`, {
      location: { file },
      hint: 'run the recipe once (`asterism run RECIPE`) to write it, or pass the right path',
      cause: error,
    });
  }
  const data = yamlLib().parse(text) as Partial<LockFile> | null;
  if (data === null || typeof data !== 'object' || data.lockVersion !== 1 || typeof data.steps !== 'object') {
    throw new AsterismError('LOCK_FILE_INVALID', `${file} is not an asterism lock file (lockVersion 1)`, {
      location: { file },
      hint: 'regenerate it with `asterism run RECIPE`',
    });
  }
  return data as LockFile;
}

/** Write a lock file's `text` (`formatLockSteps`) if it changed; returns true when written. */
export async function writeLockFile(file: string, text: string): Promise<boolean> {
  try {
    // One synchronous read: a 10,000-step lock file is 2.6 MB (see `writeFileAtomic`).
    if (readFileSync(file, 'utf8') === text) return false;
  } catch {
    // absent: write it
  }
  await writeFileAtomic(file, text);
  return true;
}

/** Remember that `lockFile` pins entries of this cache, so `cache gc` honours it later. */
export async function addPin(pinsFile: string, lockFile: string): Promise<void> {
  const pins = (await readJsonFile<string[]>(pinsFile)) ?? [];
  if (pins.includes(lockFile)) return;
  await writeFileAtomic(pinsFile, JSON.stringify([...pins, lockFile].sort(), null, 2));
}

/** Lock files recorded in `pins.json`. */
export async function readPins(pinsFile: string): Promise<string[]> {
  const pins = await readJsonFile<unknown>(pinsFile);
  return Array.isArray(pins) ? pins.filter((pin): pin is string => typeof pin === 'string') : [];
}

/** Every key pinned by the lock files that exist (missing ones are ignored and reported). */
export async function pinnedKeys(lockFiles: readonly string[]): Promise<{
  keys: Map<string, string[]>;
  honoured: string[];
}> {
  const keys = new Map<string, string[]>();
  const honoured: string[] = [];
  for (const file of lockFiles) {
    let lock: LockFile;
    try {
      lock = await readLockFile(file);
    } catch {
      continue;
    }
    honoured.push(file);
    for (const step of Object.values(lock.steps) as LockStep[]) {
      const list = keys.get(step.key) ?? [];
      list.push(file);
      keys.set(step.key, list);
    }
  }
  return { keys, honoured };
}
