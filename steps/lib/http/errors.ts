/** Errors of the retrying HTTP client: what failed, at which URL, after how many attempts. */

/** Why a request failed. `status`: an HTTP status; `network`: the connection broke; `timeout`. */
export type HttpFailureKind = 'status' | 'network' | 'timeout' | 'content';

/**
 * A request that failed for good (after its retries, or at once for a non-transient status).
 * The message names the URL and the last cause; `attempts` counts every try made.
 */
export class HttpFetchError extends Error {
  readonly url: string;
  readonly kind: HttpFailureKind;
  /** The HTTP status of the last response, when there was one. */
  readonly status: number | undefined;
  readonly attempts: number;
  /** The cause alone, without the URL and attempt count. */
  readonly detail: string;

  constructor(
    url: string,
    kind: HttpFailureKind,
    detail: string,
    options: { status?: number; attempts: number; cause?: unknown },
  ) {
    const tries = options.attempts === 1 ? '1 attempt' : `${options.attempts} attempts`;
    super(`${detail} (${tries}) from ${url}`, { cause: options.cause });
    this.name = 'HttpFetchError';
    this.url = url;
    this.kind = kind;
    this.status = options.status;
    this.attempts = options.attempts;
    this.detail = detail;
  }
}

/**
 * Thrown by a response check (`FetchOptions.check`) to reject a body. `retryable` says whether
 * asking again may help (a body cut short) or not (an HTML error page served with status 200).
 */
export class ResponseContentError extends Error {
  readonly retryable: boolean;
  constructor(message: string, retryable: boolean) {
    super(message);
    this.name = 'ResponseContentError';
    this.retryable = retryable;
  }
}
