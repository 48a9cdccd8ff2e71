/**
 * Building the instances of a recipe: matrix expansion, expression substitution, parameter
 * validation and edges. Every problem goes to the shared `ProblemList`; the caller decides
 * whether a graph can be returned. Cost is linear in the number of instances: each step
 * definition's schema is compiled once, and names are looked up in maps.
 */
import type { SourceLocation } from '../errors.js';
import { didYouMean } from '../recipe/did-you-mean.js';
import { parseDuration } from '../recipe/duration.js';
import { parseString } from '../recipe/expression.js';
import type { ParamIssue } from '../recipe/params.js';
import type { ProblemList } from '../recipe/problems.js';
import type { RegisteredStep, StepRegistry } from '../registry.js';
import { type Combination, expandMatrix, instanceId } from './matrix.js';
import { type SubstitutionScope, substitute } from './substitute.js';
import type { JsonValue, OutputRef, ResolvedResources, StepInstance, Template } from './types.js';
import { validateWith } from './validate-with.js';

/** A step entry as the shape pass guarantees it. */
export interface RawStep {
  readonly uses: string;
  readonly with?: Record<string, unknown>;
  readonly needs?: string | readonly string[];
  readonly matrix?: Record<string, unknown>;
  readonly resources?: { readonly cpu?: number; readonly gpu?: number; readonly memoryMb?: number };
  readonly timeout?: string | number;
  readonly retries?: number;
  readonly isolate?: boolean;
}

export interface BuildInput {
  /** Step id -> entry, in recipe order. Entries that failed the shape pass are left out. */
  readonly steps: ReadonlyMap<string, RawStep>;
  /** Every step id written in the recipe (also those left out), for reference checks. */
  readonly allStepIds: ReadonlySet<string>;
  readonly registry: StepRegistry;
  readonly params: Readonly<Record<string, JsonValue>>;
  readonly inputs: Readonly<Record<string, string>>;
  readonly problems: ProblemList;
  /** Location of a step's key in the recipe. */
  readonly locate: (stepId: string) => SourceLocation;
}

export interface BuildResult {
  /** Step id -> its instances (matrix steps have several). */
  readonly instances: ReadonlyMap<string, readonly StepInstance[]>;
  /** Step id -> step ids it depends on (sorted, unique). */
  readonly stepDeps: ReadonlyMap<string, readonly string[]>;
}

const EMPTY_SCOPE_MATRIX: Readonly<Record<string, JsonValue>> = {};

/** The output names a step can be referenced by (for `shell`-like steps, the keys of `with.outputs`). */
function declaredOutputs(step: RegisteredStep | undefined, raw: RawStep | undefined): string[] | undefined {
  if (step === undefined) return undefined;
  const names = Object.keys(step.definition.outputs);
  if (names.length > 0) return names;
  const dynamic = raw?.with?.outputs;
  if (typeof dynamic === 'object' && dynamic !== null && !Array.isArray(dynamic)) return Object.keys(dynamic);
  return [];
}

