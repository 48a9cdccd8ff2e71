/** `source: local` for fetch-sharps: the FITS files of a folder, sorted by name. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** FITS files (`.fits`, `.fit`, `.fts`, any case) of `folder`, sorted; throws when none. */
export function listSharpFiles(folder: string): string[] {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    throw new Error(`${folder}: no such folder`);
  }
  const files = names.filter((n) => !n.startsWith('.') && /\.(fits|fit|fts)$/i.test(n)).sort();
  if (files.length === 0) throw new Error(`${folder}: holds no FITS file`);
  return files.map((n) => join(folder, n));
}
