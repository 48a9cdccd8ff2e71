/**
 * `fetch-cutouts`: image cutouts around sky positions from Pan-STARRS1, the Legacy Surveys, CDS
 * hips2fits, or local FITS files. Writes the image set `cutouts/<name>.fits` (the service's WCS
 * kept, provenance added) and a `catalog.csv` of every position with its file and status.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AsterismError, defineStep, StepInputError } from '../../engine/index.js';
import { type Bitpix, type Header, provenanceCards, writeFits } from '../lib/fits/index.js';
import { allSettledOrThrow, createRateLimitedQueue, type RetryOptions } from '../lib/http/index.js';
import type { Image } from '../lib/image/types.js';
import { writeCsv } from '../lib/table/csv.js';
import { cutLocal, indexLocalFrames, listLocalFits } from './local.js';
import { fetchCutoutsParams } from './params.js';
import {
  inlinePositions,
  PositionsError,
  readPositionsCsv,
  requireUniqueNames,
  type SkyPosition,
} from './positions.js';
import { CutoutFetchError, fetchCutout, type RemoteSource } from './remote.js';
import { type CutoutRequest, PS1_PIXEL_SCALE_ARCSEC, SERVICE_BASE_URLS } from './services.js';

/** One row of the output catalog. */
interface CatalogRow {
  readonly name: string;
  readonly ra: number;
  readonly dec: number;
  readonly status: 'ok' | 'failed';
  readonly file: string;
  readonly url: string;
  readonly attempts: number;
  readonly error: string;
  readonly origin: string;
}

const CATALOG_COLUMNS = ['name', 'ra', 'dec', 'status', 'file', 'url', 'attempts', 'error'] as const;

const DEFAULT_PIXEL_SCALE: Record<string, number> = { legacy: 0.262, hips2fits: 1, local: Number.NaN };

