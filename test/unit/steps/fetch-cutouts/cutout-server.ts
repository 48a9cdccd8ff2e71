/**
 * A loopback stand-in for the three cutout services, speaking their URL and parameter
 * conventions (see steps/fetch-cutouts/services.ts): it rejects a request with a missing or
 * unknown parameter as the real services do (HTTP 400), answers FITS written by our writer with
 * a north-up TAN WCS centred on the requested position, and plays scripted failures per
 * position (keyed by the `ra` parameter): an HTML page with status 200, a truncated body,
 * 503, 429 with Retry-After, or a response that never comes.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFits } from '../../../../steps/lib/fits/index.js';
import { buildTanWcs, wcsCards } from '../../../../steps/lib/wcs/index.js';

export type Behaviour =
  | 'ok'
  | 'html200'
  | 'truncate-clean'
  | 'truncate-reset'
  | '503'
  | { readonly status: 429; readonly retryAfter: string }
  | 'hang';

/** What a test can see of the server. */
export interface CutoutServer {
  readonly origin: string;
  /** Every request path + query, in arrival order. */
  readonly requests: string[];
  /** Behaviours for the next requests whose `ra` equals `ra` (then `ok`). */
  script(ra: string, behaviours: readonly Behaviour[]): void;
  close(): Promise<void>;
}

const PS1_SCALE_ARCSEC = 0.25;
const PARAMS = {
  '/ps1/ps1filenames.py': ['ra', 'dec', 'filters', 'type'],
  '/ps1/fitscut.cgi': ['ra', 'dec', 'size', 'format', 'red'],
  '/legacy/fits-cutout': ['ra', 'dec', 'layer', 'pixscale', 'bands', 'size'],
  '/hips2fits': ['hips', 'width', 'height', 'fov', 'projection', 'coordsys', 'ra', 'dec', 'format'],
} as const;

/** The pixel value the server writes at (x, y): tests check it arrives unchanged. */
export function pixelValue(x: number, y: number): number {
  return x + 1000 * y + 0.5;
}

export async function startCutoutServer(): Promise<CutoutServer> {
  const scratch = mkdtempSync(join(tmpdir(), 'cutout-server-'));
  const requests: string[] = [];
  const scripts = new Map<string, Behaviour[]>();
  let counter = 0;
  const fitsBody = (width: number, height: number, ra: number, dec: number, scaleArcsec: number): Buffer => {
    const data = new Float64Array(width * height);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = pixelValue(x, y);
    const wcs = buildTanWcs({
      width,
      height,
      centerRaDeg: ra,
      centerDecDeg: dec,
      pixelScaleArcsec: scaleArcsec,
    });
    const path = join(scratch, `${counter++}.fits`);
    writeFits(path, [
      {
        data: { width, height, data },
        bitpix: -32,
        cards: [...wcsCards(wcs), { keyword: 'ORIGIN', value: 'loopback test service' }],
      },
    ]);
    const bytes = readFileSync(path);
    rmSync(path);
    return bytes;
  };

  const handle = (req: IncomingMessage, res: ServerResponse): true | undefined => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(`${url.pathname}${url.search}`);
    const expected = PARAMS[url.pathname as keyof typeof PARAMS] as readonly string[] | undefined;
    if (expected === undefined) return text(res, 404, `no such service ${url.pathname}`);
    const q = url.searchParams;
    const keys = [...q.keys()];
    const unknown = keys.filter((k) => !expected.includes(k));
    const missing = expected.filter((k) => !q.has(k));
    if (unknown.length > 0 || missing.length > 0) {
      return text(res, 400, `bad request: missing [${missing.join(',')}] unknown [${unknown.join(',')}]`);
    }
    const ra = Number(q.get('ra'));
    const dec = Number(q.get('dec'));
    if (!Number.isFinite(ra) || !Number.isFinite(dec)) return text(res, 400, 'ra and dec must be numbers');
    if (url.pathname === '/ps1/ps1filenames.py') {
      // ps1filenames answers a table for every filter asked for; nothing south of the 3π limit.
      if (q.get('type') !== 'stack') return text(res, 400, 'type must be stack');
      const rows =
        dec < -30
          ? []
          : [...(q.get('filters') ?? '')].map(
              (f) =>
                `2381 034 ${ra} ${dec} ${f} 56000.1 stack /rings.v3.skycell/2381/034/rings.v3.skycell.2381.034.stk.${f}.unconv.fits rings.v3.skycell.2381.034.stk.${f}.unconv.fits 0`,
            );
      return text(
        res,
        200,
        ['projcell subcell ra dec filter mjd type filename shortname badflag', ...rows].join('\n'),
      );
    }
    const behaviour = scripts.get(q.get('ra') ?? '')?.shift() ?? 'ok';
    let body: Buffer;
    if (url.pathname === '/ps1/fitscut.cgi') {
      if (
        q.get('format') !== 'fits' ||
        !/^\/rings\.v3\.skycell\/.*\.stk\.[grizy]\.unconv\.fits$/.test(q.get('red') ?? '')
      ) {
        return text(res, 400, 'bad format or red');
      }
      const size = Number(q.get('size'));
      body = fitsBody(size, size, ra, dec, PS1_SCALE_ARCSEC);
    } else if (url.pathname === '/legacy/fits-cutout') {
      if ((q.get('bands') ?? '').length !== 1) return text(res, 400, 'this stand-in serves one band');
      const size = Number(q.get('size'));
      body = fitsBody(size, size, ra, dec, Number(q.get('pixscale')));
    } else {
      if (q.get('format') !== 'fits' || q.get('projection') !== 'TAN' || q.get('coordsys') !== 'icrs') {
        return text(res, 400, 'format, projection or coordsys not supported');
      }
      const width = Number(q.get('width'));
      const height = Number(q.get('height'));
      // hips2fits: fov is the angular size of the larger side, degrees.
      body = fitsBody(width, height, ra, dec, (Number(q.get('fov')) * 3600) / Math.max(width, height));
    }
    play(res, behaviour, body);
    return undefined;
  };

  const server: Server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    script: (ra, behaviours) => scripts.set(ra, [...behaviours]),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}

/** Answer plain text; returns true so a handler can `return text(...)`. */
function text(res: ServerResponse, status: number, body: string): true {
  res.writeHead(status, { 'content-type': 'text/plain' }).end(body);
  return true;
}

function play(res: ServerResponse, behaviour: Behaviour, body: Buffer): void {
  if (behaviour === 'ok') {
    res.writeHead(200, { 'content-type': 'image/fits', 'content-length': body.length }).end(body);
  } else if (behaviour === 'html200') {
    res
      .writeHead(200, { 'content-type': 'text/html' })
      .end('<html><body><h1>Service temporarily unavailable</h1></body></html>');
  } else if (behaviour === 'truncate-clean') {
    // No Content-Length (chunked): the body ends cleanly, just too early.
    res.writeHead(200, { 'content-type': 'image/fits' }).end(body.subarray(0, body.length - 1000));
  } else if (behaviour === 'truncate-reset') {
    // Content-Length promises the whole file; the connection drops halfway.
    res.writeHead(200, { 'content-type': 'image/fits', 'content-length': body.length });
    res.write(body.subarray(0, body.length >> 1), () => res.destroy());
  } else if (behaviour === '503') {
    text(res, 503, 'Service Unavailable: overloaded');
  } else if (behaviour === 'hang') {
    // Headers never come; the server's close() drops the connection.
  } else {
    res
      .writeHead(429, { 'retry-after': behaviour.retryAfter, 'content-type': 'text/plain' })
      .end('Too Many Requests');
  }
}
