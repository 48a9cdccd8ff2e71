/**
 * Image sets: the folder-of-fields convention shared by the transient steps (issue 4).
 *
 * An image set is a folder of FITS files, one per field, named `<field>.fits`; a field keeps its
 * name through every step. For convenience a single FITS file is also accepted as a one-field set
 * named after the file. Files ending `.fits`, `.fit`, `.fts` (any case) count; anything else in the
 * folder (a README, a CSV) is ignored.
 */
import { readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';

const FITS_NAME = /^(.*)\.(fits|fit|fts)$/i;

/** One field of an image set. */
export interface FieldFile {
  /** The field name (file name without its extension). */
  readonly field: string;
  /** Absolute path of the FITS file. */
  readonly path: string;
}

/** A folder or file that is not a usable image set. */
export class ImageSetError extends Error {
  readonly path: string;
  constructor(path: string, message: string) {
    super(`${path}: ${message}`);
    this.name = 'ImageSetError';
    this.path = path;
  }
}

/** The fields of an image set, sorted by name. Throws if the path is missing or holds no FITS file. */
export function listFields(path: string): FieldFile[] {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch {
    throw new ImageSetError(path, 'no such file or folder');
  }
  if (!isDirectory) {
    const match = FITS_NAME.exec(basename(path));
    if (match === null)
      throw new ImageSetError(path, 'expected a folder of FITS files or one .fits/.fit file');
    return [{ field: match[1]!, path }];
  }
  const fields = readdirSync(path)
    .map((name) => ({ name, match: FITS_NAME.exec(name) }))
    .filter((e) => e.match !== null && !e.name.startsWith('.'))
    .map((e) => ({ field: e.match![1]!, path: join(path, e.name) }))
    .sort((a, b) => (a.field < b.field ? -1 : a.field > b.field ? 1 : 0));
  if (fields.length === 0) throw new ImageSetError(path, 'the folder holds no .fits/.fit files');
  const seen = new Set<string>();
  for (const f of fields) {
    if (seen.has(f.field))
      throw new ImageSetError(path, `two files for field \`${f.field}\` (e.g. .fit and .fits)`);
    seen.add(f.field);
  }
  return fields;
}

/**
 * Pair two image sets by field name. Fields present in only one set are an error that lists
 * them, except that two one-file sets pair whatever their names.
 */
export function pairFields(
  referencePath: string,
  sciencePath: string,
): { field: string; reference: string; science: string }[] {
  const reference = listFields(referencePath);
  const science = listFields(sciencePath);
  if (reference.length === 1 && science.length === 1 && reference[0]!.field !== science[0]!.field) {
    return [{ field: science[0]!.field, reference: reference[0]!.path, science: science[0]!.path }];
  }
  const byName = new Map(reference.map((f) => [f.field, f.path]));
  const missing = science.filter((f) => !byName.has(f.field)).map((f) => f.field);
  if (missing.length > 0) {
    throw new ImageSetError(
      referencePath,
      `no reference for science field(s) ${missing.map((m) => `\`${m}\``).join(', ')}; fields are paired by file name`,
    );
  }
  return science.map((f) => ({ field: f.field, reference: byName.get(f.field)!, science: f.path }));
}
