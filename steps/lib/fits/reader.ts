/**
 * Lazy access to the HDUs of a FITS file: headers are read block by block and data units are
 * skipped with a seek, so asking for HDU 3 reads three headers and nothing else.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { BLOCK_LENGTH, CARD_LENGTH } from './card.js';
import { FitsError, type FitsLocation } from './errors.js';
import { Header } from './header.js';

/** What an HDU holds. `table` is an ASCII table, which this library does not decode. */
export type HduKind = 'image' | 'bintable' | 'compressed-image' | 'table' | 'other';

/** One HDU, its header parsed and its data located but not read. */
export interface HduInfo {
  /** 0-based; 0 is the primary HDU. */
  readonly index: number;
  readonly kind: HduKind;
  readonly extname: string | undefined;
  readonly header: Header;
  readonly bitpix: number;
  /** NAXIS1, NAXIS2, ... (FITS order: fastest-varying axis first). */
  readonly axes: readonly number[];
  /** Byte offset of the header's first card. */
  readonly headerOffset: number;
  /** Byte offset of the data unit. */
  readonly dataOffset: number;
  /** Bytes of data, heap included, padding excluded. */
  readonly dataBytes: number;
  /** Where to report problems with this HDU. */
  readonly location: FitsLocation;
}

/** Which HDU to read: a 0-based index or an EXTNAME (case-insensitive, optionally with EXTVER). */
export type HduSelector = number | string | { readonly extname: string; readonly extver?: number };

const VALID_BITPIX: ReadonlySet<number> = new Set([8, 16, 32, 64, -32, -64]);

/** An open FITS file. Close it when done, or use `withFits`. */
export class FitsReader {
  readonly path: string;
  readonly size: number;
  #fd: number;
  #hdus: HduInfo[] = [];
  #nextOffset = 0;
  #complete = false;

  private constructor(path: string, fd: number, size: number) {
    this.path = path;
    this.#fd = fd;
    this.size = size;
  }

