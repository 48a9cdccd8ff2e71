/**
 * `asterism fits`: look inside FITS files without leaving the terminal.
 *
 *   asterism fits info FILE [--json] [--header] [--hdu N|NAME]
 *   asterism fits preview FILE [--hdu N|NAME] -o out.png [--stretch zscale|asinh|linear] [--colormap grey|viridis]
 */
import { resolve } from 'node:path';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { AsterismError, type CommandDefinition, type CommandIO } from '../../engine/index.js';
import { describeLocation, FitsError, withFits } from '../lib/fits/index.js';
import type { HduSelector } from '../lib/fits/reader.js';
import { formatSummaries, summarizeFits } from './fits-info.js';
import { PREVIEW_STRETCHES, type PreviewStretch, previewFits } from './fits-preview.js';

const HELP = `asterism fits — inspect FITS files

Usage:
  asterism fits info FILE [--json] [--header] [--hdu N|NAME]
  asterism fits preview FILE [--hdu N|NAME] -o OUT.png [--stretch zscale|asinh|linear] [--colormap grey|viridis]

info      one line per HDU: index, EXTNAME, type (image, bintable, compressed-image), BITPIX,
          axes in FITS order (NAXIS1×NAXIS2...), and for images min/max/mean/std/NaN count.
          --json prints the same as JSON; --header prints the header cards instead
          (of every HDU, or of the one --hdu names).
preview   render one image HDU (default: the first with an image) to PNG, FITS row 1 at the
          bottom as in DS9. Stretches: zscale (default), asinh, linear.

Examples:
  asterism fits info ../shared/data/gmos-cosmic-rays/gmos.fits
  asterism fits info image.fits --json
  asterism fits info image.fits --header --hdu SCI
  asterism fits preview image.fits --hdu SCI -o sci.png --stretch asinh`;

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

/** The `asterism fits` command, handed to the engine's CLI by the bin entry. */
export const fitsCommand: CommandDefinition = {
  name: 'fits',
  description: 'Inspect FITS files: list HDUs with statistics, print headers, render PNG previews',
  help: HELP,
  async run(argv, io) {
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
  },
};
