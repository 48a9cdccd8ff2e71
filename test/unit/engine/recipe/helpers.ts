/** Shared helpers for recipe tests: load YAML text as if it sat beside the fixture plugin. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach } from 'vitest';
import { formatRecipeError } from '../../../../engine/cli/print-error.js';
import type { RecipeGraph } from '../../../../engine/graph/types.js';
import { loadRecipeText } from '../../../../engine/recipe/load.js';
import { RecipeError } from '../../../../engine/recipe/types.js';
import { StepRegistry } from '../../../../engine/registry.js';

/** The folder of the `basic` fixture (its `steps.mjs` plugin defines make, combine, fail). */
export const fixtureDir = fileURLToPath(new URL('../../../fixtures/recipes/basic/', import.meta.url));

/** A recipe file path inside the fixture folder (the file need not exist: text is passed in). */
export const recipePath = `${fixtureDir}test-recipe.yaml`;

/** A header that loads the fixture plugin. */
export const HEADER = 'recipe: t\nversion: 1\nplugins: [steps.mjs]\n';

export async function load(text: string, set: readonly string[] = []): Promise<RecipeGraph> {
  return (await loadRecipeText(recipePath, text, { registry: new StepRegistry(), set })).graph;
}

/** The problems of an invalid recipe, formatted as the CLI prints them (fixture path stripped). */
export async function problemsOf(text: string, set: readonly string[] = []): Promise<string> {
  try {
    await load(text, set);
  } catch (error) {
    if (error instanceof RecipeError) return formatRecipeError(error, fixtureDir);
    throw error;
  }
  throw new Error('expected the recipe to be invalid');
}

/** The problem codes of an invalid recipe. */
export async function codesOf(text: string): Promise<string[]> {
  try {
    await load(text);
  } catch (error) {
    if (error instanceof RecipeError) return error.problems.map((problem) => problem.code);
    throw error;
  }
  return [];
}

/**
 * A fresh temporary folder for each test as the user-cache folder that environment variable
 * `variable` names (`ASTERISM_VALIDATOR_CACHE`, `ASTERISM_PARSE_CACHE`): set before each test,
 * restored (and the folder removed) after it. `folder.dir` is the current test's folder.
 */
export function cacheFolderPerTest(variable: string, prefix: string): { readonly dir: string } {
  const folder = { dir: '' };
  const saved = process.env[variable];
  beforeEach(async () => {
    folder.dir = await mkdtemp(join(tmpdir(), prefix));
    process.env[variable] = folder.dir;
  });
  afterEach(async () => {
    if (saved === undefined) delete process.env[variable];
    else process.env[variable] = saved;
    await rm(folder.dir, { recursive: true, force: true });
  });
  return folder;
}
