/**
 * Image sets (issue 4's convention): a folder of `<field>.fits`, one file per field, the same
 * field name through every step. Helpers to list one, pair several by field, and carry the WCS
 * of an input image over to a derived map.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { CardInit, Header } from '../fits/index.js';

/** One member of an image set. */
export interface ImageSetMember {
  readonly field: string;
  readonly path: string;
}

/** A folder that is not a usable image set. */
export class ImageSetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImageSetError';
  }
}

/** The `<field>.fits` files of a folder, sorted by field name. */
export async function listImageSet(dir: string): Promise<ImageSetMember[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new ImageSetError(
      `cannot list the image set ${dir} (${code}); expected a folder of <field>.fits files`,
    );
  }
  const members = names
    .filter((n) => n.toLowerCase().endsWith('.fits') && !n.startsWith('.'))
    .map((n) => ({ field: n.slice(0, -'.fits'.length), path: join(dir, n) }))
    .sort((a, b) => (a.field < b.field ? -1 : a.field > b.field ? 1 : 0));
  if (members.length === 0) {
    throw new ImageSetError(`the image set ${dir} holds no .fits files; expected one <field>.fits per field`);
  }
  return members;
}

/** Paths of one field in several image sets, or an error naming the set that lacks it. */
export function memberPath(set: readonly ImageSetMember[], field: string, setName: string): string {
  const member = set.find((m) => m.field === field);
  if (member === undefined) {
    throw new ImageSetError(
      `field \`${field}\` is missing from \`${setName}\` (it has ${set.map((m) => m.field).join(', ')})`,
    );
  }
  return member.path;
}

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