  /** Open a file and check that it starts like FITS. */
  static open(path: string): FitsReader {
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      throw new FitsError(
        { file: path },
        `cannot open the file (${code})`,
        'Check the path and its permissions',
        {
          cause: error,
        },
      );
    }
    const reader = new FitsReader(path, fd, fstatSync(fd).size);
    try {
      reader.#checkSignature();
    } catch (error) {
      reader.close();
      throw error;
    }
    return reader;
  }

  close(): void {
    if (this.#fd >= 0) closeSync(this.#fd);
    this.#fd = -1;
  }

  /** The HDU at an index or with an EXTNAME; reads headers only up to it. */
  hdu(selector: HduSelector): HduInfo {
    if (typeof selector === 'number') {
      if (!Number.isInteger(selector) || selector < 0) {
        throw new FitsError({ file: this.path }, `HDU index ${selector} is not a non-negative integer`);
      }
      while (this.#hdus.length <= selector && this.#scanNext()) {
        /* keep scanning */
      }
      const found = this.#hdus[selector];
      if (found === undefined) {
        throw new FitsError(
          { file: this.path },
          `there is no HDU ${selector}; the file has ${this.#hdus.length} (0 to ${this.#hdus.length - 1})`,
          'List them with `asterism fits info FILE`',
        );
      }
      return found;
    }
    const name = (typeof selector === 'string' ? selector : selector.extname).trim().toUpperCase();
    const version = typeof selector === 'string' ? undefined : selector.extver;
    const matches = (info: HduInfo): boolean =>
      info.extname?.toUpperCase() === name &&
      (version === undefined || (info.header.getInteger('EXTVER') ?? 1) === version);
    for (let i = 0; ; i++) {
      const info = this.#hdus[i] ?? (this.#scanNext() ? this.#hdus[i] : undefined);
      if (info === undefined) break;
      if (matches(info)) return info;
    }
    const names = this.#hdus.map((h) => h.extname).filter((n) => n !== undefined);
    throw new FitsError(
      { file: this.path },
      `there is no HDU with EXTNAME '${name}'${version === undefined ? '' : ` and EXTVER ${version}`}`,
      names.length === 0
        ? 'No HDU of this file has an EXTNAME; select one by index'
        : `Names present: ${names.join(', ')}`,
    );
  }

  /** Every HDU (reads all headers, no data). */
  hdus(): readonly HduInfo[] {
    while (this.#scanNext()) {
      /* keep scanning */
    }
    return this.#hdus;
  }

  /** Read `length` bytes at `position` into `target` (at `targetOffset`), failing on a short read. */
  readInto(
    target: Uint8Array,
    targetOffset: number,
    length: number,
    position: number,
    location: FitsLocation,
  ): void {
    let done = 0;
    while (done < length) {
      const n = readSync(this.#fd, target, targetOffset + done, length - done, position + done);
      if (n === 0) {
        throw new FitsError(
          location,
          `the file is truncated: needed bytes ${position} to ${position + length} but it ends at ${this.size}`,
          'The file was cut short (interrupted copy or write); get a complete copy',
        );
      }
      done += n;
    }
  }

  /** Read a byte range into a new buffer. */
  readBytes(position: number, length: number, location: FitsLocation): Buffer {
    const buffer = Buffer.allocUnsafe(length);
    this.readInto(buffer, 0, length, position, location);
    return buffer;
  }

  #checkSignature(): void {
    const head = Buffer.alloc(Math.min(30, this.size));
    if (head.length > 0) readSync(this.#fd, head, 0, head.length, 0);
    const text = head.toString('latin1');
    if (!/^SIMPLE {2}=\s+T$/.test(text)) {
      const shown = JSON.stringify(text.replace(/[^\x20-\x7e]/g, '.').slice(0, 20));
      throw new FitsError(
        { file: this.path },
        this.size === 0
          ? 'not a FITS file: it is empty'
          : `not a FITS file: it must start with 'SIMPLE  =                    T' but starts with ${shown}`,
        'Check that the path names a FITS image or table (.fits, .fit, .fts, .fz)',
      );
    }
  }

  /** Parse the next HDU's header; false at the end of the file. */
  #scanNext(): boolean {
    if (this.#complete) return false;
    const offset = this.#nextOffset;
    const index = this.#hdus.length;
    if (offset >= this.size || (index > 0 && !this.#startsWithXtension(offset))) {
      this.#complete = true;
      return false;
    }
    const provisional: FitsLocation = { file: this.path, hdu: index };
    const text = this.#readHeaderText(offset, provisional);
    const extname = headerExtname(text);
    const location: FitsLocation = extname === undefined ? provisional : { ...provisional, extname };
    const header = Header.parse(text, location);
    const info = describeHdu(index, header, offset, offset + roundUp(text.length + CARD_LENGTH), location);
    this.#hdus.push(info);
    this.#nextOffset = info.dataOffset + roundUp(info.dataBytes);
    if (info.dataOffset + info.dataBytes > this.size) {
      throw new FitsError(
        location,
        `the file is truncated: the data unit needs ${info.dataBytes} bytes from offset ${info.dataOffset} but the file ends at ${this.size}`,
        'The file was cut short (interrupted copy or write); get a complete copy',
      );
    }
    return true;
  }

  #startsWithXtension(offset: number): boolean {
    const head = Buffer.alloc(Math.min(10, this.size - offset));
    readSync(this.#fd, head, 0, head.length, offset);
    return head.toString('latin1') === 'XTENSION= ';
  }

  /** Header text up to (not including) the END card. */
  #readHeaderText(offset: number, location: FitsLocation): string {
    const block = Buffer.allocUnsafe(BLOCK_LENGTH);
    let text = '';
    for (let position = offset; ; position += BLOCK_LENGTH) {
      const n = readSync(this.#fd, block, 0, BLOCK_LENGTH, position);
      if (n < BLOCK_LENGTH) {
        throw new FitsError(
          location,
          `the file is truncated: the header starting at byte ${offset} has no END card before the file ends at ${this.size}`,
          'The file was cut short (interrupted copy or write); get a complete copy',
        );
      }
      const chunk = block.toString('latin1');
      for (let card = 0; card < BLOCK_LENGTH; card += CARD_LENGTH) {
        if (chunk.startsWith('END', card) && chunk.slice(card + 3, card + CARD_LENGTH).trim() === '') {
          return text + chunk.slice(0, card);
        }
      }
      text += chunk;
    }
  }
}

/** Open a file, run `fn`, and close the file whatever happens. */
export function withFits<T>(path: string, fn: (reader: FitsReader) => T): T {
  const reader = FitsReader.open(path);
  try {
    return fn(reader);
  } finally {
    reader.close();
  }
}

function roundUp(bytes: number): number {
  return Math.ceil(bytes / BLOCK_LENGTH) * BLOCK_LENGTH;
}

/** EXTNAME from raw header text, before full parsing, so parse errors can name the HDU. */
function headerExtname(text: string): string | undefined {
  for (let card = 0; card < text.length; card += CARD_LENGTH) {
    if (text.startsWith('EXTNAME = ', card)) {
      const match = /^'((?:[^']|'')*)'/.exec(text.slice(card + 10, card + CARD_LENGTH).trimStart());
      return match?.[1]?.replaceAll("''", "'").trimEnd();
    }
  }
  return undefined;
}