export const fetchCutouts = defineStep({
  name: 'fetch-cutouts',
  version: '1',
  description: 'Cutouts around sky positions from Pan-STARRS1, Legacy Surveys, hips2fits or local FITS.',
  params: fetchCutoutsParams,
  outputs: {
    cutouts: 'image set: one FITS per position, `<name>.fits`, WCS from the service plus provenance',
    catalog: 'CSV: name, ra, dec, status (ok|failed), file, url, attempts, error',
  },
  resources: { cpu: 1 },
  async run(ctx) {
    const p = ctx.params;
    let positions: SkyPosition[];
    try {
      positions =
        typeof p.positions === 'string'
          ? await readPositionsCsv(resolve(ctx.recipeDir, p.positions))
          : inlinePositions(p.positions);
      requireUniqueNames(positions);
    } catch (error) {
      if (error instanceof PositionsError) {
        throw new StepInputError(`fetch-cutouts: ${error.message}`, {
          hint: 'param `positions`: a CSV with ra,dec[,name] columns in degrees, or a list of {ra, dec, name}',
        });
      }
      throw error;
    }
    const cutoutDir = join(ctx.outDir, 'cutouts');
    mkdirSync(cutoutDir, { recursive: true });
    const rows: CatalogRow[] = [];
    let done = 0;
    ctx.progress(0, positions.length);
    const record = (row: CatalogRow): void => {
      rows.push(row);
      ctx.progress(++done, positions.length);
    };
    const write = (position: SkyPosition, image: Image, header: Header, origin: string): string => {
      const file = `cutouts/${position.name}.fits`;
      const cards = header.clone();
      // A re-fetched asterism file already has provenance: replace it rather than repeat it.
      const provenance = provenanceCards(ctx.provenance);
      for (const card of provenance) cards.delete(card.keyword);
      cards.add(provenance);
      cards.set('ASTSRC', p.source, 'fetch-cutouts source');
      cards.set('ASTORIG', origin, 'URL or file the cutout came from');
      cards.set('ASTRA', position.ra, 'requested right ascension, deg', { real: true });
      cards.set('ASTDEC', position.dec, 'requested declination, deg', { real: true });
      const bitpix: Bitpix = header.getInteger('BITPIX') === -64 ? -64 : -32;
      writeFits(join(ctx.outDir, file), [{ data: image, bitpix, cards }]);
      return file;
    };

    if (p.source === 'local') {
      if (p.path === undefined) {
        throw new StepInputError('fetch-cutouts: `source: local` needs param `path`', {
          hint: 'set `path` to a folder of FITS files or a glob such as data/*.fits',
        });
      }
      let frames: ReturnType<typeof indexLocalFrames>;
      try {
        frames = indexLocalFrames(listLocalFits(resolve(ctx.recipeDir, p.path)), (m) => ctx.log.warn(m));
      } catch (error) {
        throw new StepInputError(`fetch-cutouts: param \`path\`: ${(error as Error).message}`, {
          cause: error,
        });
      }
      const cache = new Map<string, { image: Image; header: Header }>();
      for (const position of positions) {
        ctx.signal.throwIfAborted();
        const cut = cutLocal(frames, position, p.size, cache);
        if (cut === undefined) {
          record(failedRow(position, '', 0, 'no local FITS file covers this position'));
          continue;
        }
        const file = write(position, cut.image, cut.header, cut.file);
        record(okRow(position, file, cut.file, 0));
      }
    } else {
      const source: RemoteSource = p.source;
      if (source === 'ps1' && !/^[grizy]$/.test(p.band)) {
        throw new StepInputError(
          `fetch-cutouts: param \`band\` = \`${p.band}\` is not a Pan-STARRS1 filter`,
          {
            hint: 'use one of g, r, i, z, y (one filter per step; use a matrix for several)',
          },
        );
      }
      if (
        source === 'ps1' &&
        p.pixelScaleArcsec !== undefined &&
        p.pixelScaleArcsec !== PS1_PIXEL_SCALE_ARCSEC
      ) {
        ctx.log.warn(
          `ps1 cutouts are at the survey's 0.25″/pixel; pixelScaleArcsec = ${p.pixelScaleArcsec} is ignored`,
        );
      }
      const request: CutoutRequest = {
        baseUrl: p.baseUrl ?? SERVICE_BASE_URLS[source],
        size: p.size,
        band: p.band,
        pixelScaleArcsec: p.pixelScaleArcsec ?? DEFAULT_PIXEL_SCALE[source] ?? 1,
        layer: p.layer,
        hips: p.hips,
      };
      const { queue, schedule } = createRateLimitedQueue({
        requestsPerSecond: p.requestsPerSecond,
        concurrency: p.concurrency,
      });
      const retry: RetryOptions = {
        signal: ctx.signal,
        timeoutMs: p.timeoutSeconds * 1000,
        retries: p.retries,
        backoffMs: p.backoffSeconds * 1000,
        maxRetryAfterMs: p.maxRetryAfterSeconds * 1000,
        schedule,
        onRetry: (e) =>
          ctx.log.info(`retry ${e.attempt} in ${(e.delayMs / 1000).toFixed(2)} s after: ${e.reason}`),
      };
      const scratch = mkdtempSync(join(tmpdir(), 'asterism-fetch-'));
      const onAbort = (): void => queue.clear();
      ctx.signal.addEventListener('abort', onAbort, { once: true });
      try {
        // Every request goes through the rate-limited queue, so this waits on at most
        // `concurrency` requests at a time however many positions there are.
        await allSettledOrThrow(
          positions.map(async (position) => {
            try {
              const got = await fetchCutout(source, request, position, retry, scratch);
              const file = write(position, got.fits.image, got.fits.header, got.url);
              record(okRow(position, file, got.url, got.attempts));
            } catch (error) {
              if (!(error instanceof CutoutFetchError)) throw error;
              ctx.log.warn(`${position.name}: ${error.message} (${error.url})`);
              record(failedRow(position, error.url, error.attempts, error.message));
            }
          }),
        );
      } finally {
        ctx.signal.removeEventListener('abort', onAbort);
        rmSync(scratch, { recursive: true, force: true });
      }
    }

    // Catalog in input order, whatever order the responses came in.
    const order = new Map(positions.map((pos, i) => [pos.name, i]));
    rows.sort((a, b) => order.get(a.name)! - order.get(b.name)!);
    await writeCsv(
      join(ctx.outDir, 'catalog.csv'),
      CATALOG_COLUMNS,
      rows.map(({ origin: _origin, ...row }) => row),
    );
    const failed = rows.filter((r) => r.status === 'failed');
    if (failed.length > 0 && !p.allowMissing) {
      const lines = failed.map((r) => {
        const tries = r.attempts === 0 ? '' : `, ${r.attempts} ${r.attempts === 1 ? 'request' : 'requests'}`;
        return `  - ${r.name} (${r.origin}${tries}): ${r.error}${r.url === '' ? '' : ` — ${r.url}`}`;
      });
      throw new AsterismError(
        'FETCH_FAILED',
        `fetch-cutouts: ${failed.length} of ${rows.length} positions could not be fetched from ${p.source}:\n${lines.join('\n')}`,
        { hint: 'Check the positions and the service, or set `allowMissing: true` to keep the others' },
      );
    }
    if (failed.length > 0)
      ctx.log.warn(`${failed.length} of ${rows.length} positions missing (allowMissing)`);
    return { cutouts: 'cutouts', catalog: 'catalog.csv' };
  },
});

function okRow(position: SkyPosition, file: string, url: string, attempts: number): CatalogRow {
  return { ...base(position), status: 'ok', file, url, attempts, error: '' };
}

function failedRow(position: SkyPosition, url: string, attempts: number, error: string): CatalogRow {
  return { ...base(position), status: 'failed', file: '', url, attempts, error };
}

function base(position: SkyPosition): Pick<CatalogRow, 'name' | 'ra' | 'dec' | 'origin'> {
  return { name: position.name, ra: position.ra, dec: position.dec, origin: position.origin };
}
