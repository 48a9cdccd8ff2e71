/** Keywords the writer computes itself and never copies from a caller's cards. */
import type { Card } from './card.js';
import { type CardInit, Header } from './header.js';

/** Cards the writer owns: structure, scaling and checksums are computed, never copied. */
export function isReservedKeyword(keyword: string): boolean {
  return (
    /^(SIMPLE|XTENSION|BITPIX|NAXIS\d*|EXTEND|PCOUNT|GCOUNT|GROUPS|BSCALE|BZERO|BLANK|TFIELDS|THEAP|CHECKSUM|DATASUM|END)$/.test(
      keyword,
    ) ||
    /^(TTYPE|TFORM|TUNIT|TSCAL|TZERO|TNULL|TDISP|TDIM)\d+$/.test(keyword) ||
    /^(ZIMAGE|ZBITPIX|ZNAXIS\d*|ZTILE\d+|ZCMPTYPE|ZNAME\d+|ZVAL\d+|ZQUANTIZ|ZDITHER0|ZSIMPLE|ZTENSION|ZEXTEND|ZPCOUNT|ZGCOUNT|ZHECKSUM|ZDATASUM|ZBLANK|ZSCALE|ZZERO)$/.test(
      keyword,
    )
  );
}

/** User cards with the reserved ones removed (so a header read from another file can be passed on). */
export function userCards(
  cards: Iterable<CardInit | Card> | Header | undefined,
  drop: ReadonlySet<string> = new Set(),
): Card[] {
  if (cards === undefined) return [];
  const list = cards instanceof Header ? cards.cards : [...new Header(cards).cards];
  return list.filter((card) => !isReservedKeyword(card.keyword) && !drop.has(card.keyword));
}
