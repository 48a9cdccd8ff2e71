/**
 * Latent vectors on disk: a 2-D FITS image with NAXIS1 = latent dimension and NAXIS2 = count
 * (numpy shape (N, 100)), float64 so that z is kept exactly.
 */
import { type CardInit, readImageArray, withFits, writeFits } from '../fits/index.js';

/** N latent vectors of dimension d, row-major. */
export interface LatentMatrix {
  readonly data: Float64Array;
  readonly rows: number;
  readonly columns: number;
}

/** Read latents written by {@link writeLatents} (or any 2-D image: one row per vector). */
export function readLatents(path: string): LatentMatrix {
  return withFits(path, (reader) => {
    const { axes, data } = readImageArray(reader, 0);
    if (axes.length !== 2) {
      throw new RangeError(
        `${path}: expected a 2-D image (NAXIS1 = latent dimension), got axes [${axes.join(', ')}]`,
      );
    }
    return { data, rows: axes[1] as number, columns: axes[0] as number };
  });
}

/** Write latents as a float64 image. */
export function writeLatents(path: string, latents: LatentMatrix, cards: readonly CardInit[] = []): void {
  writeFits(path, [
    {
      data: { axes: [latents.columns, latents.rows], data: latents.data },
      bitpix: -64,
      cards: [{ keyword: 'CONTENT', value: 'GAN latent vectors z, one per row' }, ...cards],
    },
  ]);
}
