/**
 * The JSOC export protocol (`jsoc_fetch`, as the JSOC AjaxJsocConnect notes and the `drms`
 * client use it):
 * 1. `GET /cgi-bin/ajax/jsoc_fetch?op=exp_request&ds=<recordset>&method=url&protocol=fits&format=json&notify=<email>`
 *    answers JSON with `requestid` and `status` (0 done, 1 processing, 2 queued; ≥ 3 an error
 *    described by `error`).
 * 2. `GET ...jsoc_fetch?op=exp_status&requestid=<id>&format=json` until `status` is 0; then
 *    `dir` and `data: [{record, filename}]` name the files. Status 6 ("request not found") can
 *    answer a poll that arrives before the request is registered, so it is treated as pending.
 * 3. Each file is at `<base><dir>/<filename>`.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { fetchWithRetry, ResponseContentError, type RetryOptions } from '../lib/http/index.js';

/** One exported file. */
export interface ExportFile {
  readonly record: string;
  readonly filename: string;
  readonly url: string;
}

/** The export failed (JSOC said so, or it took too long). */
export class JsocExportError extends Error {
  readonly url: string;
  constructor(message: string, url: string) {
    super(message);
    this.name = 'JsocExportError';
    this.url = url;
  }
}

export interface ExportOptions {
  readonly baseUrl: string;
  readonly recordSet: string;
  readonly notify: string;
  readonly pollMs: number;
  readonly maxWaitMs: number;
  readonly retry: RetryOptions;
  readonly signal: AbortSignal;
  readonly onStatus?: (message: string) => void;
}

/** `hmi.sharp_cea_720s[377][2011.02.15_00:00:00_TAI-2011.02.16_00:00:00_TAI@1h]{Br}`. */
export function sharpRecordSet(options: {
  readonly series: string;
  readonly harp: number;
  readonly start: string;
  readonly end: string;
  readonly cadence?: string | undefined;
  readonly segment: string;
}): string {
  const cadence = options.cadence === undefined ? '' : `@${options.cadence}`;
  return `${options.series}[${options.harp}][${options.start}-${options.end}${cadence}]{${options.segment}}`;
}

interface JsocAnswer {
  readonly status: number;
  readonly requestid?: string;
  readonly error?: string;
  readonly dir?: string;
  readonly data?: ReadonlyArray<{ readonly record?: string; readonly filename?: string }>;
}

function parseAnswer(body: Buffer): JsocAnswer {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    throw new ResponseContentError(
      `expected JSON from jsoc_fetch, got: ${body.toString('utf8', 0, 80)}`,
      false,
    );
  }
  if (
    typeof json !== 'object' ||
    json === null ||
    typeof (json as { status?: unknown }).status !== 'number'
  ) {
    throw new ResponseContentError('expected a JSON object with a numeric `status` from jsoc_fetch', false);
  }
  return json as JsocAnswer;
}

function fetchUrl(base: string, query: Readonly<Record<string, string>>): string {
  return `${base.replace(/\/+$/, '')}/cgi-bin/ajax/jsoc_fetch?${new URLSearchParams(query).toString()}`;
}

/** Request an export, wait for it, and list its files. */
export async function exportRecordSet(options: ExportOptions): Promise<ExportFile[]> {
  const requestUrl = fetchUrl(options.baseUrl, {
    op: 'exp_request',
    ds: options.recordSet,
    method: 'url',
    protocol: 'fits',
    format: 'json',
    notify: options.notify,
  });
  let answer = (await fetchWithRetry(requestUrl, parseAnswer, options.retry)).value;
  let url = requestUrl;
  const requestId = answer.requestid;
  const started = Date.now();
  while (answer.status !== 0) {
    const pending = answer.status === 1 || answer.status === 2 || (answer.status === 6 && url !== requestUrl);
    if (!pending || requestId === undefined) {
      throw new JsocExportError(
        `JSOC export of ${options.recordSet} failed with status ${answer.status}: ${answer.error ?? 'no message'}`,
        url,
      );
    }
    if (Date.now() - started > options.maxWaitMs) {
      throw new JsocExportError(
        `JSOC export ${requestId} not ready after ${Math.round(options.maxWaitMs / 1000)} s (status ${answer.status})`,
        url,
      );
    }
    options.onStatus?.(`export ${requestId}: status ${answer.status}, polling`);
    await delay(options.pollMs, undefined, { signal: options.signal });
    url = fetchUrl(options.baseUrl, { op: 'exp_status', requestid: requestId, format: 'json' });
    answer = (await fetchWithRetry(url, parseAnswer, options.retry)).value;
  }
  const dir = answer.dir ?? '';
  const files = (answer.data ?? []).filter((d) => typeof d.filename === 'string' && d.filename !== '');
  return files.map((d) => ({
    record: d.record ?? '',
    filename: d.filename!,
    url: `${options.baseUrl.replace(/\/+$/, '')}${dir}/${d.filename}`,
  }));
}
