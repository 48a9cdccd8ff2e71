/**
 * Loading a recipe: YAML with positions -> shape pass (ajv) -> params and `--set` -> plugins ->
 * instances (matrix, expressions, params validation) -> cycles and order. Every problem is
 * collected; if there is any, a `RecipeError` carries them all and nothing runs.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Node } from 'yaml';
import { AsterismError, type SourceLocation } from '../errors.js';
import { buildInstances, type RawStep } from '../graph/build.js';
import { topologicalOrder } from '../graph/order.js';
import type { JsonValue, RecipeGraph, StepInstance } from '../graph/types.js';
import type { StepRegistry } from '../registry.js';
import { yamlLib } from '../yaml-lib.js';
import { applyOverrides } from './overrides.js';
import { parseSlot, readParsedRecipe, storeParsedRecipe } from './parse-cache.js';
import { loadPlugin } from './plugins.js';
import { ProblemList, type StepNodes } from './problems.js';
import { checkShape } from './shape.js';
import { type LoadOptions, RecipeError } from './types.js';
import { locationOf, parseYamlSource, type StepPosition, type YamlSource } from './yaml-source.js';

/** Options of `loadRecipe`. */
export interface LoadRecipeOptions extends LoadOptions {
  /** Built-in steps; plugin steps are added to a copy. */
  readonly registry: StepRegistry;
}

/** A loaded recipe, with the registry its plugins extended. */
export interface LoadedRecipe {
  readonly graph: RecipeGraph;
  readonly registry: StepRegistry;
}

/** Read, validate and expand a recipe. Throws `RecipeError` (all problems) or `AsterismError`. */
export async function loadRecipe(file: string, options: LoadRecipeOptions): Promise<LoadedRecipe> {
  const path = resolve(file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new AsterismError(
      'RECIPE_NOT_FOUND',
      `cannot read the recipe: ${code === 'ENOENT' ? 'no such file' : String(code)}`,
      {
        location: { file: path },
        hint: 'give the path of a recipe YAML file, e.g. `asterism validate recipes/quickstart.yaml`',
      },
    );
  }
  return loadRecipeText(path, text, options);
}

/** Like `loadRecipe`, for text already in memory (`path` names it in messages and anchors relative paths). */
export async function loadRecipeText(
  path: string,
  text: string,
  options: LoadRecipeOptions,
): Promise<LoadedRecipe> {
  const slot = parseSlot(text);
  const stored = slot === undefined ? undefined : readParsedRecipe(slot, path, text);
  if (stored !== undefined) {
    try {
      return (await loadParsed(path, stored, options)).loaded;
    } catch (error) {
      // A stored parse knows only where each step is: find every problem again from the text.
      if (!(error instanceof RecipeError)) throw error;
    }
  }
  const parsed = parseYamlSource(path, text);
  if ('problems' in parsed) throw new RecipeError(parsed.problems);
  let result: Awaited<ReturnType<typeof loadParsed>>;
  try {
    result = await loadParsed(path, parsed, options);
  } catch (error) {
    // Long lists were read without positions: find every problem again with exact ones.
    if (!(error instanceof RecipeError) || parsed.positions === 'exact') throw error;
    const exact = parseYamlSource(path, text, { fastLists: false });
    if ('problems' in exact) throw new RecipeError(exact.problems);
    return (await loadParsed(path, exact, options)).loaded;
  }
  if (slot !== undefined && stored === undefined) storeParsedRecipe(slot, parsed, result.stepPositions());
  return result.loaded;
}

