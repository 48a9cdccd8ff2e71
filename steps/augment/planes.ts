/** Reading the image planes of a field file (all 2-D image HDUs of the frame's size). */
import { type Header, readImageFrom, withFits } from '../lib/fits/index.js';
import type { Image } from '../lib/image/types.js';

/** One image plane with its EXTNAME (`PRIMARY` for the primary HDU) and header. */
export interface Plane {
  readonly name: string;
  readonly image: Image;
  readonly header: Header;
}

/**
 * The 2-D image HDUs of a file that share the size of its first image (e.g. DIFF and SCORR of a
 * `difference` file; its PSF_D stamp and MASK are left out: the stamp is no frame and the mask is
 * the `masks` input's business).
 */
export function readPlanes(path: string, only: readonly string[] | undefined): Plane[] {
  return withFits(path, (reader) => {
    const planes: Plane[] = [];
    for (const info of reader.hdus()) {
      if ((info.kind !== 'image' && info.kind !== 'compressed-image') || info.axes.length !== 2) continue;
      const name = info.extname ?? (info.index === 0 ? 'PRIMARY' : `HDU${info.index}`);
      if (name === 'MASK' || name === 'PSF_D') continue;
      if (only !== undefined && !only.includes(name)) continue;
      const { image, header } = readImageFrom(reader, { hdu: info.index });
      const first = planes[0];
      if (first !== undefined && (image.width !== first.image.width || image.height !== first.image.height))
        continue;
      planes.push({ name, image, header });
    }
    return planes;
  });
}