/** Build every instance; problems are added to `input.problems`. */
export function buildInstances(input: BuildInput): BuildResult {
  const { steps, registry, problems } = input;
  const combosByStep = new Map<string, (Combination | undefined)[]>();
  const idsByStep = new Map<string, string[]>();
  // Pass 1: matrix expansion for every step, so references can point forward.
  for (const [stepId, raw] of steps) {
    const combos = raw.matrix === undefined ? [undefined] : matrixCombinations(stepId, raw.matrix, input);
    combosByStep.set(stepId, combos);
    const ids = combos.map((combo) => instanceId(stepId, combo));
    const seen = new Set<string>();
    for (const id of ids) {
      if (seen.has(id)) {
        problems.add(
          ['steps', stepId, 'matrix'],
          'DUPLICATE_INSTANCE',
          `matrix gives two instances named \`${id}\``,
          'make the matrix values distinct',
        );
      }
      seen.add(id);
    }
    idsByStep.set(stepId, ids);
  }

  const instances = new Map<string, StepInstance[]>();
  const stepDeps = new Map<string, string[]>();
  for (const [stepId, raw] of steps) {
    const registered = registry.get(raw.uses);
    if (registered === undefined) {
      const hint = didYouMean(raw.uses, registry.names());
      problems.add(
        ['steps', stepId, 'uses'],
        'UNKNOWN_STEP',
        `unknown step \`${raw.uses}\` in steps.${stepId}.uses`,
        `${hint ? `${hint} ` : ''}(\`asterism steps\` lists the registered steps; plugin steps need \`plugins:\`)`,
      );
    }
    const deps = new Set<string>();
    for (const [index, need] of (typeof raw.needs === 'string' ? [raw.needs] : (raw.needs ?? [])).entries()) {
      const path = ['steps', stepId, 'needs', ...(typeof raw.needs === 'string' ? [] : [index])];
      if (!input.allStepIds.has(need)) {
        problems.add(
          path,
          'DANGLING_REF',
          `steps.${stepId}.needs names unknown step \`${need}\``,
          didYouMean(need, input.allStepIds) || 'name a step id under `steps:`',
        );
      } else deps.add(need);
    }
    const combos = combosByStep.get(stepId) ?? [undefined];
    const matrixKeys = raw.matrix === undefined ? [] : Object.keys(raw.matrix);
    const reported = new Set<string>();
    const list: StepInstance[] = [];
    const ids = idsByStep.get(stepId) ?? [];
    const location = input.locate(stepId);
    // What every instance of the step shares, worked out once.
    const shared = registered === undefined ? undefined : sharedFields(raw, registered);
    // One scope per step, re-pointed at each combination: 10,000 instances allocate no closures.
    let comboIndex = 0;
    let badPaths: string[] = [];
    const scope: { -readonly [K in keyof SubstitutionScope]: SubstitutionScope[K] } = {
      params: input.params,
      inputs: input.inputs,
      matrix: EMPTY_SCOPE_MATRIX,
      matrixKeys,
      output: (target, output) => {
        // The edge counts even when the output name is wrong, so cycles are still found.
        if (input.allStepIds.has(target)) deps.add(target);
        return outputRef(target, output, input, idsByStep, steps);
      },
      problem: (path, code, message, hint) => {
        badPaths.push(`/${path.join('/')}`);
        if (comboIndex === 0) problems.add(['steps', stepId, 'with', ...path], code, message, hint);
      },
    };
    for (; comboIndex < combos.length; comboIndex++) {
      const combo = combos[comboIndex];
      scope.matrix = combo ?? EMPTY_SCOPE_MATRIX;
      badPaths = [];
      const template = substitute(raw.with ?? {}, scope);
      if (registered === undefined) continue;
      const id = ids[comboIndex] ?? instanceId(stepId, combo);
      const validated = validateWith(
        registered.definition,
        template as Record<string, Template>,
        input.inputs,
      );
      for (const issue of validated.issues) {
        // A value whose expression is already reported would only add a confusing type error.
        if (badPaths.some((bad) => `${issue.pointer}/`.startsWith(`${bad}/`))) continue;
        reportIssue(issue, stepId, id, raw, registered, input, reported);
      }
      list.push(makeInstance(stepId, id, combo, shared!, validated.with, location));
    }
    instances.set(stepId, list);
    stepDeps.set(stepId, [...deps].sort());
  }
  // dependsOn needs every step's deps, including references to later steps.
  for (const [stepId, list] of instances) {
    const dependsOn = (stepDeps.get(stepId) ?? []).flatMap((dep) => idsByStep.get(dep) ?? []).sort();
    for (const instance of list) (instance as { dependsOn: readonly string[] }).dependsOn = dependsOn;
  }
  return { instances, stepDeps };
}

