/**
 * Real-to-half-spectrum transforms for ZOGY, on the shared FFT (steps/lib/image/fft.ts) with
 * numpy's `rfft2`/`irfft2` layout: `height` rows of ⌊width/2⌋ + 1 complex values.
 */
import { type InverseRealOptions, irfft2 as irfft2Image, rfft2 as rfft2Image } from '../image/fft.js';
import type { ComplexImage } from '../image/types.js';

/** A half spectrum (numpy `rfft2` layout); `width` is ⌊image width/2⌋ + 1. */
export type HalfSpectrum = ComplexImage;

/** `numpy.fft.rfft2` of a row-major real array, into `out` when given. */
export function rfft2(data: Float64Array, width: number, height: number, out?: HalfSpectrum): HalfSpectrum {
  return rfft2Image({ width, height, data }, out);
}

/**
 * `numpy.fft.irfft2(spectrum, s=(height, width))` as a row-major real array; see
 * {@link InverseRealOptions} for writing into `out` and consuming the spectrum.
 */
export function irfft2(
  spectrum: HalfSpectrum,
  width: number,
  _height: number,
  options: InverseRealOptions = {},
): Float64Array {
  return irfft2Image(spectrum, width, options).data;
}
