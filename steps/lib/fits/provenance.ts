/**
 * Provenance keywords: every FITS file a step writes says which step, version, cache key and
 * recipe made it, so a file found on disk leads back to its recipe.
 */
import type { CardInit, Header } from './header.js';

/** Who made a file. */
export interface Provenance {
  /** Registered step name, e.g. `difference`. */
  readonly step: string;
  /** Step version. */
  readonly version: string | number;
  /** Step id in the recipe, e.g. `diff` (matrix entries as `traverse[direction=tuf]`). */
  readonly id?: string;
  /** Cache key of the step run (hex). */
  readonly key?: string;
  /** Recipe name. */
  readonly recipe?: string;
}

/** Keywords written for each field (all within 8 characters, so no HIERARCH is needed). */
export const PROVENANCE_KEYWORDS = {
  step: 'ASTSTEP',
  version: 'ASTVERS',
  id: 'ASTID',
  key: 'ASTKEY',
  recipe: 'ASTRECIP',
} as const;

/**
 * Cards for a provenance record; long values (a 64-character key, a long id) are written with
 * the CONTINUE convention by the writer. No timestamp, so identical runs write identical bytes.
 *
 * @example
 * writeFits(out, [{ data: image, cards: [...wcsCards, ...provenanceCards({ step: 'difference', version: 1, key })] }]);
 */
export function provenanceCards(provenance: Provenance): CardInit[] {
  const cards: CardInit[] = [
    { keyword: 'ASTSTEP', value: provenance.step, comment: 'asterism step that wrote this file' },
    { keyword: 'ASTVERS', value: String(provenance.version), comment: 'version of that step' },
  ];
  if (provenance.id !== undefined)
    cards.push({ keyword: 'ASTID', value: provenance.id, comment: 'step id in the recipe' });
  if (provenance.key !== undefined)
    cards.push({ keyword: 'ASTKEY', value: provenance.key, comment: 'asterism cache key' });
  if (provenance.recipe !== undefined)
    cards.push({ keyword: 'ASTRECIP', value: provenance.recipe, comment: 'recipe name' });
  return cards;
}

/** The provenance record of a header, if it has one. */
export function readProvenance(header: Header): Provenance | undefined {
  const step = header.getString('ASTSTEP');
  const version = header.get('ASTVERS');
  if (step === undefined || version === undefined || typeof version === 'boolean') return undefined;
  const optional = (keyword: string): string | undefined => header.getString(keyword);
  const id = optional('ASTID');
  const key = optional('ASTKEY');
  const recipe = optional('ASTRECIP');
  return {
    step,
    version,
    ...(id === undefined ? {} : { id }),
    ...(key === undefined ? {} : { key }),
    ...(recipe === undefined ? {} : { recipe }),
  };
}
