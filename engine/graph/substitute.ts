/**
 * Expression substitution in a step's `with:`: params and matrix values are filled in now,
 * output and input references become reference nodes. A value that is exactly one expression
 * keeps the expression's type; inside a longer string the value is interpolated as text.
 */
import { didYouMean } from '../recipe/did-you-mean.js';
import {
  type Expression,
  type ExpressionPart,
  hasExpression,
  type ParsedString,
  type PathSegment,
  parseString,
  referenceText,
} from '../recipe/expression.js';
import { type PathProblem, walkParams } from '../recipe/param-path.js';
import type { InputRef, JsonValue, OutputRef, Template } from './types.js';

/** What expressions may refer to while one instance is built. */
export interface SubstitutionScope {
  readonly params: Readonly<Record<string, JsonValue>>;
  readonly inputs: Readonly<Record<string, string>>;
  /** This instance's matrix values (empty for a plain step). */
  readonly matrix: Readonly<Record<string, JsonValue>>;
  /** The step's matrix keys (to tell "not in this matrix" from a plain step). */
  readonly matrixKeys: readonly string[];
  /** Resolve `steps.ID.outputs.NAME`: a reference node, or an error message and hint. */
  output(step: string, output: string): OutputRef | { readonly message: string; readonly hint: string };
  /** Report a problem at a path inside `with` (relative segments). */
  problem(path: readonly (string | number)[], code: string, message: string, hint: string): void;
}

const parsedCache = new Map<string, ParsedString>();

function parseCached(text: string): ParsedString {
  let parsed = parsedCache.get(text);
  if (parsed === undefined) {
    parsed = parseString(text);
    if (parsedCache.size > 50_000) parsedCache.clear();
    parsedCache.set(text, parsed);
  }
  return parsed;
}

/** Wrap user mappings that carry their own `$ref` key, so they are never read as references. */
export function jsonToTemplate(value: JsonValue): Template {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item: JsonValue) => jsonToTemplate(item));
  if (Object.hasOwn(value, '$ref')) return { $ref: 'literal', value };
  const result: Record<string, Template> = {};
  for (const [key, item] of Object.entries(value)) result[key] = jsonToTemplate(item as JsonValue);
  return result;
}

const INVALID = Symbol('invalid');

/** Substitute every expression in `value`; problems go to `scope.problem`. */
export function substitute(
  value: unknown,
  scope: SubstitutionScope,
  path: (string | number)[] = [],
): Template {
  if (typeof value === 'string') {
    if (!hasExpression(value)) return value;
    return substituteString(value, scope, path);
  }
  if (value === null || typeof value !== 'object') return value as Template;
  if (Array.isArray(value)) return value.map((item, index) => substitute(item, scope, [...path, index]));
  const object = value as Record<string, unknown>;
  const result: Record<string, Template> = {};
  for (const key of Object.keys(object)) result[key] = substitute(object[key], scope, [...path, key]);
  if (Object.hasOwn(object, '$ref')) return { $ref: 'literal', value: object as JsonValue };
  return result;
}

function substituteString(text: string, scope: SubstitutionScope, path: (string | number)[]): Template {
  const parsed = parseCached(text);
  if (!parsed.ok) {
    scope.problem(path, 'BAD_EXPRESSION', parsed.message, parsed.hint);
    return text;
  }
  const values = parsed.parts.map((part) => (typeof part === 'string' ? part : evaluate(part, scope, path)));
  if (values.includes(INVALID)) return text;
  if (values.length === 1 && typeof parsed.parts[0] !== 'string') return values[0] as Template;
  const parts: (string | OutputRef | InputRef)[] = [];
  for (const item of values as Template[]) {
    const piece = typeof item === 'object' && item !== null && '$ref' in item ? item : undefined;
    if (piece !== undefined && (piece.$ref === 'output' || piece.$ref === 'input'))
      parts.push(piece as OutputRef | InputRef);
    else {
      const textValue = toText(item);
      const last = parts.at(-1);
      if (typeof last === 'string') parts[parts.length - 1] = last + textValue;
      else parts.push(textValue);
    }
  }
  if (parts.every((part) => typeof part === 'string')) return parts.join('');
  return { $ref: 'interpolate', parts };
}

