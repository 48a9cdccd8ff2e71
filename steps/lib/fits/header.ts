/**
 * A FITS header: an ordered list of cards with typed access. Long strings (CONTINUE) are joined
 * when parsed and split again when written, so callers only ever see whole values.
 */
import {
  CARD_LENGTH,
  type Card,
  CardSyntaxError,
  COMMENTARY_KEYWORDS,
  type FitsValue,
  formatCard,
  parseCard,
} from './card.js';
import { FitsError, type FitsLocation } from './errors.js';

/** A card to add: `{ keyword: 'BUNIT', value: 'adu', comment: 'pixel unit' }`. */
export interface CardInit {
  readonly keyword: string;
  readonly value?: FitsValue;
  readonly comment?: string;
  /** Write an integral number as a real (`60.0`), so readers see a float. */
  readonly real?: boolean;
}

/** Keywords whose value may appear more than once and which are never replaced by `set`. */
const REPEATABLE = COMMENTARY_KEYWORDS;

export class Header {
  #cards: Card[];
  /** Where this header came from, for error messages. */
  readonly location: FitsLocation | undefined;

  constructor(cards: Iterable<Card | CardInit> = [], location?: FitsLocation) {
    this.#cards = [];
    this.location = location;
    for (const card of cards) this.#cards.push(toCard(card));
  }

  /**
   * Parse header text (a multiple of 80 characters, END card excluded) into a header.
   * @throws FitsError naming the card number when a card is malformed.
   */
  static parse(text: string, location: FitsLocation): Header {
    const cards: Card[] = [];
    for (let offset = 0, n = 1; offset < text.length; offset += CARD_LENGTH, n++) {
      let card: Card;
      try {
        card = parseCard(text.slice(offset, offset + CARD_LENGTH));
      } catch (error) {
        if (!(error instanceof CardSyntaxError)) throw error;
        const shown = text.slice(offset, offset + CARD_LENGTH).trimEnd();
        throw new FitsError(
          location,
          `header card ${n} is malformed (${error.message}): "${shown}"`,
          'Fix or remove the card (e.g. with astropy or fmodhead) and read the file again',
        );
      }
      const previous = cards.at(-1);
      if (
        card.keyword === 'CONTINUE' &&
        previous !== undefined &&
        typeof previous.value === 'string' &&
        previous.rawValue === undefined &&
        previous.value.endsWith('&')
      ) {
        const piece = typeof card.value === 'string' ? card.value : '';
        const comment = [previous.comment, card.comment].filter((c) => c !== '').join(' ');
        cards[cards.length - 1] = { ...previous, value: previous.value.slice(0, -1) + piece, comment };
        continue;
      }
      if (card.keyword === 'CONTINUE') {
        // A CONTINUE with nothing to continue is kept as commentary, as astropy does.
        cards.push({
          keyword: 'CONTINUE',
          value: undefined,
          comment: text.slice(offset + 8, offset + 80).trimEnd(),
        });
        continue;
      }
      cards.push(card);
    }
    return new Header(cards, location);
  }

  /** All cards in order (CONTINUE pieces already joined). */
  get cards(): readonly Card[] {
    return this.#cards;
  }

