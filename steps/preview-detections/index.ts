/**
 * preview-detections: PNG previews of ZOGY difference images with the detections circled, and
 * (optionally) the injected truth marked, so a person can see at a glance what `difference`
 * found. Panels per field: D (zscale, grey) and S_corr (linear, −threshold…+3·threshold); red
 * circles are detections, green squares injected real transients, yellow squares injected
 * artifacts. North-up FITS orientation (row 0 at the bottom).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { defineStep, StepInputError } from '../../engine/index.js';
import { FitsError, readFitsImage } from '../lib/fits/index.js';
import { ImageSetError, listFields } from '../lib/imageset/image-set.js';
import { composeGrid } from '../lib/render/compose.js';
import { drawCircle, drawRect } from '../lib/render/draw.js';
import { writePng } from '../lib/render/png.js';
import { renderImage } from '../lib/render/preview.js';
import type { Rgb, RgbImage } from '../lib/render/types.js';
import { CsvError, readCsv } from '../lib/table/csv.js';

interface Marker {
  readonly x: number;
  readonly y: number;
  readonly color: Rgb;
  readonly shape: 'circle' | 'square';
}

async function markers(
  path: string | undefined,
  color: (row: Record<string, string>) => Rgb,
  shape: Marker['shape'],
) {
  const byField = new Map<string, Marker[]>();
  if (path === undefined) return byField;
  let table: Awaited<ReturnType<typeof readCsv>>;
  try {
    table = await readCsv(path);
  } catch (error) {
    if (error instanceof CsvError) throw new StepInputError(error.message, { file: path, cause: error });
    throw error;
  }
  for (const row of table.rows) {
    const list = byField.get(row.field ?? '') ?? [];
    list.push({ x: Number(row.x), y: Number(row.y), color: color(row), shape });
    byField.set(row.field ?? '', list);
  }
  return byField;
}

export const previewDetections = defineStep({
  name: 'preview-detections',
  version: '1',
  description: 'PNG previews of difference images with detections circled (and injected truth marked).',
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      difference: { type: 'string', description: 'Image set from `difference` (DIFF and SCORR extensions).' },
      detections: { type: 'string', description: 'Detections CSV from `difference`.' },
      truth: {
        type: 'string',
        description: 'Optional truth CSV from `inject` (real: green, artifact: yellow).',
      },
      threshold: { type: 'number', default: 5, description: 'S_corr threshold, sets the SCORR panel range.' },
      scale: { type: 'integer', minimum: 1, maximum: 8, default: 2, description: 'Pixel enlargement.' },
      seed: { type: 'integer', description: 'Unused; accepted for uniform recipes.' },
    },
    required: ['difference', 'detections', 'threshold', 'scale'],
  } as const,
  outputs: { previews: 'Folder of <field>.png: D and S_corr panels with markers.' },
  resources: { cpu: 1 },
  async run(ctx) {
    const p = ctx.params;
    let fields: ReturnType<typeof listFields>;
    try {
      fields = listFields(p.difference);
    } catch (error) {
      if (error instanceof ImageSetError)
        throw new StepInputError(error.message, { file: error.path, cause: error });
      throw error;
    }
    const detections = await markers(p.detections, () => [255, 40, 40], 'circle');
    const truth = await markers(
      p.truth,
      (row) => (row.real === '1' || row.real === 'true' ? [40, 220, 40] : [255, 220, 0]),
      'square',
    );
    await mkdir(join(ctx.outDir, 'previews'), { recursive: true });
    for (const [index, { field, path }] of fields.entries()) {
      ctx.signal.throwIfAborted();
      let diff: ReturnType<typeof readFitsImage>;
      let scorr: ReturnType<typeof readFitsImage>;
      try {
        diff = readFitsImage(path, { hdu: 'DIFF' });
        scorr = readFitsImage(path, { hdu: 'SCORR' });
      } catch (error) {
        if (error instanceof FitsError) {
          throw new StepInputError(`field \`${field}\`: ${error.message}`, {
            file: path,
            hint: 'Pass the `difference` output of the difference step',
            cause: error,
          });
        }
        throw error;
      }
      const { height } = diff.image;
      const panels: RgbImage[] = [
        renderImage(diff.image, { colormap: 'grey', flipY: true }),
        renderImage(scorr.image, {
          colormap: 'grey',
          flipY: true,
          interval: { kind: 'manual', vmin: -p.threshold, vmax: 3 * p.threshold },
        }),
      ];
      const marks = [...(truth.get(field) ?? []), ...(detections.get(field) ?? [])];
      for (const panel of panels) {
        for (const m of marks) {
          // Flipped display: image row y is drawn at height − 1 − y.
          const yy = height - 1 - m.y;
          if (m.shape === 'circle') drawCircle(panel, m.x, yy, 6, m.color, 1.2);
          else
            drawRect(
              panel,
              Math.round(m.x) - 8,
              Math.round(yy) - 8,
              Math.round(m.x) + 8,
              Math.round(yy) + 8,
              m.color,
            );
        }
      }
      writePng(
        join(ctx.outDir, 'previews', `${field}.png`),
        composeGrid(panels, { columns: 2, scale: p.scale, labels: [`${field} D`, `${field} S_corr`] }),
      );
      ctx.progress(index + 1, fields.length);
    }
    return { previews: 'previews' };
  },
});