/** A recipe loaded from `source`, and where each of its steps is written. */
async function loadParsed(
  path: string,
  source: YamlSource,
  options: LoadRecipeOptions,
): Promise<{ loaded: LoadedRecipe; stepPositions: () => Map<string, StepPosition> }> {
  const dir = dirname(path);
  const stepNodes = collectStepNodes(source.root);
  const problems = new ProblemList(source, stepNodes);
  const data = source.data;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    problems.add(
      [],
      'NOT_A_RECIPE',
      'a recipe is a YAML mapping with `recipe:`, `version: 1` and `steps:`',
      'see docs/engine-recipes-cli.md for an example',
    );
    throw new RecipeError(problems.items);
  }
  const badSteps = checkShape(data, problems);
  const top = data as Record<string, unknown>;
  const declared = isRecord(top.params) ? (top.params as Record<string, JsonValue>) : {};
  const params = applyOverrides(declared, options.set ?? [], problems);
  const inputs = isRecord(top.inputs) ? (top.inputs as Record<string, string>) : {};

  const registry = options.registry.clone();
  const plugins: string[] = [];
  if (Array.isArray(top.plugins)) {
    for (const [index, entry] of top.plugins.entries()) {
      if (typeof entry !== 'string') continue;
      const module = resolve(dir, entry);
      plugins.push(module);
      try {
        const plugin = await loadPlugin(module);
        for (const definition of plugin.steps) {
          const clash = registry.add({ definition, codeIdentity: plugin.codeIdentity, module });
          if (clash !== undefined)
            problems.add(['plugins', index], 'STEP_NAME_CLASH', clash, 'rename the plugin step');
        }
      } catch (error) {
        if (!(error instanceof AsterismError)) throw error;
        // Say the path as the recipe writes it: shorter, and the same on every machine.
        problems.add(['plugins', index], error.code, error.message.replaceAll(module, entry), error.hint);
      }
    }
  }

  const rawSteps = isRecord(top.steps) ? top.steps : {};
  const steps = new Map<string, RawStep>();
  for (const [id, raw] of Object.entries(rawSteps)) {
    const bad = badSteps.get(id);
    if (bad?.has('') || !isRecord(raw) || typeof raw.uses !== 'string') continue;
    // Malformed fields were reported by the shape pass; check the rest of the step without them.
    const usable =
      bad === undefined ? raw : Object.fromEntries(Object.entries(raw).filter(([key]) => !bad.has(key)));
    steps.set(id, usable as unknown as RawStep);
  }
  // The built-in steps the recipe uses (a recipe of plugin steps loads none of their modules).
  await registry.ensure([...steps.values()].map((raw) => raw.uses));
  const { instances, stepDeps } = buildInstances({
    steps,
    allStepIds: new Set(Object.keys(rawSteps)),
    registry,
    params,
    inputs,
    problems,
    locate: (id) => stepLocation(source, stepNodes, id),
  });

  const stepIds = [...steps.keys()];
  const recipeIndex = new Map(stepIds.map((id, index) => [id, index]));
  const byRecipeOrder = (a: string, b: string): number =>
    (recipeIndex.get(a) ?? 0) - (recipeIndex.get(b) ?? 0);
  const { order: stepOrder, cycles } = topologicalOrder(stepIds, (id) =>
    [...(stepDeps.get(id) ?? [])].sort(byRecipeOrder),
  );
  for (const cycle of cycles) {
    problems.add(
      ['steps', cycle[0]!],
      'CYCLE',
      `cycle: ${cycle.join(' -> ')} (each step needs the next)`,
      'remove one of these `${{ steps... }}` references or `needs:` entries',
      true,
    );
  }
  if (problems.size > 0) throw new RecipeError(sortProblems(source, problems));

  const ordered = new Map<string, StepInstance>();
  const groups = new Map<string, readonly string[]>();
  for (const stepId of stepOrder) {
    const list = instances.get(stepId) ?? [];
    groups.set(
      stepId,
      list.map((instance) => instance.id),
    );
    for (const instance of list) ordered.set(instance.id, instance);
  }
  const graph: RecipeGraph = {
    recipe: {
      name: String(top.recipe),
      file: path,
      dir,
      description: typeof top.description === 'string' ? top.description : '',
      params,
      inputs,
      plugins,
    },
    instances: ordered,
    order: [...ordered.keys()],
    steps: groups,
  };
  return { loaded: { graph, registry }, stepPositions: () => positionsOf(source, stepNodes) };
}

/** Where each step's key is written, for the parse cache. */
function positionsOf(
  source: YamlSource,
  stepNodes: ReadonlyMap<string, StepNodes>,
): Map<string, StepPosition> {
  const positions = new Map<string, StepPosition>();
  for (const id of stepNodes.keys()) {
    const { line, column } = stepLocation(source, stepNodes, id);
    if (line !== undefined && column !== undefined) positions.set(id, { line, column });
  }
  return positions;
}

/** Where step `id`'s key is written: from the tree, else from a stored parse's positions. */
function stepLocation(
  source: YamlSource,
  stepNodes: ReadonlyMap<string, StepNodes>,
  id: string,
): SourceLocation {
  const pointer = `/steps/${id}`;
  const position = source.stepPositions?.get(id);
  if (position !== undefined)
    return { file: source.file, line: position.line, column: position.column, pointer };
  return locationOf(source, stepNodes.get(id)?.key, pointer);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Problems in file order (unlocated ones, from the command line, first). */
function sortProblems(_source: YamlSource, problems: ProblemList): ProblemList['items'] {
  return [...problems.items].sort(
    (a, b) =>
      (a.location.line ?? 0) - (b.location.line ?? 0) || (a.location.column ?? 0) - (b.location.column ?? 0),
  );
}

/** Key and value nodes of each entry under `steps:`, found in one pass. */
function collectStepNodes(root: Node | undefined): Map<string, StepNodes> {
  const result = new Map<string, StepNodes>();
  if (root === undefined) return result; // a stored parse: no tree (and no need to load yaml)
  const { isMap, isPair, isScalar } = yamlLib();
  if (!isMap(root)) return result;
  const stepsPair = root.items.find(
    (item) => isPair(item) && isScalar(item.key) && item.key.value === 'steps',
  );
  const steps = stepsPair?.value;
  if (!isMap(steps)) return result;
  for (const item of steps.items) {
    if (isPair(item) && isScalar(item.key)) {
      result.set(String(item.key.value), {
        key: item.key as Node,
        value: (item.value as Node | null) ?? undefined,
      });
    }
  }
  return result;
}
