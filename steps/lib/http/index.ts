/** A small retrying HTTP client for data services (cutout servers, JSOC exports). */
export { type HttpFailureKind, HttpFetchError, ResponseContentError } from './errors.js';
export {
  type FetchResult,
  fetchWithRetry,
  parseRetryAfter,
  type RetryEvent,
  type RetryOptions,
  textSnippet,
} from './fetch-retry.js';
export { checkFitsBody, type FitsBody } from './fits-body.js';
export { createRateLimitedQueue, type RateLimitOptions } from './rate-limit.js';
export { allSettledOrThrow } from './settle.js';
