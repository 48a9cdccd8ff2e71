/**
 * `fetch-sharps`: SHARP patches (default the radial field `Br` of `hmi.sharp_cea_720s`) by HARP
 * number and time range, through JSOC's export protocol, or from a local folder. Writes
 * `patches/<name>.fits` (the JSOC header kept, provenance added) and `catalog.csv`.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AsterismError, defineStep, StepInputError } from '../../engine/index.js';
import { type Header, provenanceCards, readFitsImage, writeFits } from '../lib/fits/index.js';
import {
  allSettledOrThrow,
  checkFitsBody,
  createRateLimitedQueue,
  fetchWithRetry,
  HttpFetchError,
  type RetryOptions,
} from '../lib/http/index.js';
import type { Image } from '../lib/image/types.js';
import { writeCsv } from '../lib/table/csv.js';
import { type ExportFile, exportRecordSet, JsocExportError, sharpRecordSet } from './jsoc.js';
import { listSharpFiles } from './local.js';
import { fetchSharpsParams } from './params.js';

type Row = {
  readonly name: string;
  readonly harp: number | '';
  readonly record: string;
  readonly status: 'ok' | 'failed';
  readonly file: string;
  readonly url: string;
  readonly error: string;
};

/** `hmi.sharp_cea_720s.377.20110215_000000_TAI.Br.fits` → that name without `.fits`, file-safe. */
function patchName(filename: string): string {
  return filename.replace(/\.fits$/i, '').replace(/[^A-Za-z0-9._-]/g, '_');
}

