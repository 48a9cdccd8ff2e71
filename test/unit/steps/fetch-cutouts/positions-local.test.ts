import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { designation, inlinePositions, sanitiseName } from '../../../../steps/fetch-cutouts/positions.js';
import { readFitsImage, writeFits } from '../../../../steps/lib/fits/index.js';
import { parseCsv } from '../../../../steps/lib/table/csv.js';
import { buildTanWcs, pixelToSky, readWcs, skyToPixel, wcsCards } from '../../../../steps/lib/wcs/index.js';
import { type FetchRun, runFetch } from './run-fetch.js';

const dirs: string[] = [];
const runs: FetchRun[] = [];
afterAll(() => {
  for (const r of runs) r.cleanup();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('positions', () => {
  it('names positions by IAU designation (truncated, not rounded) and sanitises given names', () => {
    // 10.684708° = 0h42m44.32992s; 41.26875° = 41°16′07.5″ (M31).
    expect(designation(10.684708, 41.26875)).toBe('J004244.32+411607.5');
    expect(designation(359.9999999, -0.00001)).toBe('J235959.99-000000.0');
    expect(sanitiseName(' SN 2011fe/host ')).toBe('SN_2011fe_host');
    expect(sanitiseName('..')).toBe('_..');
    expect(() => inlinePositions([{ ra: 400, dec: 0 }])).toThrowErrorMatchingInlineSnapshot(
      `[PositionsError: positions[0]: ra = 400 is not in [0, 360) degrees]`,
    );
  });

  it('rejects a CSV without ra/dec and two positions with the same name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'positions-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'p.csv'), 'RA,DEC\n1,2\n');
    const missing = await runFetch({ source: 'local', path: dir, positions: join(dir, 'p.csv') });
    runs.push(missing);
    expect(String((missing.error as Error).message).replaceAll(dir, 'DIR')).toMatchInlineSnapshot(
      `"fetch-cutouts: DIR/p.csv: missing column(s) \`ra\`, \`dec\`; the file has RA, DEC"`,
    );
    const twice = await runFetch({
      source: 'local',
      path: dir,
      positions: [
        { ra: 1, dec: 2, name: 'x y' },
        { ra: 3, dec: 4, name: 'x/y' },
      ],
    });
    runs.push(twice);
    expect((twice.error as Error).message).toMatchInlineSnapshot(
      `"fetch-cutouts: positions[0] and positions[1] both name the field \`x_y\`; give them distinct \`name\`s"`,
    );
  });
});

describe('source: local', () => {
  it('cuts size×size around each position from the file that contains it, NaN past the edge', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'local-cutouts-'));
    dirs.push(dir);
    const width = 60;
    const height = 40;
    const data = new Float64Array(width * height).map((_, i) => i);
    const wcs = buildTanWcs({
      width,
      height,
      centerRaDeg: 200,
      centerDecDeg: -10,
      pixelScaleArcsec: 1,
      rotationDeg: 20,
    });
    writeFits(join(dir, 'frame.fits'), [
      { data: { width, height, data }, bitpix: -64, cards: wcsCards(wcs) },
    ]);
    const inside = pixelToSky(wcs, { x: 20, y: 15 });
    const edge = pixelToSky(wcs, { x: 1, y: 38 });
    const outside = pixelToSky(wcs, { x: 100, y: 15 });
    writeFileSync(
      join(dir, 'positions.csv'),
      `name,ra,dec\nin,${inside.ra},${inside.dec}\nedge,${edge.ra},${edge.dec}\nout,${outside.ra},${outside.dec}\n`,
    );
    const run = await runFetch({
      source: 'local',
      path: join(dir, '*.fits'),
      positions: join(dir, 'positions.csv'),
      size: 5,
      allowMissing: true,
    });
    runs.push(run);
    expect(run.error).toBeUndefined();
    expect(run.files()).toEqual(['catalog.csv', 'cutouts/edge.fits', 'cutouts/in.fits']);
    const rows = parseCsv(readFileSync(join(run.outDir, 'catalog.csv'), 'utf8')).rows;
    expect(rows.map((r) => [r.name, r.status, r.url, r.error])).toEqual([
      ['in', 'ok', join(dir, 'frame.fits'), ''],
      ['edge', 'ok', join(dir, 'frame.fits'), ''],
      ['out', 'failed', '', 'no local FITS file covers this position'],
    ]);
    const cut = readFitsImage(join(run.outDir, 'cutouts/in.fits'));
    // Pixel (i, j) of the cutout is pixel (18 + i, 13 + j) of the frame.
    expect(cut.image.data[0]).toBe(13 * width + 18);
    expect(cut.image.data[2 * 5 + 2]).toBe(15 * width + 20);
    // The requested position lands on the centre pixel (2, 2); the header cards keep ~1e-10°
    // of CRVAL, i.e. ~4e-7 px at 1″/px, hence 1e-5 px.
    const centre = skyToPixel(readWcs(cut.header), inside);
    expect(Math.abs(centre.x - 2)).toBeLessThan(1e-5);
    expect(Math.abs(centre.y - 2)).toBeLessThan(1e-5);
    const edgeCut = readFitsImage(join(run.outDir, 'cutouts/edge.fits')).image;
    // Cutout (i, j) is frame (i − 1, j + 36): column −1 (i = 0) and row 40 (j = 4) are outside.
    expect(Number.isNaN(edgeCut.data[0 * 5 + 0]!)).toBe(true);
    expect(Number.isNaN(edgeCut.data[4 * 5 + 2]!)).toBe(true);
    expect(edgeCut.data[3 * 5 + 2]).toBe(39 * width + 1);
    expect(edgeCut.data[2 * 5 + 1]).toBe(38 * width + 0);
  });
});
