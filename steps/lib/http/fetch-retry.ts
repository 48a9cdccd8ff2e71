/**
 * A small retrying HTTP GET for data services: a per-attempt timeout combined with the caller's
 * abort signal, retries with exponential backoff and full jitter on 429, 5xx, broken connections
 * and timeouts, and `Retry-After` honoured. Each attempt can be routed through a scheduler (a
 * rate-limited p-queue) so that retries count against the same rate limit as first tries.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { HttpFetchError, ResponseContentError } from './errors.js';

/** Statuses worth asking again for: the server is busy, rate-limiting, or briefly broken. */
const RETRYABLE_STATUS: ReadonlySet<number> = new Set([408, 425, 429, 500, 502, 503, 504]);

export interface RetryOptions {
  /** Aborts everything (waiting, in-flight request, backoff). */
  readonly signal?: AbortSignal;
  /** Per-attempt limit, milliseconds, covering the headers and the whole body. @default 60000 */
  readonly timeoutMs?: number;
  /** Retries after the first attempt. @default 3 */
  readonly retries?: number;
  /** Backoff before retry k (0-based) is drawn from [0, min(max, base·2^k)] ms. @default 500 */
  readonly backoffMs?: number;
  /** @default 30000 */
  readonly maxBackoffMs?: number;
  /** A `Retry-After` longer than this fails the request rather than stalling the run. @default 120000 */
  readonly maxRetryAfterMs?: number;
  /** Uniform [0, 1) source for the jitter. @default Math.random */
  readonly random?: () => number;
  /** Waits between attempts. @default an abortable timer */
  readonly sleep?: (ms: number, signal: AbortSignal | undefined) => Promise<void>;
  /** Runs each attempt, e.g. `(task) => queue.add(task)` for a rate-limited queue. @default direct */
  readonly schedule?: <T>(task: () => Promise<T>) => Promise<T>;
  /** Called before each retry with what went wrong and how long it waits. */
  readonly onRetry?: (event: RetryEvent) => void;
  /** Request headers. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** One retry about to happen. */
export interface RetryEvent {
  readonly url: string;
  /** The attempt that failed (1-based). */
  readonly attempt: number;
  readonly reason: string;
  readonly delayMs: number;
}

/** A successful response. */
export interface FetchResult<T> {
  readonly url: string;
  readonly status: number;
  readonly contentType: string | undefined;
  readonly value: T;
  readonly attempts: number;
}

/** Outcome of one attempt, before the retry decision. */
type Attempt<T> =
  | { readonly ok: true; readonly result: FetchResult<T> }
  | {
      readonly ok: false;
      readonly retryable: boolean;
      readonly error: HttpFetchError;
      readonly retryAfterMs?: number;
    };

const defaultSleep = async (ms: number, signal: AbortSignal | undefined): Promise<void> => {
  await delay(ms, undefined, signal === undefined ? {} : { signal });
};

/**
 * GET `url` and hand the body to `check`, which returns the parsed value or throws a
 * `ResponseContentError` (retryable or not). Throws `HttpFetchError` when the request fails for
 * good, or the caller's abort reason when `signal` aborts.
 *
 * @example
 * const { value } = await fetchWithRetry(url, (body) => body.toString('utf8'), { retries: 2, timeoutMs: 10_000 });
 */
export async function fetchWithRetry<T>(
  url: string,
  check: (body: Buffer, contentType: string | undefined) => T,
  options: RetryOptions = {},
): Promise<FetchResult<T>> {
  const retries = options.retries ?? 3;
  const schedule = options.schedule ?? (<R>(task: () => Promise<R>) => task());
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  const backoffMs = options.backoffMs ?? 500;
  const maxBackoffMs = options.maxBackoffMs ?? 30_000;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 120_000;
  for (let attempt = 1; ; attempt++) {
    options.signal?.throwIfAborted();
    const outcome = await schedule(() => attemptOnce(url, check, attempt, options));
    if (outcome.ok) return outcome.result;
    if (!outcome.retryable || attempt > retries) throw outcome.error;
    // Full jitter (AWS architecture blog, "Exponential Backoff and Jitter"): spreads clients
    // that failed together so they do not retry in lockstep.
    const ceiling = Math.min(maxBackoffMs, backoffMs * 2 ** (attempt - 1));
    let waitMs = random() * ceiling;
    if (outcome.retryAfterMs !== undefined) {
      if (outcome.retryAfterMs > maxRetryAfterMs) {
        throw new HttpFetchError(
          url,
          outcome.error.kind,
          `${outcome.error.detail}; the service asks to wait ${Math.ceil(outcome.retryAfterMs / 1000)} s (Retry-After), more than the ${Math.round(maxRetryAfterMs / 1000)} s allowed`,
          { ...statusOf(outcome.error), attempts: attempt },
        );
      }
      waitMs = Math.max(waitMs, outcome.retryAfterMs);
    }
    options.onRetry?.({ url, attempt, reason: outcome.error.message, delayMs: waitMs });
    await sleep(waitMs, options.signal);
  }
}

function statusOf(error: HttpFetchError): { status?: number } {
  return error.status === undefined ? {} : { status: error.status };
}

async function attemptOnce<T>(
  url: string,
  check: (body: Buffer, contentType: string | undefined) => T,
  attempt: number,
  options: RetryOptions,
): Promise<Attempt<T>> {
  options.signal?.throwIfAborted();
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 60_000);
  const signal = options.signal === undefined ? timeout : AbortSignal.any([options.signal, timeout]);
  let response: Response;
  let body: Buffer;
  try {
    response = await fetch(url, { signal, ...(options.headers ? { headers: options.headers } : {}) });
    body = Buffer.from(await response.arrayBuffer());
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    if (timeout.aborted) {
      const ms = options.timeoutMs ?? 60_000;
      return {
        ok: false,
        retryable: true,
        error: new HttpFetchError(url, 'timeout', `no complete response within ${ms} ms`, {
          attempts: attempt,
          cause: error,
        }),
      };
    }
    return {
      ok: false,
      retryable: true,
      error: new HttpFetchError(url, 'network', `connection failed: ${describeNetworkError(error)}`, {
        attempts: attempt,
        cause: error,
      }),
    };
  }
  const contentType = response.headers.get('content-type') ?? undefined;
  if (!response.ok) {
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
    const text = textSnippet(body);
    const snippet = text === response.statusText ? '' : text;
    return {
      ok: false,
      retryable: RETRYABLE_STATUS.has(response.status),
      error: new HttpFetchError(
        url,
        'status',
        `HTTP ${response.status} ${response.statusText}${snippet === '' ? '' : `: ${snippet}`}`,
        { status: response.status, attempts: attempt },
      ),
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    };
  }
  try {
    const value = check(body, contentType);
    return { ok: true, result: { url, status: response.status, contentType, value, attempts: attempt } };
  } catch (error) {
    if (!(error instanceof ResponseContentError)) throw error;
    return {
      ok: false,
      retryable: error.retryable,
      error: new HttpFetchError(url, 'content', error.message, {
        status: response.status,
        attempts: attempt,
        cause: error,
      }),
    };
  }
}

/**
 * `Retry-After` as milliseconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3); undefined
 * when absent or unreadable.
 */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The first line of a text body, for messages (an HTML error page says what went wrong). */
export function textSnippet(body: Buffer, max = 120): string {
  const text = body
    .subarray(0, 2000)
    .toString('utf8')
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** undici reports "fetch failed" with the useful code (ECONNREFUSED, ECONNRESET) in `cause`. */
function describeNetworkError(error: unknown): string {
  let current: unknown = error;
  const parts: string[] = [];
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const code = (current as NodeJS.ErrnoException).code;
    parts.push(code === undefined ? current.message : `${code}`);
    current = current.cause;
  }
  const specific = parts.filter((p) => p !== 'fetch failed');
  return specific.length > 0 ? specific[specific.length - 1]! : (parts[0] ?? String(error));
}
