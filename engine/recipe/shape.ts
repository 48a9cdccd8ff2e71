/**
 * The shape pass: ajv against the recipe format v1 schema (compiled once), with ajv's errors
 * rewritten as problems that name the key, the value and the fix.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import { compileSchema } from './ajv.js';
import { didYouMean } from './did-you-mean.js';
import type { ProblemList } from './problems.js';
import { recipeShapeSchema } from './recipe-schema.js';
import { pointerSegments } from './yaml-source.js';

/** Compiled (or loaded, see ajv.ts) on the first recipe checked, not when this module loads. */
let validateShape: ValidateFunction | undefined;

const TOP_KEYS = ['recipe', 'version', 'description', 'params', 'inputs', 'plugins', 'steps'];
const STEP_KEYS = ['uses', 'with', 'needs', 'matrix', 'resources', 'timeout', 'retries', 'isolate'];
const RESOURCE_KEYS = ['cpu', 'gpu', 'memoryMb'];

/** Friendlier words for values whose schema is a `oneOf`. */
const EXPECTED: readonly [RegExp, string][] = [
  [/^\/steps\/[^/]+\/needs$/, 'a step id or a list of step ids'],
  [/^\/steps\/[^/]+\/timeout$/, 'a duration such as `90s`, `30m` or `1h30m` (or a number of seconds)'],
  [/^\/steps\/[^/]+\/matrix\/[^/]+$/, 'a non-empty list of values, or `${{ params.NAME }}`'],
];

function show(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function valueAt(data: unknown, segments: readonly string[]): unknown {
  let current = data;
  for (const part of segments) {
    current =
      typeof current === 'object' && current !== null
        ? (current as Record<string, unknown>)[part]
        : undefined;
  }
  return current;
}

/**
 * Check `data` against the recipe schema. Returns, per step id, the malformed fields of its
 * entry (`''` when the entry itself is unusable), so later passes can ignore just those.
 */
export function checkShape(data: unknown, problems: ProblemList): Map<string, Set<string>> {
  const badSteps = new Map<string, Set<string>>();
  validateShape ??= compileSchema(recipeShapeSchema);
  if (validateShape(data)) return badSteps;
  const errors = validateShape.errors ?? [];
  // Branch errors of a oneOf are noise when the oneOf itself is reported: keep one per path.
  const oneOfPaths = new Set(errors.filter((e) => e.keyword === 'oneOf').map((e) => e.instancePath));
  const done = new Set<string>();
  for (const error of errors) {
    // ajv reports a bad property name twice (the pattern, then `propertyNames`): keep the latter.
    if ((error as { propertyName?: string }).propertyName !== undefined) continue;
    const segments = pointerSegments(error.instancePath);
    if (error.keyword === 'propertyNames' && segments.length === 1 && segments[0] === 'steps') {
      badSteps.set(String((error.params as { propertyName?: string }).propertyName), new Set(['']));
    }
    if (segments[0] === 'steps' && segments[1] !== undefined) {
      const fields = badSteps.get(segments[1]) ?? new Set<string>();
      const extra = error.keyword === 'additionalProperties' && segments.length === 2;
      const field = extra
        ? String((error.params as { additionalProperty?: string }).additionalProperty)
        : segments[2];
      fields.add(field === undefined || field === 'uses' ? '' : field);
      badSteps.set(segments[1], fields);
    }
    const inOneOf = [...oneOfPaths].some(
      (path) => error.instancePath === path || error.instancePath.startsWith(`${path}/`),
    );
    if (inOneOf && error.keyword !== 'oneOf') continue;
    const signature = `${error.instancePath}|${error.keyword}|${JSON.stringify(error.params)}`;
    if (done.has(signature)) continue;
    done.add(signature);
    report(error, segments, data, problems);
  }
  return badSteps;
}

function report(error: ErrorObject, segments: string[], data: unknown, problems: ProblemList): void {
  const where = segments.length === 0 ? 'the recipe' : `\`${segments.join('.')}\``;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const allowed = segments.length === 0 ? TOP_KEYS : segments.length === 2 ? STEP_KEYS : RESOURCE_KEYS;
      const hint = didYouMean(key, allowed);
      problems.add(
        [...segments, key],
        'UNKNOWN_KEY',
        `unknown key \`${key}\` in ${where}`,
        `${hint ? `${hint} ` : ''}(allowed: ${allowed.join(', ')})`,
        true,
      );
      return;
    }
    case 'required': {
      const key = String(params.missingProperty);
      const example: Record<string, string> = {
        recipe: 'recipe: my-pipeline',
        version: 'version: 1',
        steps: 'steps: { ... }',
        uses: 'uses: STEP_NAME',
      };
      problems.add(
        segments,
        'MISSING_KEY',
        `missing required key \`${key}\` in ${where}`,
        `add \`${example[key] ?? `${key}: ...`}\``,
      );
      return;
    }
    case 'propertyNames': {
      const name = String(params.propertyName);
      problems.add(
        [...segments, name],
        'BAD_NAME',
        `invalid name \`${name}\` in ${where}`,
        'names start with a letter or `_` and contain only letters, digits, `_` and `-`',
        true,
      );
      return;
    }
    case 'const':
      problems.add(
        segments,
        'BAD_VERSION',
        `${where} must be ${show(params.allowedValue)}, got ${show(valueAt(data, segments))}`,
        'this asterism reads recipe format version 1',
      );
      return;
    default: {
      const expected = EXPECTED.find(([pattern]) => pattern.test(error.instancePath))?.[1];
      const message = expected === undefined ? (error.message ?? error.keyword) : `must be ${expected}`;
      problems.add(
        segments,
        'INVALID_VALUE',
        `${where} ${message}, got ${show(valueAt(data, segments))}`,
        error.parentSchema?.description ?? '',
      );
    }
  }
}
