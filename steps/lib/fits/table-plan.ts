/** Header and data plan of a binary table HDU (stub). */
import type { Card } from './card.js';
import { FitsError, type FitsLocation } from './errors.js';
import type { CardInit, Header } from './header.js';
import type { HduPlan } from './image-plan.js';

export interface TableHduSpec {
  readonly type: 'bintable';
  readonly columns: readonly unknown[];
  readonly extname?: string;
  readonly cards?: Iterable<CardInit> | Header;
}

export function planTable(_spec: TableHduSpec, _index: number, location: FitsLocation): HduPlan {
  const cards: Card[] = [];
  void cards;
  throw new FitsError(location, 'binary tables cannot be written yet');
}