export const fetchSharps = defineStep({
  name: 'fetch-sharps',
  version: '1',
  description: 'SHARP Br patches by HARP number and time range from JSOC exports, or a local folder.',
  params: fetchSharpsParams,
  outputs: {
    patches: 'image set: one FITS per SHARP record, JSOC header (CEA WCS, HARPNUM, T_REC) plus provenance',
    catalog: 'CSV: name, harp, record, status, file, url, error',
  },
  resources: { cpu: 1 },
  async run(ctx) {
    const p = ctx.params;
    const harps = p.harp === undefined ? [] : typeof p.harp === 'number' ? [p.harp] : [...p.harp];
    const outDir = join(ctx.outDir, 'patches');
    mkdirSync(outDir, { recursive: true });
    const rows: Row[] = [];
    const write = (name: string, image: Image, header: Header, origin: string): string => {
      const cards = header.clone();
      const provenance = provenanceCards(ctx.provenance);
      for (const card of provenance) cards.delete(card.keyword);
      cards.add(provenance);
      cards.set('ASTORIG', origin, 'URL or file the patch came from');
      const file = `patches/${name}.fits`;
      writeFits(join(ctx.outDir, file), [{ data: image, bitpix: -32, cards }]);
      return file;
    };

    if (p.source === 'local') {
      if (p.path === undefined) {
        throw new StepInputError('fetch-sharps: `source: local` needs param `path` (a folder of SHARP FITS)');
      }
      let files: string[];
      try {
        files = listSharpFiles(resolve(ctx.recipeDir, p.path));
      } catch (error) {
        throw new StepInputError(`fetch-sharps: param \`path\`: ${(error as Error).message}`, {
          cause: error,
        });
      }
      files.forEach((path, i) => {
        ctx.signal.throwIfAborted();
        const { image, header } = readFitsImage(path);
        const harp = header.getInteger('HARPNUM');
        if (harps.length > 0 && (harp === undefined || !harps.includes(harp))) return;
        const name = patchName(path.slice(path.lastIndexOf('/') + 1));
        const file = write(name, image, header, path);
        rows.push({
          name,
          harp: harp ?? '',
          record: header.getString('T_REC') ?? '',
          status: 'ok',
          file,
          url: path,
          error: '',
        });
        ctx.progress(i + 1, files.length);
      });
    } else {
      if (harps.length === 0 || p.start === undefined || p.end === undefined || p.notify === undefined) {
        throw new StepInputError('fetch-sharps: `source: jsoc` needs `harp`, `start`, `end` and `notify`', {
          hint: 'notify is an email registered at http://jsoc.stanford.edu/ajax/register_email.html',
        });
      }
      const { schedule } = createRateLimitedQueue({
        requestsPerSecond: p.requestsPerSecond,
        concurrency: p.concurrency,
      });
      const retry: RetryOptions = {
        signal: ctx.signal,
        timeoutMs: p.timeoutSeconds * 1000,
        retries: p.retries,
        backoffMs: p.backoffSeconds * 1000,
        schedule,
        onRetry: (e) =>
          ctx.log.info(`retry ${e.attempt} in ${(e.delayMs / 1000).toFixed(2)} s after: ${e.reason}`),
      };
      const scratch = mkdtempSync(join(tmpdir(), 'asterism-sharps-'));
      try {
        const listed: Array<{ harp: number; file: ExportFile }> = [];
        for (const harp of harps) {
          const recordSet = sharpRecordSet({
            series: p.series,
            harp,
            start: p.start,
            end: p.end,
            cadence: p.cadence,
            segment: p.segment,
          });
          try {
            const files = await exportRecordSet({
              baseUrl: p.baseUrl,
              recordSet,
              notify: p.notify,
              pollMs: p.pollSeconds * 1000,
              maxWaitMs: p.maxWaitMinutes * 60_000,
              retry,
              signal: ctx.signal,
              onStatus: (m) => ctx.log.info(m),
            });
            if (files.length === 0) ctx.log.warn(`${recordSet}: the export holds no files`);
            for (const file of files) listed.push({ harp, file });
          } catch (error) {
            if (!(error instanceof JsocExportError || error instanceof HttpFetchError)) throw error;
            const url = error.url;
            rows.push({
              name: `harp-${harp}`,
              harp,
              record: recordSet,
              status: 'failed',
              file: '',
              url,
              error: error.message,
            });
          }
        }
        let done = 0;
        await allSettledOrThrow(
          listed.map(async ({ harp, file }) => {
            const name = patchName(file.filename);
            try {
              const got = await fetchWithRetry(
                file.url,
                (body, type) => checkFitsBody(body, type, scratch, name),
                retry,
              );
              const written = write(name, got.value.image, got.value.header, file.url);
              rows.push({
                name,
                harp,
                record: file.record,
                status: 'ok',
                file: written,
                url: file.url,
                error: '',
              });
            } catch (error) {
              if (!(error instanceof HttpFetchError)) throw error;
              rows.push({
                name,
                harp,
                record: file.record,
                status: 'failed',
                file: '',
                url: file.url,
                error: error.detail,
              });
            }
            ctx.progress(++done, listed.length);
          }),
        );
      } finally {
        rmSync(scratch, { recursive: true, force: true });
      }
    }
    rows.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    await writeCsv(
      join(ctx.outDir, 'catalog.csv'),
      ['name', 'harp', 'record', 'status', 'file', 'url', 'error'],
      rows,
    );
    const failed = rows.filter((r) => r.status === 'failed');
    if (failed.length > 0 && !p.allowMissing) {
      throw new AsterismError(
        'FETCH_FAILED',
        `fetch-sharps: ${failed.length} of ${rows.length} failed:\n${failed.map((r) => `  - ${r.name}: ${r.error} — ${r.url}`).join('\n')}`,
        { hint: 'Check HARP numbers and times, or set `allowMissing: true` to keep the rest' },
      );
    }
    if (rows.length === 0) {
      throw new AsterismError('FETCH_EMPTY', 'fetch-sharps: no SHARP file matched', {
        hint: 'Check `harp`, the time range and (for local) the folder',
      });
    }
    return { patches: 'patches', catalog: 'catalog.csv' };
  },
});
