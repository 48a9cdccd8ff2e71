/**
 * A loopback stand-in for JSOC's export service: `jsoc_fetch` with `op=exp_request` (parses
 * the SHARP record set `series[HARP][START-END]{SEGMENT}` and answers a request id with status
 * 2), `op=exp_status` (status 1 for the first `pendingPolls` polls, then 0 with `dir` and
 * `data`), and the exported files under `dir`, FITS written by our writer with the SHARP CEA
 * keywords, RICE-compressed with fpack as JSOC's `protocol=fits` exports are. Missing or unknown parameters are answered with status 4 and an `error`, as JSOC does.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFits } from '../../../../steps/lib/fits/index.js';

export interface JsocServer {
  readonly origin: string;
  readonly requests: string[];
  /** Behaviours for the next downloads of `filename` (then a normal answer). */
  failDownload(filename: string, behaviours: ReadonlyArray<'503' | 'html200'>): void;
  close(): Promise<void>;
}

const DIR = '/SUM9/D1234/S00000';
const SHARP =
  /^(hmi\.sharp_cea_720s)\[(\d+)\]\[(\d{4})\.(\d\d)\.(\d\d)_(\d\d):(\d\d):(\d\d)_TAI-(\d{4})\.(\d\d)\.(\d\d)_(\d\d):(\d\d):(\d\d)_TAI\]\{(\w+)\}$/;

/** Pixel value of the patch for HARP `harp` at (x, y). */
export function patchValue(harp: number, x: number, y: number): number {
  return harp + 10 * x - 100 * y;
}

export async function startJsocServer(pendingPolls: number): Promise<JsocServer> {
  const scratch = mkdtempSync(join(tmpdir(), 'jsoc-server-'));
  const requests: string[] = [];
  const exports = new Map<string, { polls: number; data: Array<{ record: string; filename: string }> }>();
  const files = new Map<string, { harp: number; trec: string }>();
  const failures = new Map<string, string[]>();
  let next = 1;

  const json = (res: ServerResponse, body: unknown): void => {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(`${url.pathname}${url.search}`);
    const q = url.searchParams;
    const exact = (keys: readonly string[]): boolean =>
      keys.every((k) => q.has(k)) && [...q.keys()].every((k) => keys.includes(k));
    if (url.pathname === '/cgi-bin/ajax/jsoc_fetch' && q.get('op') === 'exp_request') {
      if (
        !exact(['op', 'ds', 'method', 'protocol', 'format', 'notify']) ||
        q.get('method') !== 'url' ||
        q.get('protocol') !== 'fits'
      ) {
        return json(res, { status: 4, error: 'bad exp_request parameters' });
      }
      if (!/^[^@\s]+@[^@\s]+$/.test(q.get('notify') ?? ''))
        return json(res, { status: 4, error: 'notify email not registered' });
      const m = SHARP.exec(q.get('ds') ?? '');
      if (m === null) return json(res, { status: 4, error: `cannot parse record set ${q.get('ds')}` });
      const harp = Number(m[2]);
      const t0 = Date.UTC(+m[3]!, +m[4]! - 1, +m[5]!, +m[6]!, +m[7]!, +m[8]!);
      const t1 = Date.UTC(+m[9]!, +m[10]! - 1, +m[11]!, +m[12]!, +m[13]!, +m[14]!);
      const data: Array<{ record: string; filename: string }> = [];
      // hmi.sharp_cea_720s has one record every 12 minutes.
      for (let t = t0; t <= t1; t += 12 * 60_000) {
        const d = new Date(t).toISOString();
        const trec = `${d.slice(0, 4)}.${d.slice(5, 7)}.${d.slice(8, 10)}_${d.slice(11, 19)}_TAI`;
        const filename = `${m[1]}.${harp}.${d.slice(0, 10).replaceAll('-', '')}_${d.slice(11, 19).replaceAll(':', '')}_TAI.${m[15]}.fits`;
        data.push({ record: `${m[1]}[${harp}][${trec}]`, filename });
        files.set(filename, { harp, trec });
      }
      const requestid = `JSOC_20110215_${String(next++).padStart(3, '0')}`;
      exports.set(requestid, { polls: 0, data });
      return json(res, { status: 2, requestid, wait: 1 });
    }
    if (url.pathname === '/cgi-bin/ajax/jsoc_fetch' && q.get('op') === 'exp_status') {
      if (!exact(['op', 'requestid', 'format']))
        return json(res, { status: 4, error: 'bad exp_status parameters' });
      const entry = exports.get(q.get('requestid') ?? '');
      if (entry === undefined) return json(res, { status: 6, error: 'request not found' });
      if (entry.polls++ < pendingPolls)
        return json(res, { status: 1, requestid: q.get('requestid'), wait: 1 });
      return json(res, {
        status: 0,
        requestid: q.get('requestid'),
        dir: DIR,
        count: entry.data.length,
        data: entry.data,
      });
    }
    const filename = url.pathname.slice(DIR.length + 1);
    const meta = url.pathname.startsWith(`${DIR}/`) ? files.get(filename) : undefined;
    if (meta === undefined) return void res.writeHead(404).end('not found');
    const failure = failures.get(filename)?.shift();
    if (failure === '503') return void res.writeHead(503).end('busy');
    if (failure === 'html200')
      return void res.writeHead(200, { 'content-type': 'text/html' }).end('<html>Export expired</html>');
    const width = 12;
    const height = 8;
    const data = new Float64Array(width * height);
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) data[y * width + x] = patchValue(meta.harp, x, y);
    const path = join(scratch, filename);
    writeFits(path, [
      {
        data: { width, height, data },
        // SHARP segments are stored as scaled integers (BSCALE 0.01 G) and exported
        // tile-compressed: fpack below makes the body a RICE_1 COMPRESSED_IMAGE extension.
        bitpix: 32,
        bscale: 0.01,
        bzero: 0,
        bunit: 'Mx/cm^2',
        cards: [
          { keyword: 'HARPNUM', value: meta.harp },
          { keyword: 'T_REC', value: meta.trec },
          { keyword: 'CTYPE1', value: 'CRLN-CEA' },
          { keyword: 'CTYPE2', value: 'CRLT-CEA' },
          { keyword: 'CDELT1', value: 0.03 },
          { keyword: 'CDELT2', value: 0.03 },
        ],
      },
    ]);
    const body = execFileSync('fpack', ['-r', '-S', path]);
    rmSync(path);
    res.writeHead(200, { 'content-type': 'application/fits', 'content-length': body.length }).end(body);
    return undefined;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    failDownload: (filename, behaviours) => failures.set(filename, [...behaviours]),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}
