/** Reading just a header. */
import type { Header } from './header.js';
import { type HduSelector, withFits } from './reader.js';

/** The header of one HDU (default: the primary), reading no data at all. */
export function readFitsHeader(path: string, hdu: HduSelector = 0): Header {
  return withFits(path, (reader) => reader.hdu(hdu).header);
}
