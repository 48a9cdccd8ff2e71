/** Options shared by every command that reads a recipe, and loading it with them. */
import { resolve } from 'node:path';
import type { ParseArgsConfig } from 'node:util';
import { InternalError } from '../errors.js';
import type { StepInstance } from '../graph/types.js';
import type { LoadedRecipe } from '../recipe/load.js';
import type { validateResolvedParams } from '../recipe/params.js';
import { listOption } from './args.js';
import type { CliContext, OptionValues } from './types.js';

/** `--set` and `--cache-dir`. */
export const recipeOptions = {
  set: { type: 'string', multiple: true },
  'cache-dir': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

/** Help lines for the shared options. */
export const RECIPE_OPTIONS_HELP = `  --set NAME=VALUE   override a recipe param (repeatable; VALUE is read as YAML: 3, 0.5, true, text)
  --cache-dir DIR    cache folder (default: $ASTERISM_CACHE, else .asterism/ beside the recipe)`;

// Loaded with the recipe machinery (ajv, yaml) on first use: `--help` and `cache` never pay for it.
let validateResolved: typeof validateResolvedParams | undefined;

/** Load the recipe named by the first positional with the command's `--set` values. */
export async function loadFromArgs(
  file: string,
  values: OptionValues,
  ctx: CliContext,
): Promise<LoadedRecipe> {
  const [{ loadRecipe }, params] = await Promise.all([
    import('../recipe/load.js'),
    import('../recipe/params.js'),
  ]);
  validateResolved = params.validateResolvedParams;
  return loadRecipe(resolve(ctx.io.cwd, file), {
    registry: ctx.registry,
    set: listOption(values, 'set', false),
  });
}

/** The scheduler's hook to re-validate params once references are paths (after `loadFromArgs`). */
export function validateInstanceParams(
  instance: StepInstance,
  params: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  if (validateResolved === undefined)
    throw new InternalError('validateInstanceParams called before loadFromArgs');
  return validateResolved(
    instance.definition,
    instance.id,
    params as Parameters<typeof validateResolvedParams>[2],
  );
}
