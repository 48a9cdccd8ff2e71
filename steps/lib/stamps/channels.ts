/**
 * Network input channels for real/bogus models. A channel is one of the difference products
 * (`DIFF`, `SCORR`: extensions of the difference step's file) or one epoch (`science`,
 * `reference`: the image sets that were differenced), as real/bogus models use the triplet of
 * new, reference and difference. Each channel is read for the whole field and scaled with
 * `normalizeChannel` (median/MAD, asinh), then interleaved channel-last (NHWC) as float32.
 */
import { type FitsImage, readFitsImage } from '../fits/index.js';
import { normalizeChannel } from './normalize.js';

/** The channels a model may take. */
export const CHANNEL_NAMES = ['DIFF', 'SCORR', 'science', 'reference'] as const;
export type ChannelName = (typeof CHANNEL_NAMES)[number];

/** The files of one field. */
export interface FieldSources {
  readonly field: string;
  /** The difference step's file (extensions DIFF and SCORR). */
  readonly difference: string;
  readonly science?: string;
  readonly reference?: string;
}

/** A channel that cannot be read, or images of different sizes. */
export class ChannelError extends Error {
  readonly file: string | undefined;
  constructor(message: string, file?: string) {
    super(message);
    this.name = 'ChannelError';
    this.file = file;
  }
}

/** One field's normalised, interleaved input and the header to copy the WCS from. */
export interface FieldInput {
  readonly field: string;
  readonly width: number;
  readonly height: number;
  /** NHWC without the batch axis: `data[(y * width + x) * channels + c]`. */
  readonly data: Float32Array;
  readonly channels: number;
  /** Header of the SCORR (or first) image, for WCS. */
  readonly reference: FitsImage;
}

function readChannel(sources: FieldSources, channel: ChannelName): FitsImage {
  if (channel === 'DIFF' || channel === 'SCORR') return readFitsImage(sources.difference, { hdu: channel });
  const path = sources[channel];
  if (path === undefined) {
    throw new ChannelError(`channel \`${channel}\` needs the \`${channel}\` image set, which was not given`);
  }
  return readFitsImage(path);
}

/** Read, scale and interleave the channels of one field. */
export function readFieldInput(sources: FieldSources, channels: readonly ChannelName[]): FieldInput {
  if (channels.length === 0) throw new ChannelError('no input channels were chosen');
  const images = channels.map((c) => readChannel(sources, c));
  const first = images[0]!.image;
  const { width, height } = first;
  images.forEach((img, k) => {
    if (img.image.width !== width || img.image.height !== height) {
      throw new ChannelError(
        `field \`${sources.field}\`: channel ${channels[k]} is ${img.image.width}×${img.image.height} but ${channels[0]} is ${width}×${height}`,
      );
    }
  });
  const data = new Float32Array(width * height * channels.length);
  images.forEach((img, c) => {
    normalizeChannel(img.image.data, data, c, channels.length);
  });
  const scorr = channels.indexOf('SCORR');
  return {
    field: sources.field,
    width,
    height,
    data,
    channels: channels.length,
    reference: images[Math.max(0, scorr)]!,
  };
}
