/**
 * One 80-character header card: parsing and formatting (FITS Standard 4.0, section 4.1-4.2).
 * Long strings use the CONTINUE convention (section 4.2.1.2); keywords longer than 8 characters
 * use the ESO HIERARCH convention.
 */

/** A header value. Integers and reals are both `number`; complex values are kept as their text. */
export type FitsValue = string | number | boolean;

/** A parsed header card. Commentary cards (COMMENT, HISTORY, blank) have no value. */
export interface Card {
  /** Upper-case keyword, without the `HIERARCH ` prefix for HIERARCH cards. */
  readonly keyword: string;
  readonly value: FitsValue | undefined;
  /** The comment after `/`, or the text of a commentary card. */
  readonly comment: string;
  /** The value exactly as written in the file, so a real `60.0` is not rewritten as `60`. */
  readonly rawValue?: string;
  /** True for a real-valued number (written with a decimal point or exponent). */
  readonly isReal?: boolean;
}

export const CARD_LENGTH = 80;
export const BLOCK_LENGTH = 2880;
export const CARDS_PER_BLOCK = BLOCK_LENGTH / CARD_LENGTH;

/** Commentary keywords whose text starts at column 9 and which carry no value. */
export const COMMENTARY_KEYWORDS: ReadonlySet<string> = new Set(['COMMENT', 'HISTORY', '']);

/** Why a card cannot be parsed; the header reader adds file, HDU and card number. */
export class CardSyntaxError extends Error {
  override readonly name = 'CardSyntaxError';
}

const KEYWORD_PATTERN = /^[A-Z0-9_-]{0,8}$/;
const INTEGER_PATTERN = /^[+-]?\d+$/;
const REAL_PATTERN = /^[+-]?(\d+\.?\d*|\.\d+)([EDed][+-]?\d+)?$/;

/** Parse one 80-character card (ASCII text). CONTINUE cards come back with keyword `CONTINUE`. */
export function parseCard(text: string): Card {
  if (text.length !== CARD_LENGTH) throw new CardSyntaxError(`card is ${text.length} characters, not 80`);
  if (!/^[\x20-\x7e]*$/.test(text))
    throw new CardSyntaxError('card contains characters outside printable ASCII');
  const keywordField = text.slice(0, 8).trimEnd();
  if (keywordField === 'HIERARCH') return parseHierarch(text);
  if (!KEYWORD_PATTERN.test(keywordField)) {
    throw new CardSyntaxError(`keyword '${keywordField}' has characters other than A-Z, 0-9, '-' and '_'`);
  }
  if (keywordField === 'CONTINUE') {
    const { value, comment } = parseValueField(text.slice(8));
    return { keyword: 'CONTINUE', value, comment };
  }
  if (COMMENTARY_KEYWORDS.has(keywordField) || text.slice(8, 10) !== '= ') {
    return { keyword: keywordField, value: undefined, comment: text.slice(8).trimEnd() };
  }
  return { keyword: keywordField, ...parseValueField(text.slice(10)) };
}

function parseHierarch(text: string): Card {
  const equals = text.indexOf('=', 9);
  if (equals < 0) return { keyword: 'HIERARCH', value: undefined, comment: text.slice(8).trimEnd() };
  const keyword = text.slice(9, equals).trim().replace(/\s+/g, ' ').toUpperCase();
  return { keyword, ...parseValueField(text.slice(equals + 1)) };
}

type ValueField = Pick<Card, 'value' | 'comment'> & { rawValue?: string; isReal?: boolean };

function parseValueField(field: string): ValueField {
  const trimmed = field.trimStart();
  if (trimmed.startsWith("'")) return parseStringValue(trimmed);
  const slash = trimmed.indexOf('/');
  const raw = (slash < 0 ? trimmed : trimmed.slice(0, slash)).trim();
  const comment = slash < 0 ? '' : trimmed.slice(slash + 1).trim();
  if (raw === '') return { value: undefined, comment };
  if (raw === 'T' || raw === 'F') return { value: raw === 'T', comment, rawValue: raw };
  if (INTEGER_PATTERN.test(raw)) return { value: Number(raw), comment, rawValue: raw };
  if (REAL_PATTERN.test(raw)) {
    return { value: Number(raw.replace(/[dD]/, 'E')), comment, rawValue: raw, isReal: true };
  }
  if (/^\(.*\)$/.test(raw)) return { value: raw, comment, rawValue: raw };
  throw new CardSyntaxError(`value '${raw}' is not a string, logical, integer, real or complex number`);
}

