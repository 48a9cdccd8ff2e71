import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StepContext } from '../../../../engine/index.js';
import { fetchSharps } from '../../../../steps/fetch-sharps/index.js';
import { readFitsImage } from '../../../../steps/lib/fits/index.js';
import { parseCsv } from '../../../../steps/lib/table/csv.js';
import { type JsocServer, patchValue, startJsocServer } from './jsoc-server.js';

const ajv = new Ajv({ useDefaults: true, strict: false });
const validate = ajv.compile(fetchSharps.params as object);
const dirs: string[] = [];
let server: JsocServer;
beforeAll(async () => {
  server = await startJsocServer(2);
});
afterAll(async () => {
  await server.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const FAST = {
  requestsPerSecond: 1000,
  backoffSeconds: 0.001,
  pollSeconds: 0.001,
  timeoutSeconds: 5,
  retries: 2,
};

async function run(
  params: Record<string, unknown>,
): Promise<{ outDir: string; error: unknown; logs: string[] }> {
  const filled = structuredClone(params);
  if (!validate(filled)) throw new Error(ajv.errorsText(validate.errors));
  const outDir = mkdtempSync(join(tmpdir(), 'fetch-sharps-'));
  dirs.push(outDir);
  const logs: string[] = [];
  const ctx = {
    params: filled,
    outDir,
    signal: new AbortController().signal,
    log: { info: (m: string) => logs.push(m), warn: (m: string) => logs.push(m), debug: () => {} },
    progress: () => {},
    seed: 1,
    provenance: { step: 'fetch-sharps', version: '1', id: 'sharps', key: 'beef', recipe: 'test' },
    recipeDir: outDir,
  } as unknown as StepContext<Parameters<typeof fetchSharps.run>[0]['params']>;
  try {
    await fetchSharps.run(ctx);
    return { outDir, error: undefined, logs };
  } catch (error) {
    return { outDir, error, logs };
  }
}

describe('fetch-sharps against a loopback JSOC', () => {
  it('requests the export, polls until done, downloads each record and keeps the SHARP header', async () => {
    const start = server.requests.length;
    const first = 'hmi.sharp_cea_720s.377.20110215_000000_TAI.Br.fits';
    server.failDownload(first, ['503']);
    const r = await run({
      ...FAST,
      harp: 377,
      start: '2011.02.15_00:00:00_TAI',
      end: '2011.02.15_00:24:00_TAI',
      notify: 'someone@example.org',
      baseUrl: server.origin,
    });
    expect(r.error).toBeUndefined();
    const requests = server.requests.slice(start);
    expect(requests.slice(0, 4)).toEqual([
      '/cgi-bin/ajax/jsoc_fetch?op=exp_request&ds=hmi.sharp_cea_720s%5B377%5D%5B2011.02.15_00%3A00%3A00_TAI-2011.02.15_00%3A24%3A00_TAI%5D%7BBr%7D&method=url&protocol=fits&format=json&notify=someone%40example.org',
      '/cgi-bin/ajax/jsoc_fetch?op=exp_status&requestid=JSOC_20110215_001&format=json',
      '/cgi-bin/ajax/jsoc_fetch?op=exp_status&requestid=JSOC_20110215_001&format=json',
      '/cgi-bin/ajax/jsoc_fetch?op=exp_status&requestid=JSOC_20110215_001&format=json',
    ]);
    // Three records (00:00, 00:12, 00:24) and one retried download.
    expect(requests.filter((q) => q.startsWith('/SUM9/'))).toHaveLength(4);
    expect(readdirSync(join(r.outDir, 'patches')).sort()).toEqual([
      'hmi.sharp_cea_720s.377.20110215_000000_TAI.Br.fits',
      'hmi.sharp_cea_720s.377.20110215_001200_TAI.Br.fits',
      'hmi.sharp_cea_720s.377.20110215_002400_TAI.Br.fits',
    ]);
    const { image, header } = readFitsImage(join(r.outDir, 'patches', first));
    // Stored as integers × 0.01 (exact for these integer values up to float rounding of the scale).
    expect(image.data[3 * 12 + 5]).toBeCloseTo(patchValue(377, 5, 3), 6);
    expect([
      header.getInteger('HARPNUM'),
      header.getString('T_REC'),
      header.getString('CTYPE1'),
      header.getString('ASTSTEP'),
    ]).toEqual([377, '2011.02.15_00:00:00_TAI', 'CRLN-CEA', 'fetch-sharps']);
    const verify = spawnSync('fitsverify', ['-q', '-e', join(r.outDir, 'patches', first)], {
      encoding: 'utf8',
    });
    expect(`${verify.stdout}${verify.stderr}`).toMatch(/verification OK/);
    const rows = parseCsv(readFileSync(join(r.outDir, 'catalog.csv'), 'utf8')).rows;
    expect(rows.map((row) => [row.record, row.status])).toEqual([
      ['hmi.sharp_cea_720s[377][2011.02.15_00:00:00_TAI]', 'ok'],
      ['hmi.sharp_cea_720s[377][2011.02.15_00:12:00_TAI]', 'ok'],
      ['hmi.sharp_cea_720s[377][2011.02.15_00:24:00_TAI]', 'ok'],
    ]);
    // source: local re-reads such a folder, filtered by HARPNUM, with the header kept.
    const local = await run({ source: 'local', path: join(r.outDir, 'patches'), harp: 377 });
    expect(local.error).toBeUndefined();
    expect(readdirSync(join(local.outDir, 'patches'))).toHaveLength(3);
    const none = await run({ source: 'local', path: join(r.outDir, 'patches'), harp: 999 });
    expect((none.error as Error).message).toMatchInlineSnapshot(`"fetch-sharps: no SHARP file matched"`);
  });

  it('a JSOC error status and an HTML body are reported with the URL; nothing partial is written', async () => {
    server.failDownload('hmi.sharp_cea_720s.401.20110215_000000_TAI.Br.fits', ['html200']);
    const r = await run({
      ...FAST,
      harp: [401],
      start: '2011.02.15_00:00:00_TAI',
      end: '2011.02.15_00:00:00_TAI',
      notify: 'someone@example.org',
      baseUrl: server.origin,
    });
    expect(
      String((r.error as Error).message).replaceAll(server.origin, 'http://JSOC'),
    ).toMatchInlineSnapshot(`
      "fetch-sharps: 1 of 1 failed:
        - hmi.sharp_cea_720s.401.20110215_000000_TAI.Br: expected a FITS file, got text/html: Export expired — http://JSOC/SUM9/D1234/S00000/hmi.sharp_cea_720s.401.20110215_000000_TAI.Br.fits"
    `);
    expect(readdirSync(join(r.outDir, 'patches'))).toEqual([]);
    const bad = await run({
      ...FAST,
      harp: 1,
      start: '2011.02.15',
      end: 'x',
      notify: 'a@b',
      baseUrl: server.origin,
    });
    expect(
      String((bad.error as Error).message).replaceAll(server.origin, 'http://JSOC'),
    ).toMatchInlineSnapshot(`
      "fetch-sharps: 1 of 1 failed:
        - harp-1: JSOC export of hmi.sharp_cea_720s[1][2011.02.15-x]{Br} failed with status 4: cannot parse record set hmi.sharp_cea_720s[1][2011.02.15-x]{Br} — http://JSOC/cgi-bin/ajax/jsoc_fetch?op=exp_request&ds=hmi.sharp_cea_720s%5B1%5D%5B2011.02.15-x%5D%7BBr%7D&method=url&protocol=fits&format=json&notify=a%40b"
    `);
  });
});
