import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFitsImage } from '../../../../steps/lib/fits/index.js';
import { parseCsv } from '../../../../steps/lib/table/csv.js';
import { pixelScaleDeg, pixelToSky, readWcs } from '../../../../steps/lib/wcs/index.js';
import { type CutoutServer, pixelValue, startCutoutServer } from './cutout-server.js';
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

const POSITIONS = [
  { ra: 150.1, dec: 2.2, name: 'cosmos field/1' },
  { ra: 10.684708, dec: 41.26875 },
];

/** The sky position of the cutout's central pixel ((n − 1) / 2, 0-based) and its scale in arcsec. */
function centreOf(path: string): { ra: number; dec: number; scaleArcsec: number; width: number } {
  const { image, header } = readFitsImage(path);
  const wcs = readWcs(header);
  const sky = pixelToSky(wcs, { x: (image.width - 1) / 2, y: (image.height - 1) / 2 });
  return { ...sky, scaleArcsec: pixelScaleDeg(wcs)[1] * 3600, width: image.width };
}

describe('fetch-cutouts against loopback services', () => {
  it('ps1: looks the stack file up, cuts it with fitscut, keeps the WCS and adds provenance', async () => {
    const start = server.requests.length;
    const run = await runFetch({
      ...FAST,
      source: 'ps1',
      positions: POSITIONS,
      size: 24,
      band: 'i',
      baseUrl: `${server.origin}/ps1`,
    });
    runs.push(run);
    expect(run.error).toBeUndefined();
    expect(run.files()).toEqual([
      'catalog.csv',
      'cutouts/J004244.32+411607.5.fits',
      'cutouts/cosmos_field_1.fits',
    ]);
    const requests = server.requests.slice(start).sort();
    expect(requests).toEqual([
      '/ps1/fitscut.cgi?ra=10.684708&dec=41.26875&size=24&format=fits&red=%2Frings.v3.skycell%2F2381%2F034%2Frings.v3.skycell.2381.034.stk.i.unconv.fits',
      '/ps1/fitscut.cgi?ra=150.1&dec=2.2&size=24&format=fits&red=%2Frings.v3.skycell%2F2381%2F034%2Frings.v3.skycell.2381.034.stk.i.unconv.fits',
      '/ps1/ps1filenames.py?ra=10.684708&dec=41.26875&filters=i&type=stack',
      '/ps1/ps1filenames.py?ra=150.1&dec=2.2&filters=i&type=stack',
    ]);
    const path = join(run.outDir, 'cutouts/cosmos_field_1.fits');
    const centre = centreOf(path);
    // Our writer round-trips doubles exactly; the TAN inverse is good to ~1e-12 deg.
    expect(centre.ra).toBeCloseTo(150.1, 9);
    expect(centre.dec).toBeCloseTo(2.2, 9);
    expect(centre.scaleArcsec).toBeCloseTo(0.25, 9);
    const { image, header } = readFitsImage(path);
    expect(image.data[5 * 24 + 7]).toBe(pixelValue(7, 5));
    expect({
      step: header.getString('ASTSTEP'),
      key: header.getString('ASTKEY'),
      source: header.getString('ASTSRC'),
      origin: header.getString('ORIGIN'),
      ra: header.getNumber('ASTRA'),
    }).toEqual({
      step: 'fetch-cutouts',
      key: 'cafe0123',
      source: 'ps1',
      origin: 'loopback test service',
      ra: 150.1,
    });
    expect(header.getString('ASTORIG')).toMatch(/\/ps1\/fitscut\.cgi\?ra=150\.1&/);
    const catalog = parseCsv(readFileSync(join(run.outDir, 'catalog.csv'), 'utf8'));
    expect(catalog.rows.map((r) => [r.name, r.status, r.file, r.attempts])).toEqual([
      ['cosmos_field_1', 'ok', 'cutouts/cosmos_field_1.fits', '2'],
      ['J004244.32+411607.5', 'ok', 'cutouts/J004244.32+411607.5.fits', '2'],
    ]);
    expect(run.progress.at(-1)).toEqual([2, 2]);
  });

  it('legacy: passes layer, pixscale, bands and size; astropy and fitsverify agree with the file', async () => {
    const start = server.requests.length;
    const run = await runFetch({
      ...FAST,
      source: 'legacy',
      positions: [POSITIONS[0]],
      size: 32,
      band: 'z',
      layer: 'ls-dr9',
      pixelScaleArcsec: 0.5,
      baseUrl: `${server.origin}/legacy/fits-cutout`,
    });
    runs.push(run);
    expect(run.error).toBeUndefined();
    expect(server.requests.slice(start)).toEqual([
      '/legacy/fits-cutout?ra=150.1&dec=2.2&layer=ls-dr9&pixscale=0.5&bands=z&size=32',
    ]);
    const path = join(run.outDir, 'cutouts/cosmos_field_1.fits');
    const verify = spawnSync('fitsverify', ['-q', '-e', path], { encoding: 'utf8' });
    expect(`${verify.stdout}${verify.stderr}`).toMatch(/verification OK/);
    // astropy, independently: the centre pixel (0-based (n-1)/2) is at the requested position.
    const py = spawnSync(
      '/usr/bin/python3',
      [
        '-c',
        'import sys,json;from astropy.io import fits;from astropy.wcs import WCS;h=fits.open(sys.argv[1])[0];w=WCS(h.header);n=h.data.shape[0];print(json.dumps([*map(float,w.pixel_to_world_values((n-1)/2,(n-1)/2)),float(h.data[3,4])]))',
        path,
      ],
      { encoding: 'utf8' },
    );
    const [ra, dec, value] = JSON.parse(py.stdout) as [number, number, number];
    expect(ra).toBeCloseTo(150.1, 9);
    expect(dec).toBeCloseTo(2.2, 9);
    expect(value).toBe(pixelValue(4, 3));
  });

  it('hips2fits: asks for a TAN image of size×size pixels over size·scale', async () => {
    const start = server.requests.length;
    const run = await runFetch({
      ...FAST,
      source: 'hips2fits',
      positions: [POSITIONS[1]],
      size: 20,
      pixelScaleArcsec: 1.8,
      hips: 'CDS/P/2MASS/K',
      baseUrl: `${server.origin}/hips2fits`,
    });
    runs.push(run);
    expect(run.error).toBeUndefined();
    expect(server.requests.slice(start)).toEqual([
      '/hips2fits?hips=CDS%2FP%2F2MASS%2FK&width=20&height=20&fov=0.01&projection=TAN&coordsys=icrs&ra=10.684708&dec=41.26875&format=fits',
    ]);
    const centre = centreOf(join(run.outDir, 'cutouts/J004244.32+411607.5.fits'));
    expect(centre.ra).toBeCloseTo(10.684708, 9);
    expect(centre.dec).toBeCloseTo(41.26875, 9);
    expect(centre.scaleArcsec).toBeCloseTo(1.8, 9);
    expect(centre.width).toBe(20);
  });
});
