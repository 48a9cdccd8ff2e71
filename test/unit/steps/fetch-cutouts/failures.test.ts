import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../../../steps/lib/table/csv.js';
import { type CutoutServer, startCutoutServer } from './cutout-server.js';
import { FAST, type FetchRun, runFetch } from './run-fetch.js';

let server: CutoutServer;
const runs: FetchRun[] = [];
beforeAll(async () => {
  server = await startCutoutServer();
});
afterAll(async () => {
  for (const r of runs) r.cleanup();
  await server.close();
});

/** Messages with the loopback port and temporary paths replaced by stable text. */
function normalise(error: unknown): string {
  return String((error as Error).message)
    .replaceAll(server.origin, 'http://SERVER')
    .replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:PORT');
}

async function legacy(positions: unknown, extra: Record<string, unknown> = {}): Promise<FetchRun> {
  const run = await runFetch({
    ...FAST,
    source: 'legacy',
    size: 16,
    positions,
    baseUrl: `${server.origin}/legacy/fits-cutout`,
    ...extra,
  });
  runs.push(run);
  return run;
}

async function legacyWithSignal(positions: unknown, signal: AbortSignal): Promise<FetchRun> {
  const run = await runFetch(
    {
      ...FAST,
      source: 'legacy',
      size: 16,
      positions,
      baseUrl: `${server.origin}/legacy/fits-cutout`,
      timeoutSeconds: 60,
    },
    signal,
  );
  runs.push(run);
  return run;
}

function catalog(run: FetchRun): readonly Readonly<Record<string, string>>[] {
  return parseCsv(readFileSync(join(run.outDir, 'catalog.csv'), 'utf8')).rows;
}