function outputRef(
  target: string,
  output: string,
  input: BuildInput,
  idsByStep: ReadonlyMap<string, readonly string[]>,
  steps: ReadonlyMap<string, RawStep>,
): OutputRef | { message: string; hint: string } {
  if (!input.allStepIds.has(target)) {
    return {
      message: `reference to unknown step \`${target}\``,
      hint: didYouMean(target, input.allStepIds) || 'name a step id under `steps:`',
    };
  }
  const raw = steps.get(target);
  const outputs = declaredOutputs(raw === undefined ? undefined : input.registry.get(raw.uses), raw);
  if (outputs !== undefined && !outputs.includes(output)) {
    const hint = didYouMean(output, outputs);
    const listText = outputs.length === 0 ? 'it declares no outputs' : `its outputs: ${outputs.join(', ')}`;
    return {
      message: `step \`${target}\` (uses: ${raw?.uses}) has no output \`${output}\``,
      hint: hint ? `${hint} (${listText})` : listText,
    };
  }
  return {
    $ref: 'output',
    step: target,
    output,
    instances: idsByStep.get(target) ?? [target],
    list: raw?.matrix !== undefined,
  };
}

function matrixCombinations(
  stepId: string,
  matrix: Record<string, unknown>,
  input: BuildInput,
): (Combination | undefined)[] {
  const axes: Record<string, JsonValue[]> = {};
  for (const [key, value] of Object.entries(matrix)) {
    let values: unknown = value;
    if (typeof value === 'string') {
      const parsed = parseString(value.trim());
      const part = parsed.ok && parsed.parts.length === 1 ? parsed.parts[0] : undefined;
      const ref =
        typeof part === 'object' && part.expression.kind === 'ref' ? part.expression.path : undefined;
      const name = ref?.[0] === 'params' && ref.length === 2 ? ref[1] : undefined;
      if (typeof name !== 'string' || !Object.hasOwn(input.params, name)) {
        input.problems.add(
          ['steps', stepId, 'matrix', key],
          'BAD_MATRIX',
          `matrix axis \`${key}\` must be a list or \`\${{ params.NAME }}\` naming a list param, got ${JSON.stringify(value)}`,
          'write `[a, b, c]` or declare the list under `params:`',
        );
        return [];
      }
      values = input.params[name];
    }
    if (
      !Array.isArray(values) ||
      values.length === 0 ||
      values.some((item) => typeof item === 'object' && item !== null)
    ) {
      input.problems.add(
        ['steps', stepId, 'matrix', key],
        'BAD_MATRIX',
        `matrix axis \`${key}\` must be a non-empty list of scalars, got ${JSON.stringify(values)}`,
        'write e.g. `[tuf, psep, r]`',
      );
      return [];
    }
    axes[key] = values as JsonValue[];
  }
  return expandMatrix(axes);
}

function describeValue(value: unknown): string {
  if (typeof value === 'string' && value.startsWith('\u0000asterism-ref:'))
    return 'a path (from a reference)';
  const text = JSON.stringify(value);
  const shown = text === undefined ? String(value) : text.length > 60 ? `${text.slice(0, 57)}...` : text;
  return `${shown} (${Array.isArray(value) ? 'list' : value === null ? 'null' : typeof value})`;
}

function valueAt(data: unknown, pointer: string): unknown {
  let current = data;
  for (const part of pointer.split('/').slice(1)) {
    current =
      typeof current === 'object' && current !== null
        ? (current as Record<string, unknown>)[part]
        : undefined;
  }
  return current;
}

