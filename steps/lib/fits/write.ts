/**
 * Writing FITS files: images and binary tables, one or many HDUs, each with DATASUM and
 * CHECKSUM. The file is written to a temporary name beside the target and renamed into place,
 * so a crash never leaves a half-written file under the real name.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { BLOCK_LENGTH } from './card.js';
import { addOnesComplement, encodeChecksum, onesComplementSum, RunningChecksum } from './checksum.js';
import { FitsError, type FitsLocation } from './errors.js';
import { Header } from './header.js';
import { type HduPlan, type ImageHduSpec, planImage } from './image-plan.js';
import { planTable, type TableHduSpec } from './table-plan.js';

/** One HDU to write: an image (the default `type`) or a binary table. */
export type HduSpec = ImageHduSpec | TableHduSpec;

export interface WriteFitsOptions {
  /** Add DATASUM and CHECKSUM to every HDU. @default true */
  readonly checksum?: boolean;
}

/**
 * Write HDUs to `path` atomically. The first spec becomes the primary HDU when it is an image;
 * a table first gets an empty primary HDU in front of it (tables cannot be primary).
 *
 * @example
 * writeFits('diff.fits', [
 *   { data: difference, bitpix: -32, extname: 'DIFF', bunit: 'adu', cards: provenanceCards(p) },
 *   { data: variance, bitpix: -32, extname: 'VAR' },
 * ]);
 */
export function writeFits(path: string, hdus: readonly HduSpec[], options: WriteFitsOptions = {}): void {
  const specs: HduSpec[] = hdus[0] === undefined || hdus[0].type === 'bintable' ? [{}, ...hdus] : [...hdus];
  const plans = specs.map((spec, index) => {
    const location: FitsLocation = {
      file: path,
      hdu: index,
      ...(spec.extname === undefined ? {} : { extname: spec.extname }),
    };
    return spec.type === 'bintable'
      ? planTable(spec, index, location)
      : planImage(spec, index, specs.length > 1, location);
  });
  const temporary = join(
    dirname(path),
    `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
  let fd: number;
  try {
    fd = openSync(temporary, 'wx');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new FitsError(
      { file: path },
      `cannot create the file (${code})`,
      'Check that the folder exists and is writable',
      {
        cause: error,
      },
    );
  }
  try {
    let position = 0;
    for (const plan of plans) position = writeHdu(fd, position, plan, options.checksum ?? true);
    fsyncSync(fd);
    closeSync(fd);
    fd = -1;
    renameSync(temporary, path);
  } catch (error) {
    if (fd >= 0) closeSync(fd);
    rmSync(temporary, { force: true });
    throw error;
  }
}

/** Write one HDU at `position`; returns where the next one starts. */
function writeHdu(fd: number, position: number, plan: HduPlan, withChecksum: boolean): number {
  const header = new Header(plan.cards);
  if (header.toLines().some((line) => line.startsWith('CONTINUE')) && !header.has('LONGSTRN')) {
    // fitsverify warns about CONTINUE cards without this declaration (HEASARC long-string convention).
    header.set('LONGSTRN', 'OGIP 1.0', 'The HEASARC Long String Convention may be used');
  }
  if (withChecksum) {
    header.set('CHECKSUM', '0000000000000000', 'HDU checksum');
    header.set('DATASUM', '0', 'data unit checksum');
  }
  const headerBytes = padBlock(header.toLines().length * 80 + 80);
  const dataPosition = position + headerBytes;
  const running = new RunningChecksum();
  let written = 0;
  for (const chunk of plan.chunks()) {
    writeAll(fd, chunk, dataPosition + written);
    if (withChecksum) running.update(chunk);
    written += chunk.length;
  }
  if (written !== plan.dataBytes)
    throw new Error(`internal: wrote ${written} data bytes, planned ${plan.dataBytes}`);
  const padding = padBlock(written) - written;
  if (padding > 0) writeAll(fd, new Uint8Array(padding), dataPosition + written);
  if (withChecksum) {
    const dataSum = running.sum;
    header.set('DATASUM', String(dataSum));
    const zeroed = encodeHeader(header);
    const hduSum = addOnesComplement(onesComplementSum(zeroed), dataSum);
    header.set('CHECKSUM', encodeChecksum(hduSum));
  }
  const encoded = encodeHeader(header);
  if (encoded.length !== headerBytes) throw new Error('internal: header size changed while checksumming');
  writeAll(fd, encoded, position);
  return dataPosition + written + padding;
}

/** Header cards, END, blank padding to a whole block, as bytes. */
export function encodeHeader(header: Header): Buffer {
  const lines = header.toLines();
  lines.push('END'.padEnd(80));
  const text = lines.join('');
  return Buffer.from(text.padEnd(padBlock(text.length), ' '), 'latin1');
}

function padBlock(bytes: number): number {
  return Math.ceil(bytes / BLOCK_LENGTH) * BLOCK_LENGTH;
}

function writeAll(fd: number, bytes: Uint8Array, position: number): void {
  for (let done = 0; done < bytes.length; ) {
    done += writeSync(fd, bytes, done, bytes.length - done, position + done);
  }
}