describe('fetch-cutouts failure handling', () => {
  it('an HTML error page served with 200 fails at once, names position and URL, writes no file', async () => {
    server.script('11', ['html200']);
    const run = await legacy([{ ra: 11, dec: 5, name: 'a' }]);
    expect(normalise(run.error)).toMatchInlineSnapshot(`
      "fetch-cutouts: 1 of 1 positions could not be fetched from legacy:
        - a (positions[0], 1 request): expected a FITS file, got text/html: Service temporarily unavailable — http://SERVER/legacy/fits-cutout?ra=11&dec=5&layer=ls-dr10&pixscale=0.262&bands=r&size=16"
    `);
    expect(run.files()).toEqual(['catalog.csv']);
  });

  it('a body cut short (cleanly or by a reset) is retried, then reported; nothing partial is kept', async () => {
    server.script('12', ['truncate-clean', 'truncate-reset', 'truncate-clean']);
    const run = await legacy([{ ra: 12, dec: 5, name: 'b' }]);
    expect(normalise(run.error)).toMatchInlineSnapshot(`
      "fetch-cutouts: 1 of 1 positions could not be fetched from legacy:
        - b (positions[0], 3 requests): the FITS body is truncated: 4760 bytes is not a whole number of 2880-byte blocks — http://SERVER/legacy/fits-cutout?ra=12&dec=5&layer=ls-dr10&pixscale=0.262&bands=r&size=16"
    `);
    expect(run.files()).toEqual(['catalog.csv']);
    // The reset one is seen by the client as a broken connection (Content-Length not reached).
    expect(run.logs.filter((l) => l.startsWith('info: retry'))).toEqual([
      expect.stringMatching(/^info: retry 1 in [\d.]+ s after: the FITS body is truncated: 4760 bytes/),
      expect.stringMatching(/^info: retry 2 in [\d.]+ s after: connection failed: /),
    ]);
  });

  it('503 then success: retried, and the catalog counts the attempts', async () => {
    server.script('13', ['503', '503']);
    const run = await legacy([{ ra: 13, dec: 5, name: 'c' }]);
    expect(run.error).toBeUndefined();
    expect(run.files()).toEqual(['catalog.csv', 'cutouts/c.fits']);
    expect(catalog(run).map((r) => [r.name, r.status, r.attempts])).toEqual([['c', 'ok', '3']]);
  });

  it('429 with Retry-After is waited for and retried; one past maxRetryAfterSeconds fails', async () => {
    server.script('14', [{ status: 429, retryAfter: '0' }]);
    const ok = await legacy([{ ra: 14, dec: 5, name: 'd' }]);
    expect(ok.error).toBeUndefined();
    expect(ok.logs.filter((l) => l.startsWith('info: retry'))).toEqual([
      expect.stringMatching(/^info: retry 1 in 0\.00 s after: HTTP 429 Too Many Requests/),
    ]);
    server.script('15', [{ status: 429, retryAfter: '3600' }]);
    const refused = await legacy([{ ra: 15, dec: 5, name: 'e' }], { maxRetryAfterSeconds: 60 });
    expect(normalise(refused.error)).toMatchInlineSnapshot(`
      "fetch-cutouts: 1 of 1 positions could not be fetched from legacy:
        - e (positions[0], 1 request): HTTP 429 Too Many Requests; the service asks to wait 3600 s (Retry-After), more than the 60 s allowed — http://SERVER/legacy/fits-cutout?ra=15&dec=5&layer=ls-dr10&pixscale=0.262&bands=r&size=16"
    `);
  });

  it('a response that never comes times out per attempt', async () => {
    server.script('16', ['hang', 'hang', 'hang']);
    const run = await legacy([{ ra: 16, dec: 5, name: 'f' }], { timeoutSeconds: 0.2 });
    expect(normalise(run.error)).toMatchInlineSnapshot(`
      "fetch-cutouts: 1 of 1 positions could not be fetched from legacy:
        - f (positions[0], 3 requests): no complete response within 200 ms — http://SERVER/legacy/fits-cutout?ra=16&dec=5&layer=ls-dr10&pixscale=0.262&bands=r&size=16"
    `);
    expect(run.files()).toEqual(['catalog.csv']);
  });

  it('aborting the run stops a hanging request at once, with the abort reason and no files', async () => {
    server.script('21', ['hang']);
    const controller = new AbortController();
    const pending = legacyWithSignal([{ ra: 21, dec: 5, name: 'h' }], controller.signal);
    await expect.poll(() => server.requests.some((r) => r.includes('ra=21&'))).toBe(true);
    controller.abort(new Error('interrupted (Ctrl-C)'));
    const run = await pending;
    expect((run.error as Error).message).toBe('interrupted (Ctrl-C)');
    expect(run.files()).toEqual([]);
  });

  it('connection refused is reported with its code', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as { port: number };
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const run = await legacy([{ ra: 17, dec: 5, name: 'g' }], {
      baseUrl: `http://127.0.0.1:${port}/legacy/fits-cutout`,
      retries: 1,
    });
    expect(normalise(run.error)).toMatchInlineSnapshot(`
      "fetch-cutouts: 1 of 1 positions could not be fetched from legacy:
        - g (positions[0], 2 requests): connection failed: ECONNREFUSED — http://127.0.0.1:PORT/legacy/fits-cutout?ra=17&dec=5&layer=ls-dr10&pixscale=0.262&bands=r&size=16"
    `);
  });

  it('allowMissing keeps the good positions and lists the failures in the catalog', async () => {
    server.script('18', ['html200']);
    const run = await legacy(
      [
        { ra: 18, dec: 5, name: 'bad' },
        { ra: 19, dec: 5, name: 'good' },
      ],
      { allowMissing: true },
    );
    expect(run.error).toBeUndefined();
    expect(run.files()).toEqual(['catalog.csv', 'cutouts/good.fits']);
    expect(catalog(run).map((r) => [r.name, r.status, r.file, r.error])).toEqual([
      ['bad', 'failed', '', 'expected a FITS file, got text/html: Service temporarily unavailable'],
      ['good', 'ok', 'cutouts/good.fits', ''],
    ]);
    expect(run.progress.at(-1)).toEqual([2, 2]);
  });

  it('ps1: a band that is not a PS1 filter is refused before any request', async () => {
    const before = server.requests.length;
    const run = await runFetch({
      ...FAST,
      source: 'ps1',
      band: 'grz',
      positions: [{ ra: 1, dec: 1 }],
      baseUrl: `${server.origin}/ps1`,
    });
    runs.push(run);
    expect((run.error as Error).message).toMatchInlineSnapshot(
      `"fetch-cutouts: param \`band\` = \`grz\` is not a Pan-STARRS1 filter"`,
    );
    expect(server.requests.length).toBe(before);
  });

  it('ps1: a position outside the survey is a clear failure, not a retry loop', async () => {
    const run = await runFetch({
      ...FAST,
      source: 'ps1',
      positions: [{ ra: 20, dec: -60, name: 'south' }],
      size: 8,
      baseUrl: `${server.origin}/ps1`,
    });
    runs.push(run);
    expect(normalise(run.error)).toMatchInlineSnapshot(`
      "fetch-cutouts: 1 of 1 positions could not be fetched from ps1:
        - south (positions[0], 1 request): no PS1 stack image in band r covers this position (3π covers dec > −30°) — http://SERVER/ps1/ps1filenames.py?ra=20&dec=-60&filters=r&type=stack"
    `);
  });
});
