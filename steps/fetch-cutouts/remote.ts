/** Fetching one position's cutout from a remote service, checked to be a FITS image. */
import {
  checkFitsBody,
  type FitsBody,
  fetchWithRetry,
  HttpFetchError,
  type RetryOptions,
} from '../lib/http/index.js';
import type { SkyPosition } from './positions.js';
import {
  type CutoutRequest,
  hips2fitsUrl,
  legacyUrl,
  parsePs1Filenames,
  ps1FilenamesUrl,
  ps1FitscutUrl,
} from './services.js';

export type RemoteSource = 'ps1' | 'legacy' | 'hips2fits';

/** A cutout that arrived and parsed. */
export interface FetchedCutout {
  readonly url: string;
  readonly fits: FitsBody;
  /** Requests made for this position, retries and the PS1 filename lookup included. */
  readonly attempts: number;
}

/** A position that could not be fetched: the URL that failed and why. */
export class CutoutFetchError extends Error {
  readonly url: string;
  readonly attempts: number;
  constructor(url: string, reason: string, attempts: number, cause?: unknown) {
    super(reason, { cause });
    this.name = 'CutoutFetchError';
    this.url = url;
    this.attempts = attempts;
  }
}

/**
 * Fetch and check the cutout at `position`. Throws `CutoutFetchError` (URL, reason) when the
 * service fails for good, and the abort reason when the run is cancelled.
 */
export async function fetchCutout(
  source: RemoteSource,
  request: CutoutRequest,
  position: SkyPosition,
  retry: RetryOptions,
  scratchDir: string,
): Promise<FetchedCutout> {
  let attempts = 0;
  const getFits = async (url: string): Promise<FetchedCutout> => {
    const result = await fetchWithRetry(
      url,
      (body, contentType) => checkFitsBody(body, contentType, scratchDir, position.name),
      retry,
    );
    return { url, fits: result.value, attempts: attempts + result.attempts };
  };
  let url = '';
  try {
    if (source === 'ps1') {
      url = ps1FilenamesUrl(request, position);
      const lookup = await fetchWithRetry(url, (body) => parsePs1Filenames(body, request.band), retry);
      attempts += lookup.attempts;
      if (lookup.value === undefined) {
        throw new CutoutFetchError(
          url,
          `no PS1 stack image in band ${request.band} covers this position (3π covers dec > −30°)`,
          attempts,
        );
      }
      url = ps1FitscutUrl(request, position, lookup.value);
    } else {
      url = source === 'legacy' ? legacyUrl(request, position) : hips2fitsUrl(request, position);
    }
    return await getFits(url);
  } catch (error) {
    if (error instanceof HttpFetchError) {
      throw new CutoutFetchError(error.url, error.detail, attempts + error.attempts, error);
    }
    throw error;
  }
}
