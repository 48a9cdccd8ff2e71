/** Tile-compressed images (stub, replaced below). */
import { FitsError } from './errors.js';
import type { Header } from './header.js';
import type { ImageArray } from './image-read.js';
import type { FitsReader, HduInfo } from './reader.js';

export function readCompressedImage(
  _reader: FitsReader,
  info: HduInfo,
): { array: ImageArray; header: Header } {
  throw new FitsError(
    info.location,
    'tile-compressed images are not supported yet',
    'Run `funpack FILE` first',
  );
}
