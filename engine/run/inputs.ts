/**
 * Recipe `inputs:`: files, folders or globs on disk, resolved to absolute paths and hashed.
 */
import { isAbsolute, join, relative, resolve } from 'node:path';
import { HASH_PREFIX, sha256Hex } from '../cache/canonical-json.js';
import { type HashMemo, hashPath } from '../cache/hash.js';
import { AsterismError } from '../errors.js';
import { collectRefs } from '../graph/template.js';
import type { RecipeInfo, StepInstance, Template } from '../graph/types.js';
import { isGlob, matchGlob } from './glob.js';

/** One resolved input: what the step sees, and what enters the key. */
export interface ResolvedInput {
  /** Absolute path (file or folder), or the sorted absolute paths a glob matched. */
  readonly value: string | readonly string[];
  /** Content hash (for a glob: of the matched relative names and their hashes). */
  readonly hash: string;
  /** For a glob: each matched file's content hash, in the order of `value`. */
  readonly fileHashes?: readonly string[];
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
    const fileHashes: string[] = [];
    for (const match of matches) {
      const abs = join(base, match);
      const { hash } = await hashPath(abs, memo);
      paths.push(abs);
      fileHashes.push(hash);
      parts.push(`${relative(recipe.dir, abs)}\0${hash}\n`);
    }
    return { value: paths, hash: HASH_PREFIX + sha256Hex(`glob\n${parts.join('')}`), fileHashes };
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

  /**
   * The first file of input `name` whose content is no longer what this run hashed (changed or
   * gone), or undefined. Checked after a step ran and before its entry is committed: a file
   * rewritten between hashing and reading would otherwise be cached under the key of its old
   * content. Cheap when nothing changed: the memo rereads only files whose size, mtime or inode
   * moved.
   */
  async changedFile(name: string): Promise<string | undefined> {
    const resolved = await this.#cache.get(name)?.catch(() => undefined);
    if (resolved === undefined) return undefined;
    const paths = typeof resolved.value === 'string' ? [resolved.value] : resolved.value;
    const expected = resolved.fileHashes ?? [resolved.hash];
    for (let i = 0; i < paths.length; i++) {
      const path = paths[i]!;
      const now = await hashPath(path, this.#memo).then(
        (hashed) => hashed.hash,
        () => undefined,
      );
      if (now !== expected[i]) return path;
    }
    return undefined;
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

/**
 * Throws `INPUT_CHANGED` when a recipe input `instance` reads changed while it ran (see
 * `InputResolver.changedFile`): its result then mixes, or may mix, old and new content and must
 * not be cached under the key of the old content. The step fails; the next run (or `--watch`, which
 * saw the change) computes it from the new content.
 */
export async function assertInputsUnchanged(inputs: InputResolver, instance: StepInstance): Promise<void> {
  const names = new Set<string>();
  for (const ref of collectRefs(instance.with as Template)) if (ref.$ref === 'input') names.add(ref.name);
  for (const name of names) {
    const file = await inputs.changedFile(name);
    if (file === undefined) continue;
    throw new AsterismError(
      'INPUT_CHANGED',
      `input \`${name}\` changed while the step ran (${file}); its result is not cached`,
      { hint: 'run again to compute it from the new content; `asterism run --watch` does so by itself' },
    );
  }
}
