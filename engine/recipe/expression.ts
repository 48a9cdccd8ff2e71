/**
 * The `${{ ... }}` expression language. It is parsed, never evaluated as JavaScript: an
 * expression is a reference (`params.NAME`, `inputs.NAME`, `matrix.KEY`,
 * `steps.ID.outputs.NAME`) or a literal (`'text'`, `42`, `true`, `null`).
 */
import type { JsonValue } from '../graph/types.js';

/** A parsed expression. */
export type Expression =
  | { readonly kind: 'ref'; readonly path: readonly string[] }
  | { readonly kind: 'literal'; readonly value: JsonValue };

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
  if (text.length >= 2 && (text[0] === "'" || text[0] === '"') && text.at(-1) === text[0]) {
    return { kind: 'literal', value: text.slice(1, -1) };
  }
  if (NUMBER.test(text)) return { kind: 'literal', value: Number(text) };
  if (text === 'true' || text === 'false') return { kind: 'literal', value: text === 'true' };
  if (text === 'null') return { kind: 'literal', value: null };
  const path = text.split('.').map((segment) => segment.trim());
  const bad = path.find((segment) => !IDENTIFIER.test(segment));
  if (bad !== undefined) {
    return bad === ''
      ? 'empty name between dots'
      : `\`${bad}\` is not a name (letters, digits, \`_\` and \`-\`; operators and function calls are not supported)`;
  }
  return { kind: 'ref', path };
}
