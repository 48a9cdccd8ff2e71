/**
 * Carrying the WCS of an input image over to a map derived from it (probability maps, label
 * maps), so the derived FITS opens aligned in DS9 and astropy.
 */
import type { CardInit, Header } from '../fits/index.js';

const WCS_KEYWORD =
  /^(WCSAXES|CTYPE\d|CUNIT\d|CRPIX\d|CRVAL\d|CDELT\d|CROTA\d|CD\d_\d|PC\d_\d|PV\d_\d+|RADESYS|EQUINOX|LONPOLE|LATPOLE|MJD-OBS|DATE-OBS)$/;

/** The WCS (and observation date) cards of a header, to copy onto a map derived from it. */
export function wcsCards(header: Header): CardInit[] {
  return header.cards
    .filter((card) => WCS_KEYWORD.test(card.keyword) && card.value !== undefined)
    .map((card) => ({
      keyword: card.keyword,
      value: card.value!,
      comment: card.comment,
      ...(card.isReal === true ? { real: true } : {}),
    }));
}
