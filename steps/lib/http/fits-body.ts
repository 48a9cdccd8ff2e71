/**
 * Checking that a downloaded body is a whole FITS image before anything is written: services
 * answer errors as HTML pages with status 200, and a connection cut short leaves a truncated
 * body. Either is rejected with a message saying what arrived.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FitsError, type Header, readFitsImage } from '../fits/index.js';
import type { Image } from '../image/types.js';
import { ResponseContentError } from './errors.js';
import { textSnippet } from './fetch-retry.js';

/** FITS files start with this card (FITS 4.0 §4.4.1.1: `SIMPLE` then `=` in column 9). */
const SIGNATURE = 'SIMPLE  =';
const BLOCK = 2880;

/** A checked FITS body: its first image and that image's header. */
export interface FitsBody {
  readonly image: Image;
  readonly header: Header;
  readonly bytes: number;
}

/**
 * Parse `body` as FITS with our reader (through a scratch file in `scratchDir`, removed after).
 * Not FITS at all → non-retryable error; a body cut short → retryable (asking again may help).
 */
export function checkFitsBody(
  body: Buffer,
  contentType: string | undefined,
  scratchDir: string,
  tag: string,
): FitsBody {
  if (body.length < SIGNATURE.length || body.toString('latin1', 0, SIGNATURE.length) !== SIGNATURE) {
    const what =
      body.length === 0 ? 'an empty body' : `${contentType ?? 'unknown content'}: ${textSnippet(body, 80)}`;
    throw new ResponseContentError(`expected a FITS file, got ${what}`, false);
  }
  if (body.length % BLOCK !== 0) {
    throw new ResponseContentError(
      `the FITS body is truncated: ${body.length} bytes is not a whole number of 2880-byte blocks`,
      true,
    );
  }
  const scratch = join(scratchDir, `${tag}.download.fits`);
  writeFileSync(scratch, body);
  try {
    const { image, header } = readFitsImage(scratch);
    if (image.width === 0 || image.height === 0) {
      throw new ResponseContentError('the FITS body holds no image data', false);
    }
    return { image, header, bytes: body.length };
  } catch (error) {
    if (error instanceof FitsError) {
      // The reader names the scratch file; the URL is what the user can act on.
      const reason = error.problem;
      throw new ResponseContentError(`not a readable FITS image: ${reason}`, /truncated/.test(reason));
    }
    throw error;
  } finally {
    rmSync(scratch, { force: true });
  }
}
