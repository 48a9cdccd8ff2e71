import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createRateLimitedQueue,
  fetchWithRetry,
  HttpFetchError,
  parseRetryAfter,
  ResponseContentError,
} from '../../../../../steps/lib/http/index.js';

/** A loopback server answering each path with the next scripted reply (then 200 "done"). */
let server: Server;
let origin = '';
const scripts = new Map<string, Array<(res: ServerResponse) => void>>();
const arrivals: Array<{ path: string; at: number }> = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    arrivals.push({ path: req.url ?? '', at: performance.now() });
    const next = scripts.get(req.url ?? '')?.shift();
    if (next) next(res);
    else res.writeHead(200, { 'content-type': 'text/plain' }).end('done');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const status =
  (code: number, headers: Record<string, string> = {}) =>
  (res: ServerResponse): void => {
    res.writeHead(code, headers).end(`status ${code}`);
  };

/** A sleep that records what it was asked to wait and returns at once. */
function recordingSleep(): { waits: number[]; sleep: (ms: number) => Promise<void> } {
  const waits: number[] = [];
  return { waits, sleep: async (ms) => void waits.push(ms) };
}

const text = (body: Buffer): string => body.toString('utf8');

describe('fetchWithRetry', () => {
  it('retries 5xx with exponential full-jitter backoff, then succeeds', async () => {
    scripts.set('/a', [status(503), status(502), status(500)]);
    const { waits, sleep } = recordingSleep();
    const result = await fetchWithRetry(`${origin}/a`, text, {
      retries: 3,
      backoffMs: 100,
      random: () => 0.5,
      sleep,
    });
    expect(result.value).toBe('done');
    expect(result.attempts).toBe(4);
    // Retry k waits random · base · 2^k: 0.5 · 100 · (1, 2, 4).
    expect(waits).toEqual([50, 100, 200]);
  });

  it('honours Retry-After (seconds and HTTP date) over a shorter backoff', async () => {
    scripts.set('/b', [status(429, { 'retry-after': '7' })]);
    const { waits, sleep } = recordingSleep();
    await fetchWithRetry(`${origin}/b`, text, { backoffMs: 10, random: () => 0.5, sleep });
    expect(waits).toEqual([7000]);
    expect(
      parseRetryAfter('Wed, 21 Oct 2015 07:28:30 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT')),
    ).toBe(30_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
  });

  it('fails at once on a 404 and says so with the URL', async () => {
    scripts.set('/c', [status(404)]);
    const error = await fetchWithRetry(`${origin}/c`, text, { retries: 5 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpFetchError);
    expect((error as HttpFetchError).message.replace(origin, 'ORIGIN')).toMatchInlineSnapshot(
      `"HTTP 404 Not Found: status 404 (1 attempt) from ORIGIN/c"`,
    );
  });

  it('a non-retryable content error stops; a retryable one is retried', async () => {
    const { sleep } = recordingSleep();
    let calls = 0;
    const reject = (retryable: boolean) => (): string => {
      calls++;
      throw new ResponseContentError('bad body', retryable);
    };
    await expect(fetchWithRetry(`${origin}/d`, reject(false), { retries: 3, sleep })).rejects.toThrow(
      /bad body/,
    );
    expect(calls).toBe(1);
    calls = 0;
    await expect(fetchWithRetry(`${origin}/d`, reject(true), { retries: 3, sleep })).rejects.toThrow(
      /bad body \(4 attempts\)/,
    );
    expect(calls).toBe(4);
  });

  it('the caller aborting stops a hanging request with the abort reason, not a timeout', async () => {
    scripts.set('/e', [() => {}]);
    const controller = new AbortController();
    const pending = fetchWithRetry(`${origin}/e`, text, { signal: controller.signal, timeoutMs: 60_000 });
    await expect.poll(() => arrivals.some((a) => a.path === '/e')).toBe(true);
    controller.abort(new Error('cancelled by user'));
    await expect(pending).rejects.toThrow('cancelled by user');
  });

  it('the rate-limited queue spaces request starts by 1/r seconds', async () => {
    const { schedule } = createRateLimitedQueue({ requestsPerSecond: 20, concurrency: 4 });
    const before = arrivals.length;
    await Promise.all([1, 2, 3, 4].map((i) => fetchWithRetry(`${origin}/f${i}`, text, { schedule })));
    const times = arrivals.slice(before).map((a) => a.at);
    // Four starts at ≥ 50 ms spacing span at least 150 ms (minus timer slack of a few ms).
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThan(140);
    expect(() =>
      createRateLimitedQueue({ requestsPerSecond: 0, concurrency: 1 }),
    ).toThrowErrorMatchingInlineSnapshot(
      `[RangeError: Expected \`requestsPerSecond\` to be a positive finite number, got \`0\`]`,
    );
  });
});
