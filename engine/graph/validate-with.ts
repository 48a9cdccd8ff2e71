/**
 * Validating a step's `with:` while references are still symbolic. Each reference node is
 * replaced by a placeholder of the shape it will have at run time (a path string, or a list of
 * paths for a matrix output or a glob input), ajv checks the result and fills defaults, and the
 * placeholders are swapped back for the reference nodes.
 */
import { checkParams, type ParamIssue } from '../recipe/params.js';
import type { AnyStepDefinition } from '../step.js';
import { isRefNode } from './template.js';
import type { JsonValue, RefNode, Template } from './types.js';

// NUL cannot occur in YAML text, so a placeholder can never collide with a user's string.
const TOKEN_PREFIX = '\u0000asterism-ref:';
const TOKEN_SUFFIX = '\u0000';

/** True when an input pattern is a glob (so the input resolves to a list of paths). */
export function isGlob(pattern: string): boolean {
  return /[*?[{]/.test(pattern);
}

/** Result of validating one instance's params. */
export interface ValidatedWith {
  /** The template with defaults filled in. */
  readonly with: { readonly [key: string]: Template };
  readonly issues: readonly ParamIssue[];
}

/** Validate `template` against the step's params schema; `inputs` are the recipe's input patterns. */
export function validateWith(
  definition: AnyStepDefinition,
  template: { readonly [key: string]: Template },
  inputs: Readonly<Record<string, string>>,
): ValidatedWith {
  if (isPlainJson(template)) {
    // No reference anywhere (a matrix leaf such as `{ i: 7 }`): the template is plain JSON that
    // substitution built for this instance alone, so ajv may fill defaults into it directly.
    const issues = checkParams(definition, template);
    const unknown = unknownKeys(definition, template as Record<string, unknown>);
    return { with: template, issues: unknown.length === 0 ? issues : [...issues, ...unknown] };
  }
  const refs: RefNode[] = [];
  const data = toPlaceholders(template, refs, inputs) as Record<string, unknown>;
  const issues = [...checkParams(definition, data), ...unknownKeys(definition, data)];
  return { with: fromPlaceholders(data as JsonValue, refs) as { [key: string]: Template }, issues };
}

/** True when `value` holds no reference node at any depth (so it is plain JSON). */
export function isPlainJson(value: Template): boolean {
  if (value === null || typeof value !== 'object') return true;
  if (Array.isArray(value)) {
    for (const item of value as readonly Template[]) if (!isPlainJson(item)) return false;
    return true;
  }
  if (isRefNode(value)) return false;
  const record = value as { readonly [key: string]: Template };
  for (const key in record) if (!isPlainJson(record[key]!)) return false;
  return true;
}

/** Keys not in `properties` when the schema says nothing about extra keys: almost always a typo. */
function unknownKeys(definition: AnyStepDefinition, data: Record<string, unknown>): ParamIssue[] {
  const schema = definition.params as {
    properties?: Record<string, unknown>;
    additionalProperties?: unknown;
    patternProperties?: unknown;
  };
  if (typeof schema !== 'object' || schema === null || schema.properties === undefined) return [];
  if (schema.additionalProperties !== undefined || schema.patternProperties !== undefined) return [];
  const issues: ParamIssue[] = [];
  for (const key in data) {
    if (!Object.hasOwn(schema.properties, key))
      issues.push({ pointer: '', keyword: 'additionalProperties', message: 'unknown param', key });
  }
  return issues;
}

function token(refs: RefNode[], ref: RefNode): string {
  refs.push(ref);
  return `${TOKEN_PREFIX}${refs.length - 1}${TOKEN_SUFFIX}`;
}

function toPlaceholders(value: Template, refs: RefNode[], inputs: Readonly<Record<string, string>>): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item: Template) => toPlaceholders(item, refs, inputs));
  if (isRefNode(value)) {
    switch (value.$ref) {
      case 'literal':
        return structuredClone(value.value);
      case 'output':
        return value.list ? value.instances.map(() => token(refs, value)) : token(refs, value);
      case 'input':
        return isGlob(inputs[value.name] ?? '') ? [token(refs, value)] : token(refs, value);
      case 'interpolate':
        return token(refs, value);
    }
  }
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value as { readonly [key: string]: Template })) {
    result[key] = toPlaceholders(item, refs, inputs);
  }
  return result;
}

function refOf(value: unknown, refs: readonly RefNode[]): RefNode | undefined {
  if (typeof value !== 'string') return undefined;
  if (!value.startsWith(TOKEN_PREFIX) || !value.endsWith(TOKEN_SUFFIX)) return undefined;
  return refs[Number(value.slice(TOKEN_PREFIX.length, -TOKEN_SUFFIX.length))];
}

function fromPlaceholders(value: JsonValue, refs: readonly RefNode[]): Template {
  if (value === null || typeof value !== 'object') return refOf(value, refs) ?? value;
  if (Array.isArray(value)) {
    const first = refOf(value[0], refs);
    // A list placeholder comes back whole: every element is a token of the same reference.
    if (first !== undefined && (first.$ref === 'input' || (first.$ref === 'output' && first.list))) {
      if (value.every((item: JsonValue) => refOf(item, refs) === first)) return first;
    }
    return value.map((item: JsonValue) => fromPlaceholders(item, refs));
  }
  if (Object.hasOwn(value, '$ref')) return { $ref: 'literal', value };
  const result: Record<string, Template> = {};
  for (const [key, item] of Object.entries(value)) result[key] = fromPlaceholders(item as JsonValue, refs);
  return result;
}
