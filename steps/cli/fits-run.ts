/**
 * What `asterism fits` does (`fits-command.ts` holds its name and help and imports this module
 * only when the command runs, so other commands do not load the FITS and PNG code).
 */
import { resolve } from 'node:path';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { AsterismError, type CommandIO } from '../../engine/index.js';
import { describeLocation, FitsError, withFits } from '../lib/fits/index.js';
import type { HduSelector } from '../lib/fits/reader.js';
import { formatSummaries, summarizeFits } from './fits-info.js';
import { PREVIEW_STRETCHES, type PreviewStretch, previewFits } from './fits-preview.js';

function usage(message: string): AsterismError {
  return new AsterismError('USAGE', message, { hint: 'see `asterism fits --help`' });
}

function selector(value: string | undefined): HduSelector | undefined {
  if (value === undefined) return undefined;
  return /^\d+$/.test(value) ? Number(value) : value;
}

/** FitsError → AsterismError, so the CLI prints file, HDU and hint in its usual format. */
function asUserError(error: unknown): unknown {
  if (!(error instanceof FitsError)) return error;
  return new AsterismError('FITS', `${describeLocation(error)}: ${error.problem}`, {
    ...(error.hint === undefined ? {} : { hint: error.hint }),
    cause: error,
  });
}

function parse(argv: readonly string[], options: NonNullable<ParseArgsConfig['options']>) {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw usage(`${(error as Error).message.replace(/\.$/, '')} (asterism fits)`);
  }
}

async function info(argv: readonly string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parse(argv, {
    json: { type: 'boolean' },
    header: { type: 'boolean' },
    hdu: { type: 'string' },
  });
  const [file, extra] = positionals;
  if (file === undefined) throw usage('missing FILE: usage: asterism fits info FILE [--json] [--header]');
  if (extra !== undefined) throw usage(`unexpected argument \`${extra}\``);
  const path = resolve(io.cwd, file);
  const hdu = selector(values.hdu as string | undefined);
  if (values.header === true) {
    const text = withFits(path, (reader) => {
      const hdus = hdu === undefined ? reader.hdus() : [reader.hdu(hdu)];
      return hdus
        .map(
          (h) =>
            `# HDU ${h.index}${h.extname === undefined ? '' : ` (${h.extname})`}\n${[...h.header.toLines(), 'END'].map((l) => l.trimEnd()).join('\n')}\n`,
        )
        .join('\n');
    });
    io.stdout.write(text);
    return 0;
  }
  const summaries = summarizeFits(path).filter(
    (s) =>
      hdu === undefined ||
      s.index === hdu ||
      (typeof hdu === 'string' && s.extname?.toUpperCase() === hdu.toUpperCase()),
  );
  io.stdout.write(
    values.json === true
      ? `${JSON.stringify({ file: path, hdus: summaries }, null, 2)}\n`
      : formatSummaries(file, summaries),
  );
  return 0;
}

async function preview(argv: readonly string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parse(argv, {
    hdu: { type: 'string' },
    output: { type: 'string', short: 'o' },
    stretch: { type: 'string' },
    colormap: { type: 'string' },
  });
  const [file, extra] = positionals;
  if (file === undefined) throw usage('missing FILE: usage: asterism fits preview FILE -o OUT.png');
  if (extra !== undefined) throw usage(`unexpected argument \`${extra}\``);
  const out = values.output as string | undefined;
  if (out === undefined) throw usage('missing -o OUT.png: where to write the preview');
  const stretch = (values.stretch as string | undefined) ?? 'zscale';
  if (!(PREVIEW_STRETCHES as readonly string[]).includes(stretch)) {
    throw usage(`--stretch must be one of ${PREVIEW_STRETCHES.join(', ')}, got \`${stretch}\``);
  }
  const colormap = (values.colormap as string | undefined) ?? 'grey';
  if (colormap !== 'grey' && colormap !== 'viridis')
    throw usage(`--colormap must be grey or viridis, got \`${colormap}\``);
  const hdu = selector(values.hdu as string | undefined);
  const drawn = previewFits(resolve(io.cwd, file), resolve(io.cwd, out), {
    ...(hdu === undefined ? {} : { hdu }),
    stretch: stretch as PreviewStretch,
    colormap,
  });
  io.stdout.write(`wrote ${out} (${drawn.width}×${drawn.height}, HDU ${drawn.hdu}, ${stretch})\n`);
  return 0;
}

/** Run `asterism fits SUBCOMMAND ...` with the arguments after `fits`. */
export async function runFits(argv: readonly string[], io: CommandIO): Promise<number> {
  const [sub, ...rest] = argv;
  try {
    if (sub === 'info') return await info(rest, io);
    if (sub === 'preview') return await preview(rest, io);
  } catch (error) {
    throw asUserError(error);
  }
  throw usage(
    sub === undefined
      ? 'missing subcommand: info or preview'
      : `unknown subcommand \`${sub}\`; expected info or preview`,
  );
}