  /** A copy whose edits do not affect this header. */
  clone(): Header {
    return new Header(this.#cards, this.location);
  }

  has(keyword: string): boolean {
    return this.#index(keyword) >= 0;
  }

  /** The value of the first card with this keyword, or undefined. */
  get(keyword: string): FitsValue | undefined {
    return this.#cards[this.#index(keyword)]?.value;
  }

  /** The comment of the first card with this keyword. */
  comment(keyword: string): string | undefined {
    return this.#cards[this.#index(keyword)]?.comment;
  }

  getString(keyword: string): string | undefined {
    return this.#typed(keyword, 'string', (v): v is string => typeof v === 'string');
  }

  getNumber(keyword: string): number | undefined {
    return this.#typed(keyword, 'number', (v): v is number => typeof v === 'number');
  }

  getInteger(keyword: string): number | undefined {
    return this.#typed(keyword, 'integer', (v): v is number => typeof v === 'number' && Number.isInteger(v));
  }

  getBoolean(keyword: string): boolean | undefined {
    return this.#typed(keyword, 'logical (T/F)', (v): v is boolean => typeof v === 'boolean');
  }

  /** Like `getInteger` but the keyword must be present. */
  requireInteger(keyword: string): number {
    const value = this.getInteger(keyword);
    if (value === undefined) throw this.#error(`the mandatory keyword ${keyword} is missing`);
    return value;
  }

  /**
   * Set a keyword: replaces the value (and comment, if given) of the first card with this
   * keyword, or appends a new card.
   */
  set(keyword: string, value: FitsValue, comment?: string, options: { real?: boolean } = {}): this {
    const key = normaliseKeyword(keyword);
    const i = REPEATABLE.has(key) ? -1 : this.#index(key);
    const old = this.#cards[i];
    const card: Card = {
      keyword: key,
      value,
      comment: comment ?? old?.comment ?? '',
      ...(options.real === true || (typeof value === 'number' && !Number.isInteger(value))
        ? { isReal: true }
        : {}),
    };
    if (old === undefined) this.#cards.push(card);
    else this.#cards[i] = card;
    return this;
  }

  /** Add cards at the end (or replace, for non-commentary keywords already present). */
  add(cards: Iterable<CardInit | Card>): this {
    for (const init of cards) {
      const card = toCard(init);
      if (card.value === undefined) this.#cards.push(card);
      else this.set(card.keyword, card.value, card.comment, { real: card.isReal === true });
    }
    return this;
  }

  /** Remove every card with this keyword. Returns how many were removed. */
  delete(keyword: string): number {
    const key = normaliseKeyword(keyword);
    const before = this.#cards.length;
    this.#cards = this.#cards.filter((card) => card.keyword !== key);
    return before - this.#cards.length;
  }

  addHistory(text: string): this {
    for (const line of splitCommentary(text))
      this.#cards.push({ keyword: 'HISTORY', value: undefined, comment: line });
    return this;
  }

  addComment(text: string): this {
    for (const line of splitCommentary(text))
      this.#cards.push({ keyword: 'COMMENT', value: undefined, comment: line });
    return this;
  }

  /** Texts of the HISTORY cards, in order. */
  history(): string[] {
    return this.#cards.filter((card) => card.keyword === 'HISTORY').map((card) => card.comment);
  }

  /** Texts of the COMMENT cards, in order. */
  comments(): string[] {
    return this.#cards.filter((card) => card.keyword === 'COMMENT').map((card) => card.comment);
  }

  /** The cards as 80-character lines, CONTINUE cards included, END not included. */
  toLines(): string[] {
    return this.#cards.flatMap((card) => formatCard(card));
  }

  #index(keyword: string): number {
    const key = normaliseKeyword(keyword);
    return this.#cards.findIndex((card) => card.keyword === key);
  }

  #typed<T>(keyword: string, expected: string, test: (v: FitsValue) => v is FitsValue & T): T | undefined {
    const value = this.get(keyword);
    if (value === undefined) return undefined;
    if (!test(value))
      throw this.#error(
        `keyword ${normaliseKeyword(keyword)} = ${JSON.stringify(value)} is not ${article(expected)}`,
      );
    return value as T;
  }

  #error(problem: string): FitsError {
    return new FitsError(
      this.location ?? { file: '(header)' },
      problem,
      'Check the header with `asterism fits info FILE --header`',
    );
  }
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`;
}

function normaliseKeyword(keyword: string): string {
  const trimmed = keyword.trim().replace(/\s+/g, ' ').toUpperCase();
  return trimmed.startsWith('HIERARCH ') ? trimmed.slice(9) : trimmed;
}

function toCard(card: Card | CardInit): Card {
  const full = card as Partial<Card> & CardInit;
  const isReal =
    full.isReal === true ||
    full.real === true ||
    (typeof card.value === 'number' && !Number.isInteger(card.value));
  return {
    keyword: normaliseKeyword(card.keyword),
    value: card.value,
    comment: card.comment ?? '',
    ...(full.rawValue === undefined ? {} : { rawValue: full.rawValue }),
    ...(isReal ? { isReal: true } : {}),
  };
}

/** Commentary text longer than 72 characters goes on several cards. */
function splitCommentary(text: string): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let rest = paragraph;
    do {
      lines.push(rest.slice(0, 72));
      rest = rest.slice(72);
    } while (rest !== '');
  }
  return lines;
}
