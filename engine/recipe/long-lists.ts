/**
 * A fast path for long one-line lists of plain numbers and words, such as a generated matrix
 * axis `matrix: { i: [0, 1, 2, ..., 9999] }`. The yaml package spends about 6 µs per list item
 * (tokens, nodes, positions): 60 ms for 10,000 items, most of the load time of such a recipe.
 *
 * `maskLongLists` replaces each such list in the text by a placeholder scalar of the same length
 * (so every other node keeps its line and column), and parses the items itself; `unmaskLists`
 * puts the lists back into the parsed data. The items accepted are exactly those whose YAML 1.2
 * core-schema value is unambiguous: decimal integers without leading zeros (safe integers) and
 * words that are strings (not `null`, `true`, `false` in any spelling). Anything else — a quoted
 * item, a float, a nested list, an anchor or tag before the list, a list that spans lines — is
 * left to the yaml package. If a placeholder does not come back as a whole scalar (the list was
 * inside a quoted string, a comment or a block scalar), the caller parses the original text.
 */

/** This module's own file (the parse cache keys stored parses by the parser's code). */
export const longListsModule = import.meta.url;

/** Lists shorter than this are left to the yaml package (and keep per-item positions). */
const MIN_ITEMS = 256;

const ITEM = /^(?:0|-?[1-9][0-9]{0,14}|[A-Za-z_][A-Za-z0-9_-]*)$/;
const NOT_STRINGS = new Set(['null', 'Null', 'NULL', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE']);
const TOKEN_PREFIX = '__asterism_long_list_';

/** The masked text and the lists it stands for (placeholder -> items). */
export interface MaskedLists {
  readonly text: string;
  readonly lists: ReadonlyMap<string, readonly (number | string)[]>;
}

/** Items of `body` (the text between `[` and `]`), or undefined when one is not accepted. */
function parseItems(body: string): (number | string)[] | undefined {
  const items: (number | string)[] = [];
  for (const raw of body.split(',')) {
    const item = raw.trim();
    if (!ITEM.test(item) || NOT_STRINGS.has(item)) return undefined;
    const code = item.charCodeAt(0);
    items.push(code === 45 || (code >= 48 && code <= 57) ? Number(item) : item);
  }
  return items;
}

/** Mask every long list of `text` (see the file comment); `undefined` when there is none. */
export function maskLongLists(text: string): MaskedLists | undefined {
  if (text.length < 2 * MIN_ITEMS || text.includes(TOKEN_PREFIX) || /^%YAML/m.test(text)) return undefined;
  const lists = new Map<string, (number | string)[]>();
  let out = '';
  let done = 0;
  let from = 0;
  for (;;) {
    const open = text.indexOf('[', from);
    if (open < 0) break;
    from = open + 1;
    let lineEnd = text.indexOf('\n', open);
    if (lineEnd < 0) lineEnd = text.length;
    // Searched within the line only: a `[` without `]` on its line must not scan the file.
    const closeInLine = text.slice(open, lineEnd).indexOf(']');
    if (closeInLine < 0) continue;
    const close = open + closeInLine;
    // Only a list that is a mapping's value: `key: [`, not after a tag, an anchor or text.
    let before = open - 1;
    while (before >= 0 && text[before] === ' ') before--;
    if (text[before] !== ':' || before === open - 1) continue;
    const body = text.slice(open + 1, close);
    if (body.length < 2 * MIN_ITEMS) continue;
    const items = parseItems(body);
    if (items === undefined || items.length < MIN_ITEMS) continue;
    const token = `${TOKEN_PREFIX}${lists.size}__`;
    const width = close + 1 - open;
    if (token.length > width) continue;
    lists.set(token, items);
    out += text.slice(done, open) + token + ' '.repeat(width - token.length);
    done = close + 1;
    from = done;
  }
  if (lists.size === 0) return undefined;
  return { text: out + text.slice(done), lists };
}

/**
 * Put the lists back into `data` (parsed from the masked text), in place. Returns false when a
 * placeholder is not found exactly once as a whole value: then the masked text must not be used.
 */
export function unmaskLists(
  data: unknown,
  lists: ReadonlyMap<string, readonly (number | string)[]>,
): boolean {
  const found = new Set<string>();
  let ok = true;
  const visit = (value: unknown): unknown => {
    if (typeof value === 'string') {
      if (!value.includes(TOKEN_PREFIX)) return value;
      const items = lists.get(value);
      if (items === undefined || found.has(value)) ok = false;
      else {
        found.add(value);
        return [...items];
      }
      return value;
    }
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) value[i] = visit(value[i]);
    } else if (typeof value === 'object' && value !== null) {
      const record = value as Record<string, unknown>;
      for (const key of Object.keys(record)) {
        if (key.includes(TOKEN_PREFIX)) ok = false;
        record[key] = visit(record[key]);
      }
    }
    return value;
  };
  visit(data);
  return ok && found.size === lists.size;
}