function reportIssue(
  issue: ParamIssue,
  stepId: string,
  id: string,
  raw: RawStep,
  registered: RegisteredStep,
  input: BuildInput,
  reported: Set<string>,
): void {
  const name = registered.definition.name;
  const segments = issue.pointer === '' ? [] : issue.pointer.slice(1).split('/');
  const who = `step \`${id}\` (uses: ${name})`;
  const properties = Object.keys((registered.definition.params as { properties?: object }).properties ?? {});
  const docs = `see \`asterism steps ${name}\``;
  let signature: string;
  if (issue.keyword === 'additionalProperties' && issue.key !== undefined) {
    signature = `unknown:${issue.pointer}/${issue.key}`;
    if (reported.has(signature)) return;
    const hint = segments.length === 0 ? didYouMean(issue.key, properties) : '';
    input.problems.add(
      ['steps', stepId, 'with', ...segments, issue.key],
      'UNKNOWN_PARAM',
      `unknown param \`${[...segments, issue.key].join('.')}\` for ${who}`,
      hint ? `${hint} (${docs})` : `its params: ${properties.join(', ') || 'none'} (${docs})`,
      true,
    );
  } else if (issue.keyword === 'required' && issue.key !== undefined) {
    signature = `required:${issue.pointer}/${issue.key}`;
    if (reported.has(signature)) return;
    const at = raw.with === undefined ? ['steps', stepId] : ['steps', stepId, 'with', ...segments];
    input.problems.add(
      at,
      'MISSING_PARAM',
      `missing required param \`${[...segments, issue.key].join('.')}\` for ${who}`,
      `add \`${issue.key}:\` under \`with:\` (${docs})`,
      raw.with === undefined,
    );
  } else {
    const value = valueAt(raw.with, issue.pointer);
    signature = `${issue.keyword}:${issue.pointer}:${issue.message}`;
    if (reported.has(signature)) return;
    const shown = value === undefined ? '' : `, got ${describeValue(value)}`;
    input.problems.add(
      ['steps', stepId, 'with', ...segments],
      'INVALID_PARAM',
      `param \`${segments.join('.') || 'with'}\` of ${who} ${issue.message}${shown}`,
      docs,
    );
  }
  reported.add(signature);
}

/** The fields of an instance that depend only on its step entry and definition. */
interface SharedFields {
  readonly definition: RegisteredStep['definition'];
  readonly codeIdentity: string;
  readonly pluginModule: string | undefined;
  readonly resources: ResolvedResources;
  readonly timeoutMs: number | undefined;
  readonly retries: number;
  readonly isolate: boolean;
  readonly deterministic: boolean;
}

function sharedFields(raw: RawStep, registered: RegisteredStep): SharedFields {
  const definition = registered.definition;
  const resources: ResolvedResources = {
    cpu: raw.resources?.cpu ?? definition.resources?.cpu ?? 1,
    gpu: raw.resources?.gpu ?? definition.resources?.gpu ?? 0,
    memoryMb: raw.resources?.memoryMb ?? definition.resources?.memoryMb ?? 0,
  };
  return {
    definition,
    codeIdentity: registered.codeIdentity,
    pluginModule: registered.module,
    resources,
    timeoutMs: parseDuration(raw.timeout),
    retries: raw.retries ?? 0,
    isolate: (raw.isolate ?? definition.isolate ?? false) || resources.gpu > 0 || definition.name === 'shell',
    deterministic: definition.deterministic ?? true,
  };
}

function makeInstance(
  stepId: string,
  id: string,
  combo: Combination | undefined,
  shared: SharedFields,
  withTemplate: { readonly [key: string]: Template },
  location: SourceLocation,
): StepInstance {
  return {
    id,
    stepId,
    ...(combo === undefined ? {} : { matrix: combo }),
    definition: shared.definition,
    codeIdentity: shared.codeIdentity,
    ...(shared.pluginModule === undefined ? {} : { pluginModule: shared.pluginModule }),
    with: withTemplate,
    dependsOn: [],
    resources: shared.resources,
    ...(shared.timeoutMs === undefined ? {} : { timeoutMs: shared.timeoutMs }),
    retries: shared.retries,
    isolate: shared.isolate,
    deterministic: shared.deterministic,
    location,
  };
}