function toText(value: Template): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map((item: Template) => toText(item)).join(' ');
  return JSON.stringify(value);
}

function evaluate(
  part: ExpressionPart,
  scope: SubstitutionScope,
  path: (string | number)[],
): Template | typeof INVALID {
  const expression = part.expression;
  if (expression.kind === 'literal') return jsonToTemplate(expression.value);
  return evaluateRef(expression.path, part.source, scope, path);
}

/** A bracket key: a literal, or a `params.`/`matrix.` reference known when the recipe loads. */
function resolveKey(
  key: Expression,
  source: string,
  scope: SubstitutionScope,
  path: (string | number)[],
): string | number | PathProblem | undefined {
  const value =
    key.kind === 'literal'
      ? key.value
      : key.path[0] === 'params' || key.path[0] === 'matrix'
        ? evaluateRef(key.path, source, scope, path)
        : undefined;
  if (value === INVALID) return undefined;
  if (typeof value === 'string' || typeof value === 'number') return value;
  const text = key.kind === 'ref' ? `\`${referenceText(key.path)}\`` : 'the key';
  return {
    code: 'BAD_EXPRESSION',
    message:
      key.kind === 'ref' && value === undefined
        ? `index ${text} is only known when a step runs in \`${source}\``
        : `index ${text} is ${JSON.stringify(value)}, not a string or a number, in \`${source}\``,
    hint: 'index with a quoted key, a number, `params.NAME` or `matrix.KEY`, e.g. `params.profiles[params.profile]`',
  };
}

function evaluateRef(
  ref: readonly PathSegment[],
  source: string,
  scope: SubstitutionScope,
  path: (string | number)[],
): Template | typeof INVALID {
  const [context, head, ...rest] = ref;
  const name = typeof head === 'string' ? head : undefined;
  const where = `in \`${source}\``;
  switch (context) {
    case 'params': {
      const walked = walkParams(scope.params, ref.slice(1), where, (key) =>
        resolveKey(key, source, scope, path),
      );
      if (walked !== undefined && 'value' in walked) return jsonToTemplate(walked.value);
      if (walked !== undefined) scope.problem(path, walked.code, walked.message, walked.hint);
      return INVALID;
    }
    case 'matrix': {
      if (name === undefined || rest.length > 0 || !Object.hasOwn(scope.matrix, name)) {
        const hint =
          scope.matrixKeys.length === 0
            ? 'this step has no `matrix:`; add one, or use `${{ params.NAME }}`'
            : didYouMean(name ?? '', scope.matrixKeys) ||
              `this step's matrix keys: ${scope.matrixKeys.join(', ')}`;
        scope.problem(path, 'UNKNOWN_MATRIX_KEY', `unknown matrix key \`${name ?? ''}\` ${where}`, hint);
        return INVALID;
      }
      return jsonToTemplate(scope.matrix[name] ?? null);
    }
    case 'inputs': {
      if (name === undefined || rest.length > 0 || !Object.hasOwn(scope.inputs, name)) {
        const hint = didYouMean(name ?? '', Object.keys(scope.inputs));
        scope.problem(
          path,
          'UNKNOWN_INPUT',
          `unknown input \`${name ?? ''}\` ${where}`,
          hint || 'declare it under `inputs:`',
        );
        return INVALID;
      }
      return { $ref: 'input', name };
    }
    case 'steps': {
      if (name === undefined || rest[0] !== 'outputs' || rest.length !== 2 || typeof rest[1] !== 'string') {
        scope.problem(
          path,
          'BAD_EXPRESSION',
          `cannot read expression \`${source}\``,
          'write `${{ steps.ID.outputs.NAME }}`',
        );
        return INVALID;
      }
      const ref = scope.output(name, rest[1]);
      if ('message' in ref) {
        scope.problem(path, 'DANGLING_REF', `${ref.message} ${where}`, ref.hint);
        return INVALID;
      }
      return ref;
    }
    default: {
      const label = typeof context === 'string' ? context : '';
      const hint = didYouMean(label, ['params', 'inputs', 'matrix', 'steps']);
      scope.problem(
        path,
        'BAD_EXPRESSION',
        `unknown expression context \`${label}\` ${where}`,
        hint || 'expressions start with `params.`, `inputs.`, `matrix.` or `steps.`',
      );
      return INVALID;
    }
  }
}
