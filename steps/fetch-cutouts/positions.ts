/**
 * Sky positions for fetch-cutouts: read from a CSV (`ra,dec` in degrees, optional `name`) or an
 * inline list, each given a file-safe field name (the IAU-style `Jhhmmss.ss+ddmmss.s` by default).
 */
import { CsvError, cellNumber, readCsv, requireColumns } from '../lib/table/csv.js';

/** One requested position and the field name its cutout is written under. */
export interface SkyPosition {
  /** Right ascension, degrees. */
  readonly ra: number;
  /** Declination, degrees. */
  readonly dec: number;
  /** File-safe field name: a given name reduced to [A-Za-z0-9._-], or the `J…±…` designation. */
  readonly name: string;
  /** Where it was given, for messages: `positions.csv row 3` or `positions[2]`. */
  readonly origin: string;
}

/** An inline position as a recipe writes it. */
export interface InlinePosition {
  readonly ra: number;
  readonly dec: number;
  readonly name?: string | undefined;
}

/** A position list that cannot be used; the message names the row and what to fix. */
export class PositionsError extends Error {
  override readonly name = 'PositionsError';
}

/**
 * The IAU-style designation of a position, truncated (not rounded) as the IAU recommends so a
 * name never points into the neighbouring cell: `J123456.78+123456.7`.
 */
export function designation(raDeg: number, decDeg: number): string {
  const raCs = Math.floor(((((raDeg % 360) + 360) % 360) / 15) * 3600 * 100 + 1e-6);
  const hours = Math.floor(raCs / 360_000);
  const minutes = Math.floor((raCs % 360_000) / 6000);
  const seconds = (raCs % 6000) / 100;
  const decDs = Math.floor(Math.abs(decDeg) * 3600 * 10 + 1e-6);
  const degrees = Math.floor(decDs / 36_000);
  const arcmin = Math.floor((decDs % 36_000) / 600);
  const arcsec = (decDs % 600) / 10;
  const sign = decDeg < 0 ? '-' : '+';
  return `J${pad(hours, 2)}${pad(minutes, 2)}${seconds.toFixed(2).padStart(5, '0')}${sign}${pad(degrees, 2)}${pad(arcmin, 2)}${arcsec.toFixed(1).padStart(4, '0')}`;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/** A name reduced to [A-Za-z0-9._-] (others become `_`), never hidden nor `.`/`..`. */
export function sanitiseName(name: string): string {
  const safe = name.trim().replace(/[^A-Za-z0-9._-]/g, '_');
  return safe === '' || safe.startsWith('.') ? `_${safe}` : safe;
}

/** Check one position and name it. */
function makePosition(ra: number, dec: number, name: string | undefined, origin: string): SkyPosition {
  if (!Number.isFinite(ra) || ra < 0 || ra >= 360) {
    throw new PositionsError(`${origin}: ra = ${ra} is not in [0, 360) degrees`);
  }
  if (!Number.isFinite(dec) || dec < -90 || dec > 90) {
    throw new PositionsError(`${origin}: dec = ${dec} is not in [-90, 90] degrees`);
  }
  // A given name is sanitised; the designation is file-safe by construction (its `+` sign is
  // kept, as the IAU spells it).
  const given = name === undefined || name.trim() === '' ? undefined : name;
  return { ra, dec, name: given === undefined ? designation(ra, dec) : sanitiseName(given), origin };
}

/** Positions from a CSV file with `ra`, `dec` and optionally `name` columns. */
export async function readPositionsCsv(path: string): Promise<SkyPosition[]> {
  try {
    const table = await readCsv(path);
    requireColumns(table, ['ra', 'dec'], path);
    return table.rows.map((row, i) =>
      makePosition(
        cellNumber(table, i, 'ra', path),
        cellNumber(table, i, 'dec', path),
        row.name,
        `${path} row ${i + 2}`,
      ),
    );
  } catch (error) {
    if (error instanceof CsvError) throw new PositionsError(error.message, { cause: error });
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new PositionsError(`${path}: no such file`, { cause: error });
    }
    throw error;
  }
}

/** Positions from an inline list. */
export function inlinePositions(list: readonly InlinePosition[]): SkyPosition[] {
  return list.map((p, i) => makePosition(p.ra, p.dec, p.name, `positions[${i}]`));
}

/** Two positions may not write the same file: the message names both. */
export function requireUniqueNames(positions: readonly SkyPosition[]): void {
  const seen = new Map<string, SkyPosition>();
  for (const p of positions) {
    const first = seen.get(p.name);
    if (first !== undefined) {
      throw new PositionsError(
        `${first.origin} and ${p.origin} both name the field \`${p.name}\`; give them distinct \`name\`s`,
      );
    }
    seen.set(p.name, p);
  }
  if (positions.length === 0) throw new PositionsError('the position list is empty');
}
