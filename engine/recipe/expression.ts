/**
 * The `${{ ... }}` expression language. It is parsed, never evaluated as JavaScript: an
 * expression is a reference (`params.NAME`, `inputs.NAME`, `matrix.KEY`,
 * `steps.ID.outputs.NAME`) or a literal (`'text'`, `42`, `true`, `null`). A reference may index
 * with brackets, `params.profiles[params.profile].epochs`, where the key is a quoted string, a
 * number or another reference: the way a recipe picks a named profile without any code.
 */
import type { JsonValue } from '../graph/types.js';

/** A parsed expression. */
export type Expression =
  | { readonly kind: 'ref'; readonly path: readonly PathSegment[] }
  | { readonly kind: 'literal'; readonly value: JsonValue };

/** A bracket index, `[params.profile]` or `['quick']` or `[0]`: its key is computed, not written. */
export interface IndexSegment {
  readonly index: Expression;
}

/** One step of a reference: a name after a dot, or a bracket index. */
export type PathSegment = string | IndexSegment;

/** One `${{ ... }}` inside a string. */
export interface ExpressionPart {
  readonly expression: Expression;
  /** The text as written, `${{ params.n }}`. */
  readonly source: string;
  /** Offset of `${{` in the string. */
  readonly offset: number;
}

/** A string split into literal text and expressions. */
export type ParsedString =
  | { readonly ok: true; readonly parts: readonly (string | ExpressionPart)[] }
  | { readonly ok: false; readonly message: string; readonly hint: string; readonly offset: number };

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;

/** True when `text` contains an expression at all (cheap pre-check for the common case). */
export function hasExpression(text: string): boolean {
  return text.includes('${{');
}

/** Split `text` into literal runs and parsed expressions. */
export function parseString(text: string): ParsedString {
  const parts: (string | ExpressionPart)[] = [];
  let cursor = 0;
  while (cursor < text.length) {
    const start = text.indexOf('${{', cursor);
    if (start < 0) {
      parts.push(text.slice(cursor));
      break;
    }
    if (start > cursor) parts.push(text.slice(cursor, start));
    const end = text.indexOf('}}', start + 3);
    if (end < 0) {
      return {
        ok: false,
        message: `unterminated expression \`${text.slice(start)}\``,
        hint: 'close it with `}}`, e.g. `${{ params.seed }}`',
        offset: start,
      };
    }
    const source = text.slice(start, end + 2);
    const parsed = parseExpression(text.slice(start + 3, end));
    if (typeof parsed === 'string') {
      return {
        ok: false,
        message: `cannot read expression \`${source}\`: ${parsed}`,
        hint: 'write a reference such as `${{ params.NAME }}`, `${{ inputs.NAME }}`, `${{ matrix.KEY }}` or `${{ steps.ID.outputs.NAME }}`',
        offset: start,
      };
    }
    parts.push({ expression: parsed, source, offset: start });
    cursor = end + 2;
  }
  return { ok: true, parts };
}

/** Parse the inside of `${{ ... }}`; returns an explanation string when it is not valid. */
export function parseExpression(inner: string): Expression | string {
  const text = inner.trim();
  if (text === '') return 'the expression is empty';
  const literal = parseLiteral(text);
  if (literal !== undefined) return literal;
  return readReference({ text, at: 0 }, false);
}

/** A quoted string, number, boolean or null; undefined when `text` is none of these. */
function parseLiteral(text: string): Expression | undefined {
  if (text.length >= 2 && (text[0] === "'" || text[0] === '"') && text.at(-1) === text[0]) {
    return { kind: 'literal', value: text.slice(1, -1) };
  }
  if (NUMBER.test(text)) return { kind: 'literal', value: Number(text) };
  if (text === 'true' || text === 'false') return { kind: 'literal', value: text === 'true' };
  if (text === 'null') return { kind: 'literal', value: null };
  return undefined;
}

interface Reader {
  readonly text: string;
  at: number;
}

/**
 * Read `name(.name | [key])*`. Inside brackets (`nested`) it stops before the closing `]`. A
 * hand-written reader rather than a regular expression, so a bracket key can itself be a
 * reference (`params.profiles[params.profile]`) and every mistake gets its own explanation.
 */
function readReference(reader: Reader, nested: boolean): Extract<Expression, { kind: 'ref' }> | string {
  const path: PathSegment[] = [];
  let separator: '' | '.' | '[' = '';
  for (;;) {
    if (separator !== '[') {
      const start = reader.at;
      while (reader.at < reader.text.length && !'.[]'.includes(reader.text[reader.at] ?? '')) reader.at++;
      const name = reader.text.slice(start, reader.at).trim();
      if (name === '') {
        if (separator === '.') return 'empty name between dots';
        return nested ? 'empty index `[]`' : 'an expression starts with a name such as `params`';
      }
      if (!IDENTIFIER.test(name)) {
        return `\`${name}\` is not a name (letters, digits, \`_\` and \`-\`; operators and function calls are not supported)`;
      }
      path.push(name);
    } else {
      const key = readIndex(reader);
      if (typeof key === 'string') return key;
      path.push(key);
      while (reader.text[reader.at] === ' ' || reader.text[reader.at] === '\t') reader.at++;
    }
    const next = reader.text[reader.at];
    if (next === undefined) {
      return nested ? 'missing `]` after an index' : { kind: 'ref', path };
    }
    if (next === ']') {
      if (nested) return { kind: 'ref', path };
      return 'unmatched `]`';
    }
    if (next !== '.' && next !== '[') return `expected \`.\` or \`[\` after \`]\`, got \`${next}\``;
    separator = next;
    reader.at++;
  }
}

/** Read the key after `[` up to and including its `]`: a quoted string, a number or a reference. */
function readIndex(reader: Reader): IndexSegment | string {
  const text = reader.text;
  while (text[reader.at] === ' ' || text[reader.at] === '\t') reader.at++;
  const first = text[reader.at];
  let key: Expression;
  if (first === "'" || first === '"') {
    const end = text.indexOf(first, reader.at + 1);
    if (end < 0) return `unterminated quoted index \`${text.slice(reader.at)}\``;
    key = { kind: 'literal', value: text.slice(reader.at + 1, end) };
    reader.at = end + 1;
  } else if (first !== undefined && /[-0-9]/.test(first)) {
    const end = text.indexOf(']', reader.at);
    const number = text.slice(reader.at, end < 0 ? undefined : end).trim();
    if (!NUMBER.test(number)) return `\`${number}\` is not a number, a quoted key or a reference`;
    key = { kind: 'literal', value: Number(number) };
    reader.at = end < 0 ? text.length : end;
  } else {
    const ref = readReference(reader, true);
    if (typeof ref === 'string') return ref;
    key = ref;
  }
  while (text[reader.at] === ' ' || text[reader.at] === '\t') reader.at++;
  if (text[reader.at] !== ']') return 'missing `]` after an index';
  reader.at++;
  return { index: key };
}

/** The text of a reference as a user would write it: `params.profiles[params.profile]`. */
export function referenceText(path: readonly PathSegment[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'string') text += text === '' ? segment : `.${segment}`;
    else if (segment.index.kind === 'ref') text += `[${referenceText(segment.index.path)}]`;
    else text += `[${JSON.stringify(segment.index.value)}]`;
  }
  return text;
}