function parseStringValue(field: string): ValueField {
  let value = '';
  let i = 1;
  for (;;) {
    const quote = field.indexOf("'", i);
    if (quote < 0) throw new CardSyntaxError(`string value ${field.trimEnd()} has no closing quote`);
    value += field.slice(i, quote);
    if (field[quote + 1] === "'") {
      value += "'";
      i = quote + 2;
      continue;
    }
    i = quote + 1;
    break;
  }
  const rest = field.slice(i).trim();
  if (rest !== '' && !rest.startsWith('/')) {
    throw new CardSyntaxError(`unexpected text '${rest}' after the string value`);
  }
  // Trailing blanks in a string value are not significant (Standard 4.2.1.1).
  return { value: value.trimEnd(), comment: rest.slice(1).trim() };
}

/** Format a number as FITS writes it: integers plainly, reals always with `.` or `E`. */
export function formatNumber(value: number, isReal: boolean): string {
  if (!Number.isFinite(value)) throw new CardSyntaxError(`${value} cannot be written in a FITS header`);
  if (!isReal && Number.isInteger(value)) return value.toFixed(0);
  let text = String(value).toUpperCase();
  const e = text.indexOf('E');
  let mantissa = e < 0 ? text : text.slice(0, e);
  if (!mantissa.includes('.')) mantissa += '.0';
  if (e >= 0) {
    const exponent = Number(text.slice(e + 1));
    text = `${mantissa}E${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  } else {
    text = mantissa;
  }
  return text;
}

function quoteString(value: string): string {
  return `'${value.replaceAll("'", "''").padEnd(8, ' ')}'`;
}

/**
 * Format a card as one or more 80-character lines (more than one for long strings, which use
 * CONTINUE). Numbers and logicals are right-justified to column 30 and strings start in
 * column 11, the fixed format the standard requires of mandatory keywords.
 */
export function formatCard(card: Card): string[] {
  const { keyword, value, comment } = card;
  if (value === undefined) {
    if (COMMENTARY_KEYWORDS.has(keyword) || keyword === 'CONTINUE') {
      return [`${keyword.padEnd(8)}${comment}`.slice(0, 80).padEnd(80)];
    }
    return [fitLine(`${keywordPrefix(keyword)}`, '', comment)];
  }
  const prefix = keywordPrefix(keyword);
  if (typeof value === 'string' && card.rawValue === undefined)
    return formatStringCard(prefix, value, comment);
  const valueText =
    card.rawValue ??
    (typeof value === 'boolean'
      ? value
        ? 'T'
        : 'F'
      : typeof value === 'number'
        ? formatNumber(value, card.isReal === true)
        : value);
  const padded = prefix.length === 10 ? valueText.padStart(20) : valueText;
  return [fitLine(prefix, padded, comment)];
}

function keywordPrefix(keyword: string): string {
  if (KEYWORD_PATTERN.test(keyword)) return `${keyword.padEnd(8)}= `;
  return `HIERARCH ${keyword} = `;
}

function fitLine(prefix: string, valueText: string, comment: string): string {
  const line = prefix + valueText;
  if (line.length > 80) throw new CardSyntaxError(`card '${line.trimEnd()}' is longer than 80 characters`);
  // A comment cut to a few letters says nothing; drop it rather than write "/ a".
  const room = 80 - line.length - 3;
  const withComment = comment === '' || room < Math.min(comment.length, 16) ? line : `${line} / ${comment}`;
  return withComment.slice(0, 80).padEnd(80);
}

function formatStringCard(prefix: string, value: string, comment: string): string[] {
  const whole = quoteString(value);
  // Padded to column 30 like astropy and cfitsio, so a reader that re-formats the card (astropy
  // does when it verifies CHECKSUM) reproduces these exact bytes.
  if (prefix.length + whole.length <= 80)
    return [fitLine(prefix, prefix.length === 10 ? whole.padEnd(20) : whole, comment)];
  // CONTINUE long-string convention: each piece ends in '&' inside the quotes.
  const lines: string[] = [];
  let rest = value;
  let first = true;
  while (rest !== '') {
    const lead = first ? prefix : 'CONTINUE  ';
    const room = 80 - lead.length - 2; // two quotes
    let take = 0;
    let width = 0;
    while (take < rest.length) {
      const w = rest[take] === "'" ? 2 : 1;
      if (width + w > room - 1) break; // leave room for '&'
      width += w;
      take += 1;
    }
    const piece = rest.slice(0, take);
    rest = rest.slice(take);
    const body = piece.replaceAll("'", "''") + (rest === '' ? '' : '&');
    lines.push(`${lead}'${body}'`.padEnd(80));
    first = false;
  }
  if (comment !== '') {
    const last = lines.length - 1;
    const lastLine = lines[last]!.trimEnd();
    if (lastLine.length + 3 + comment.length <= 80) lines[last] = `${lastLine} / ${comment}`.padEnd(80);
    else lines.push(`CONTINUE  '' / ${comment}`.slice(0, 80).padEnd(80));
  }
  return lines;
}