function describeHdu(
  index: number,
  header: Header,
  headerOffset: number,
  dataOffset: number,
  location: FitsLocation,
): HduInfo {
  const fail = (problem: string): FitsError =>
    new FitsError(
      location,
      problem,
      'The header does not follow the FITS standard; repair it or re-export the file',
    );
  const first = header.cards[0]?.keyword;
  const expected = index === 0 ? 'SIMPLE' : 'XTENSION';
  if (first !== expected) throw fail(`the first card is ${first ?? 'missing'}, expected ${expected}`);
  const bitpix = header.get('BITPIX');
  if (typeof bitpix !== 'number' || !VALID_BITPIX.has(bitpix)) {
    throw fail(`BITPIX = ${JSON.stringify(bitpix ?? null)} is not one of 8, 16, 32, 64, -32, -64`);
  }
  const naxis = header.get('NAXIS');
  if (typeof naxis !== 'number' || !Number.isInteger(naxis) || naxis < 0 || naxis > 999) {
    throw fail(`NAXIS = ${JSON.stringify(naxis ?? null)} is not an integer from 0 to 999`);
  }
  const axes: number[] = [];
  for (let i = 1; i <= naxis; i++) {
    const n = header.get(`NAXIS${i}`);
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
      throw fail(
        `NAXIS = ${naxis} but NAXIS${i} is ${n === undefined ? 'missing' : JSON.stringify(n)}, expected a non-negative integer`,
      );
    }
    axes.push(n);
  }
  const pcount = header.getInteger('PCOUNT') ?? 0;
  const gcount = header.getInteger('GCOUNT') ?? 1;
  // Random groups (NAXIS1 = 0 with GROUPS = T) leave the first axis out of the size.
  const randomGroups = index === 0 && axes[0] === 0 && header.get('GROUPS') === true;
  const counted = randomGroups ? axes.slice(1) : axes;
  const elements = naxis === 0 ? 0 : counted.reduce((a, b) => a * b, 1);
  const dataBytes = naxis === 0 ? 0 : (Math.abs(bitpix) / 8) * gcount * (pcount + elements);
  const xtension = index === 0 ? 'IMAGE' : String(header.get('XTENSION') ?? '').trim();
  let kind: HduKind = 'other';
  if (xtension === 'IMAGE' && !randomGroups) kind = 'image';
  else if (xtension === 'BINTABLE') kind = header.get('ZIMAGE') === true ? 'compressed-image' : 'bintable';
  else if (xtension === 'TABLE') kind = 'table';
  return {
    index,
    kind,
    extname: header.getString('EXTNAME'),
    header,
    bitpix,
    axes,
    headerOffset,
    dataOffset,
    dataBytes,
    location,
  };
}
