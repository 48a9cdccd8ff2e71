/**
 * The sidecar a detector writes beside its candidates catalog (`detection.json`), so that an
 * evaluation can name the detector, its backend and its speed, and knows which images it ran on
 * (an image with no candidate still counts in false positives per image).
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** File name of the sidecar, in the same folder as the candidates catalog. */
export const DETECTION_REPORT_FILE = 'detection.json';

/** What a detector records about one run. */
export interface DetectionReport {
  /** `unet` or `scorr-threshold`. */
  readonly detector: string;
  /** Threshold on the score map (probability, or S_corr). */
  readonly threshold: number;
  /** Compute backend (`tensorflow`, `cpu`, `wasm`, ... or `native-js` for non-tfjs code). */
  readonly backend: string;
  /** Fields (image names) the detector ran on, in processing order. */
  readonly fields: readonly string[];
  /** Wall-clock milliseconds per image (reading excluded, thresholding and labelling included). */
  readonly msPerImage: number;
  /** Image width × height in pixels of the first image. */
  readonly imageShape: readonly [number, number];
  /** Segmentation folder relative to the sidecar, when the detector wrote one. */
  readonly segmentation?: string;
}

/** Read the sidecar beside `candidatesPath`; `undefined` when there is none. */
export async function readDetectionReport(
  candidatesPath: string,
): Promise<{ report: DetectionReport; dir: string } | undefined> {
  const path = join(dirname(candidatesPath), DETECTION_REPORT_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const report = JSON.parse(text) as DetectionReport;
  if (!Array.isArray(report.fields) || typeof report.detector !== 'string') {
    throw new Error(`${path}: not a detection report (expected \`detector\` and \`fields\`)`);
  }
  return { report, dir: dirname(path) };
}
