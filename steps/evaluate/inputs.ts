/**
 * Reading what `evaluate` scores: the candidates and truth catalogs, the detector's report
 * (sidecar), the truth masks and the detector's segmentation, with errors that name the file.
 */
import { StepInputError } from '../../engine/index.js';
import { FitsError, readFitsImage } from '../lib/fits/index.js';
import { labelComponents } from '../lib/image/components.js';
import { ImageSetError, listFields } from '../lib/imageset/image-set.js';
import { candidatesFromTable, truthFromTable } from '../lib/metrics/catalogs.js';
import type { TruthLabelMaps } from '../lib/metrics/evaluation.js';
import type { LabelMap } from '../lib/metrics/footprints.js';
import type { Candidate, TruthObject } from '../lib/metrics/types.js';
import { CsvError, readCsv } from '../lib/table/csv.js';

/** Read and parse a catalog, turning format problems into a StepInputError on that file. */
export async function readCatalog<T>(path: string, what: 'candidates' | 'truth'): Promise<T[]> {
  try {
    const table = await readCsv(path);
    return (what === 'candidates' ? candidatesFromTable(table, path) : truthFromTable(table, path)) as T[];
  } catch (error) {
    if (error instanceof CsvError || (error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new StepInputError(`cannot read the ${what} catalog: ${(error as Error).message}`, {
        file: path,
        hint:
          what === 'candidates'
            ? 'Pass the `candidates` output of detect or detect-threshold (columns field,x,y,score[,area,label])'
            : 'Pass the `truth` output of inject (columns x,y,field,kind,real[,flux,snr])',
        cause: error,
      });
    }
    throw error;
  }
}

function readFitsOrThrow(path: string, what: string): ReturnType<typeof readFitsImage> {
  try {
    return readFitsImage(path);
  } catch (error) {
    if (!(error instanceof FitsError)) throw error;
    throw new StepInputError(`cannot read the ${what}: ${error.message}`, { file: path, cause: error });
  }
}

async function listOrThrow(dir: string, what: string): Promise<ReturnType<typeof listFields>> {
  try {
    return listFields(dir);
  } catch (error) {
    if (error instanceof ImageSetError) throw new StepInputError(`${what}: ${error.message}`, { file: dir });
    throw error;
  }
}

/** Per field, the 8-connected components of mask == 1 and of mask == 2. */
export async function readTruthMaps(
  dir: string,
  fields: ReadonlySet<string>,
): Promise<Map<string, TruthLabelMaps>> {
  const maps = new Map<string, TruthLabelMaps>();
  for (const { field, path } of await listOrThrow(dir, 'masks')) {
    if (!fields.has(field)) continue;
    const { width, height, data } = readFitsOrThrow(path, `mask of field \`${field}\``).image;
    const ofClass = (value: number): LabelMap => {
      const binary = new Uint8Array(data.length);
      for (let i = 0; i < data.length; i++) binary[i] = data[i] === value ? 1 : 0;
      const { labels } = labelComponents(binary, width, height, 8);
      return { width, height, labels };
    };
    maps.set(field, { real: ofClass(1), artifact: ofClass(2) });
  }
  return maps;
}

/** Per field, the detector's segmentation label map. */
export async function readSegmentation(
  dir: string,
  fields: ReadonlySet<string>,
): Promise<Map<string, LabelMap>> {
  const maps = new Map<string, LabelMap>();
  for (const { field, path } of await listOrThrow(dir, 'segmentation')) {
    if (!fields.has(field)) continue;
    const { width, height, data } = readFitsOrThrow(path, `segmentation of field \`${field}\``).image;
    maps.set(field, { width, height, labels: Int32Array.from(data) });
  }
  return maps;
}

/** Keep only the rows of the evaluated fields. */
export function restrictToFields<T extends Candidate | TruthObject>(
  rows: readonly T[],
  fields: ReadonlySet<string>,
): T[] {
  return rows.filter((r) => fields.has(r.field));
}
