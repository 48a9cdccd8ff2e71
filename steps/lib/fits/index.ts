/**
 * FITS for asterism steps: read and write images, binary tables and tile-compressed images,
 * with headers, checksums and provenance. All I/O is synchronous and reads lazily.
 *
 * Science code sees images as the canonical `Image` (float64, row-major, numpy order: FITS
 * pixel (1, 1) is `data[0]`, NAXIS1 is the width).
 */
export type { FitsArrayData } from './array-mode.js';
export { type FitsArray, type ReadArrayOptions, readArrayFrom, readFitsArray } from './array-read.js';
export type { Card, FitsValue } from './card.js';
export { ditherSequence } from './compressed-read.js';
export { describeLocation, FitsError, type FitsLocation } from './errors.js';
export { type CardInit, Header } from './header.js';
export { readFitsHeader } from './header-read.js';
export type { Bitpix, ImageData, PixelArray } from './image-encode.js';
export type { ImageHduSpec } from './image-plan.js';
export {
  defaultImageHdu,
  type FitsImage,
  type ImageArray,
  type ReadImageOptions,
  readFitsImage,
  readImageArray,
  readImageFrom,
} from './image-read.js';
export { PROVENANCE_KEYWORDS, type Provenance, provenanceCards, readProvenance } from './provenance.js';
export { type RawImage, readFitsRaw } from './raw-read.js';
export { FitsReader, type HduInfo, type HduKind, type HduSelector, withFits } from './reader.js';
export type { ColumnSpec, TableHduSpec } from './table-plan.js';
export {
  type ColumnValues,
  type FitsTable,
  readFitsTable,
  readTableFrom,
  type TableColumn,
  tableColumn,
} from './table-read.js';
export { type ChecksumState, type HduChecksums, verifyChecksums } from './verify.js';
export { type HduSpec, type WriteFitsOptions, writeFits } from './write.js';
