/**
 * Recipe `inputs:`: files, folders or globs on disk, resolved to absolute paths and hashed.
 */
import { isAbsolute, join, relative, resolve } from 'node:path';
import { HASH_PREFIX, sha256Hex } from '../cache/canonical-json.js';
import { type HashMemo, hashPath } from '../cache/hash.js';
import { AsterismError } from '../errors.js';
import type { RecipeInfo } from '../graph/types.js';
import { isGlob, matchGlob } from './glob.js';

/** One resolved input: what the step sees, and what enters the key. */
export interface ResolvedInput {
  /** Absolute path (file or folder), or the sorted absolute paths a glob matched. */
  readonly value: string | readonly string[];
  /** Content hash (for a glob: of the matched relative names and their hashes). */
  readonly hash: string;
}

/**
 * Resolve and hash input `name`. A missing path or a glob matching nothing is an
 * `INPUT_MISSING` error for the steps that need it.
 */
export async function resolveInput(recipe: RecipeInfo, name: string, memo: HashMemo): Promise<ResolvedInput> {
  const written = recipe.inputs[name];
  if (written === undefined) {
    throw new AsterismError('INPUT_UNKNOWN', `recipe input \`${name}\` is not declared under \`inputs:\``, {
      location: { file: recipe.file, pointer: `/inputs/${name}` },
    });
  }
  if (isGlob(written)) {
    const base = isAbsolute(written) ? '/' : recipe.dir;
    const pattern = isAbsolute(written) ? written.slice(1) : written;
    const matches = matchGlob(base, pattern);
    if (matches.length === 0) {
      throw new AsterismError('INPUT_MISSING', `input \`${name}\`: the glob \`${written}\` matches no file`, {
        location: { file: recipe.file, pointer: `/inputs/${name}` },
        hint: `check the pattern relative to ${recipe.dir}`,
      });
    }
    const parts: string[] = [];
    const paths: string[] = [];
    for (const match of matches) {
      const abs = join(base, match);
      paths.push(abs);
      parts.push(`${relative(recipe.dir, abs)}\0${(await hashPath(abs, memo)).hash}\n`);
    }
    return { value: paths, hash: HASH_PREFIX + sha256Hex(`glob\n${parts.join('')}`) };
  }
  const abs = resolve(recipe.dir, written);
  try {
    return { value: abs, hash: (await hashPath(abs, memo)).hash };
  } catch (error) {
    throw new AsterismError('INPUT_MISSING', `input \`${name}\`: cannot read ${abs}`, {
      location: { file: recipe.file, pointer: `/inputs/${name}` },
      hint: 'create the file or fix the path (relative paths are relative to the recipe)',
      cause: error,
    });
  }
}

/** Resolves each input at most once per run (concurrent callers share the promise). */
export class InputResolver {
  readonly #recipe: RecipeInfo;
  readonly #memo: HashMemo;
  readonly #cache = new Map<string, Promise<ResolvedInput>>();

  constructor(recipe: RecipeInfo, memo: HashMemo) {
    this.#recipe = recipe;
    this.#memo = memo;
  }

  get(name: string): Promise<ResolvedInput> {
    let pending = this.#cache.get(name);
    if (pending === undefined) {
      pending = resolveInput(this.#recipe, name, this.#memo);
      // Keep the rejection observable by every caller without an unhandled rejection here.
      pending.catch(() => undefined);
      this.#cache.set(name, pending);
    }
    return pending;
  }
}
