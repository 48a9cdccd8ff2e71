/**
 * YAML with source positions: parse a recipe, keep the AST beside the plain data, and map JSON
 * pointers back to `line:column` for error messages.
 */
import type { LineCounter, Node } from 'yaml';
import type { SourceLocation } from '../errors.js';
import { yamlLib } from '../yaml-lib.js';
import { maskLongLists, unmaskLists } from './long-lists.js';
import type { Problem } from './types.js';

/** This module's own file (the parse cache keys stored parses by the parser's code). */
export const yamlSourceModule = import.meta.url;

/** Where a step's key is written (1-based, as in messages). */
export interface StepPosition {
  readonly line: number;
  readonly column: number;
}

/** A parsed recipe file. */
export interface YamlSource {
  readonly file: string;
  readonly text: string;
  /** The document's root node (absent for an empty file, or a parse from the parse cache). */
  readonly root: Node | undefined;
  /** Plain data (`toJS`). */
  readonly data: unknown;
  /** Offsets to lines and columns (absent exactly when there is no tree). */
  readonly lineCounter: LineCounter | undefined;
  /**
   * How precisely a problem can be located:
   * - `exact`: every node has its position;
   * - `lists`: long lists were parsed by the fast path (`long-lists.ts`), so their items have
   *   no nodes and a problem inside one is located at the list;
   * - `steps`: the parse came from the parse cache (`parse-cache.ts`), which keeps only each
   *   step's position (`stepPositions`).
   * Callers that report problems from an inexact source parse again with `fastLists: false`.
   */
  readonly positions: 'exact' | 'lists' | 'steps';
  /** Each step's position, for a source from the parse cache. */
  readonly stepPositions?: ReadonlyMap<string, StepPosition>;
}

/** Options of `parseYamlSource`. */
export interface ParseYamlOptions {
  /** Parse long one-line lists of numbers and words without the yaml package. @default true */
  readonly fastLists?: boolean;
}

/** Parse `text`; returns the source, or the syntax problems (all of them, de-duplicated per line). */
export function parseYamlSource(
  file: string,
  text: string,
  options: ParseYamlOptions = {},
): YamlSource | { readonly problems: Problem[] } {
  const masked = options.fastLists === false ? undefined : maskLongLists(text);
  if (masked !== undefined) {
    const fast = parseText(file, masked.text);
    // Any doubt (a syntax error, a placeholder not a whole value): the exact, slower path.
    if ('problems' in fast || !unmaskLists(fast.data, masked.lists)) return parseText(file, text);
    return { ...fast, text, positions: 'lists' };
  }
  return parseText(file, text);
}

function parseText(file: string, text: string): YamlSource | { readonly problems: Problem[] } {
  const { LineCounter, parseDocument } = yamlLib();
  const lineCounter = new LineCounter();
  // The yaml package's own unique-key check is quadratic in the size of a mapping (a 10,000-step
  // recipe took seconds); `duplicateKeys` does the same in linear time.
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false });
  if (doc.errors.length > 0) {
    const flowMistakes = findUnquotedExpressionsInFlow(file, text);
    if (flowMistakes.length > 0) return { problems: flowMistakes };
    const seenLines = new Set<number>();
    const problems: Problem[] = [];
    for (const error of doc.errors) {
      const pos = lineCounter.linePos(error.pos[0]);
      if (seenLines.has(pos.line)) continue;
      seenLines.add(pos.line);
      const duplicate = error.code === 'DUPLICATE_KEY';
      problems.push({
        code: duplicate ? 'DUPLICATE_KEY' : 'YAML_SYNTAX',
        message: duplicate
          ? `duplicate key: ${firstLine(error.message)} (step ids and keys must be unique)`
          : `YAML syntax error: ${firstLine(error.message)}`,
        location: { file, line: pos.line, column: pos.col },
        hint: duplicate ? 'rename or remove one of the two entries' : 'fix the YAML at this position',
      });
    }
    return { problems };
  }
  const root = doc.contents ?? undefined;
  const duplicates = duplicateKeys(file, root, lineCounter);
  if (duplicates.length > 0) return { problems: duplicates };
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 10_000 });
  } catch (error) {
    // toJS throws for an alias with no anchor before it, or an alias bomb.
    return {
      problems: [
        {
          code: 'YAML_SYNTAX',
          message: `YAML error: ${(error as Error).message}`,
          location: { file, line: 1, column: 1 },
          hint: 'define each `&anchor` before its `*alias`, or write the value out',
        },
      ],
    };
  }
  return { file, text, root, data, lineCounter, positions: 'exact' };
}

