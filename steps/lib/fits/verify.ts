/**
 * Checking DATASUM and CHECKSUM (FITS checksum convention): DATASUM must equal the ones'-complement
 * sum of the data unit (padding included), and the whole HDU must sum to −0 (all ones).
 */
import { BLOCK_LENGTH } from './card.js';
import { RunningChecksum } from './checksum.js';
import { type FitsReader, withFits } from './reader.js';

export type ChecksumState = 'ok' | 'bad' | 'absent';

export interface HduChecksums {
  readonly hdu: number;
  readonly extname: string | undefined;
  readonly datasum: ChecksumState;
  readonly checksum: ChecksumState;
}

const CHUNK = 1 << 22;

/** Verify DATASUM and CHECKSUM of every HDU (reads the whole file, one chunk at a time). */
export function verifyChecksums(path: string): HduChecksums[] {
  return withFits(path, (reader) =>
    reader.hdus().map((info) => {
      const dataEnd = Math.min(
        reader.size,
        info.dataOffset + Math.ceil(info.dataBytes / BLOCK_LENGTH) * BLOCK_LENGTH,
      );
      const dataSum = sumRange(reader, info.dataOffset, dataEnd, info.location);
      const headerSum = sumRange(reader, info.headerOffset, info.dataOffset, info.location);
      const declared = info.header.get('DATASUM');
      const datasum: ChecksumState =
        declared === undefined ? 'absent' : Number(declared) === dataSum.sum ? 'ok' : 'bad';
      let checksum: ChecksumState = 'absent';
      if (info.header.has('CHECKSUM')) {
        const total = new RunningChecksum();
        total.add(headerSum.sum);
        total.add(dataSum.sum);
        checksum = total.sum === 0xffffffff || total.sum === 0 ? 'ok' : 'bad';
      }
      return { hdu: info.index, extname: info.extname, datasum, checksum };
    }),
  );
}

function sumRange(
  reader: FitsReader,
  start: number,
  end: number,
  location: Parameters<FitsReader['readInto']>[4],
): RunningChecksum {
  const running = new RunningChecksum();
  const buffer = Buffer.allocUnsafe(Math.min(CHUNK, Math.max(4, end - start)));
  for (let position = start; position < end; position += buffer.length) {
    const n = Math.min(buffer.length, end - position);
    reader.readInto(buffer, 0, n, position, location);
    running.update(buffer.subarray(0, n));
  }
  return running;
}