/** Every key written twice in the same mapping (step ids included), in one pass over the AST. */
function duplicateKeys(file: string, root: Node | undefined, lineCounter: LineCounter): Problem[] {
  const { isMap, isScalar, isSeq } = yamlLib();
  const problems: Problem[] = [];
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const node = pending.pop();
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
        if (key !== undefined) {
          if (seen.has(key)) {
            const pos = lineCounter.linePos((pair.key as Node).range?.[0] ?? 0);
            problems.push({
              code: 'DUPLICATE_KEY',
              message: `duplicate key \`${key}\` (keys and step ids must be unique within a mapping)`,
              location: { file, line: pos.line, column: pos.col },
              hint: 'rename or remove one of the two entries',
            });
          }
          seen.add(key);
        }
        pending.push(pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) pending.push(item);
    }
  }
  return problems.sort((a, b) => (a.location.line ?? 0) - (b.location.line ?? 0));
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '');
}

/**
 * `with: { dir: ${{ matrix.d }} }` is a YAML syntax error: inside a flow mapping `{` starts a
 * nested mapping. Recognise that mistake by scanning the text, so the user is told to quote it
 * instead of getting a cascade of parser errors.
 */
function findUnquotedExpressionsInFlow(file: string, text: string): Problem[] {
  const problems: Problem[] = [];
  const lines = text.split('\n');
  let depth = 0; // flow nesting carried across lines
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? '';
    let quote: string | undefined;
    for (let col = 0; col < line.length; col++) {
      const ch = line[col];
      if (quote !== undefined) {
        if (ch === quote) quote = undefined;
        continue;
      }
      if (ch === '#' && (col === 0 || line[col - 1] === ' ')) break;
      if ((ch === '"' || ch === "'") && (col === 0 || /[\s,[{:]/.test(line[col - 1] ?? ''))) {
        quote = ch;
      } else if (ch === '$' && line.startsWith('${{', col)) {
        if (depth > 0) {
          const end = line.indexOf('}}', col);
          const expression = end < 0 ? line.slice(col) : line.slice(col, end + 2);
          problems.push({
            code: 'UNQUOTED_EXPRESSION',
            message: `unquoted expression \`${expression}\` inside a flow mapping or list ({ ... } or [ ... ])`,
            location: { file, line: index + 1, column: col + 1 },
            hint: `quote it: "${expression}" (inside { } or [ ], YAML reads \`{\` as the start of a mapping)`,
          });
          if (end < 0) break;
          col = end + 1;
        } else {
          const end = line.indexOf('}}', col);
          if (end < 0) break;
          col = end + 1;
        }
      } else if (ch === '{' || ch === '[') depth++;
      else if (ch === '}' || ch === ']') depth = Math.max(0, depth - 1);
    }
  }
  return problems;
}

/** The AST node at a path of keys and indices below `node`, or the deepest one that exists. */
export function nodeAt(node: Node | undefined, path: readonly (string | number)[]): Node | undefined {
  const { isMap, isPair, isScalar, isSeq } = yamlLib();
  let current: Node | undefined = node;
  for (const segment of path) {
    if (isMap(current)) {
      const pair = current.items.find(
        (item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment),
      );
      if (pair === undefined) return current;
      const value = pair.value as Node | null;
      if (value === null) return (pair.key as Node | null) ?? current;
      current = value;
    } else if (isSeq(current)) {
      const item = current.items[Number(segment)] as Node | undefined;
      if (item === undefined) return current;
      current = item;
    } else return current;
  }
  return current;
}

/** The key node of `key` in a mapping node (to point at `uses:` rather than its value, say). */
export function keyNodeAt(node: Node | undefined, key: string): Node | undefined {
  const { isMap, isPair, isScalar } = yamlLib();
  if (!isMap(node)) return undefined;
  const pair = node.items.find(
    (item) => isPair(item) && isScalar(item.key) && String(item.key.value) === key,
  );
  return (pair?.key as Node | undefined) ?? undefined;
}

/** A location for `node` (its start), with the JSON pointer `pointer`. */
export function locationOf(source: YamlSource, node: Node | undefined, pointer: string): SourceLocation {
  const offset = node?.range?.[0];
  if (offset === undefined || source.lineCounter === undefined) return { file: source.file, pointer };
  const pos = source.lineCounter.linePos(offset);
  return { file: source.file, line: pos.line, column: pos.col, pointer };
}

/** Split a JSON pointer into its segments (`/steps/a~1b` -> ['steps', 'a/b']). */
export function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Join segments into a JSON pointer. */
export function toPointer(segments: readonly (string | number)[]): string {
  return segments.map((part) => `/${String(part).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/** Locate a JSON pointer in the whole document. */
export function locate(source: YamlSource, pointer: string): SourceLocation {
  return locationOf(source, nodeAt(source.root, pointerSegments(pointer)), pointer);
}
