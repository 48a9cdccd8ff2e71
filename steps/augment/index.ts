/**
 * augment: label-preserving stamps for training. Stamps of `stampSize` are cut centred (with a
 * jitter) on truth objects and at random background positions, then flipped, turned by quarter
 * turns, slightly rotated, given extra noise and scaled in flux — image planes, masks and truth
 * positions all through the same transform. Deterministic by `ctx.seed`. Photometric changes
 * (noise, flux scale) apply to every plane except SCORR, which is a significance and is only
 * moved geometrically.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { defineStep, StepInputError } from '../../engine/index.js';
import {
  type CardInit,
  FitsError,
  type Header,
  provenanceCards,
  readFitsImage,
  writeFits,
} from '../lib/fits/index.js';
import { MAD_TO_SIGMA, mad } from '../lib/image/statistics.js';
import type { Image } from '../lib/image/types.js';
import { ImageSetError, listFields } from '../lib/imageset/image-set.js';
import { Random } from '../lib/random.js';
import {
  FLIP_X,
  IDENTITY,
  type Matrix2,
  mapPoint,
  multiply,
  quarterTurn,
  rotation,
  sampleStamp,
} from '../lib/sim/stamp-geometry.js';
import { CsvError, type CsvRow, readCsv, writeCsv } from '../lib/table/csv.js';
import { augmentParams } from './params.js';
import { type Plane, readPlanes } from './planes.js';

type TruthRow = Readonly<Record<string, string>>;

function fail(error: unknown, file: string, what: string): never {
  if (error instanceof FitsError || error instanceof CsvError || error instanceof ImageSetError) {
    throw new StepInputError(`${what}: ${error.message}`, { file, cause: error });
  }
  throw error;
}

export const augment = defineStep({
  name: 'augment',
  version: '1',
  description:
    'Label-preserving training stamps (flips, rotations, noise, flux scaling) with masks and truth.',
  params: augmentParams,
  outputs: {
    images: 'Image set of stamps <field>_<k>.fits with the input planes (same EXTNAMEs).',
    masks: 'Image set of uint8 stamp masks (when `masks` is given; else empty).',
    truth: 'CSV: x,y,field (stamp),kind,real,flux,snr plus source_field,source_x,source_y,transform.',
  },
  resources: { cpu: 1 },
  async run(ctx) {
    const p = ctx.params;
    let fields: ReturnType<typeof listFields>;
    try {
      fields = listFields(p.images);
    } catch (error) {
      fail(error, p.images, 'images');
    }
    let truthRows: TruthRow[] = [];
    let truthColumns: readonly string[] = [];
    if (p.truth !== undefined) {
      try {
        const table = await readCsv(p.truth);
        truthRows = [...table.rows];
        truthColumns = table.columns;
      } catch (error) {
        fail(error, p.truth, 'truth');
      }
    }
    const maskFields =
      p.masks === undefined
        ? new Map<string, string>()
        : new Map(listFields(p.masks).map((f) => [f.field, f.path]));
    await mkdir(join(ctx.outDir, 'images'), { recursive: true });
    await mkdir(join(ctx.outDir, 'masks'), { recursive: true });
    const size = p.stampSize;
    const half = (size - 1) / 2;
    const extra = truthColumns.filter((c) => !['x', 'y', 'field'].includes(c));
    const out: CsvRow[] = [];
    const root = new Random(ctx.seed);
    for (const [index, { field, path }] of fields.entries()) {
      ctx.signal.throwIfAborted();
      const rng = root.fork(field);
      let planes: Plane[];
      try {
        planes = readPlanes(path, p.planes);
      } catch (error) {
        fail(error, path, `field \`${field}\``);
      }
      if (planes.length === 0)
        throw new StepInputError(`field \`${field}\`: no image planes to cut`, { file: path });
      const { width, height } = planes[0]!.image;
      let mask: Image | undefined;
      const maskPath = maskFields.get(field);
      if (maskPath !== undefined) {
        try {
          mask = readFitsImage(maskPath).image;
        } catch (error) {
          fail(error, maskPath, `mask of \`${field}\``);
        }
      }
      const objects = truthRows
        .filter((r) => r.field === field)
        .map((r) => ({ row: r, x: Number(r.x), y: Number(r.y) }));
      // Centres: each object (jittered), then background positions away from all objects.
      const centres: [number, number][] = [];
      for (const o of objects) {
        for (let k = 0; k < p.stampsPerObject; k++) {
          const j = () => (p.jitterPx > 0 ? rng.integer(2 * p.jitterPx + 1) - p.jitterPx : 0);
          centres.push([Math.round(o.x) + j(), Math.round(o.y) + j()]);
        }
      }
      for (let k = 0; k < p.backgroundPerField; k++) {
        for (let attempt = 0; attempt < 100; attempt++) {
          const x = rng.integer(width);
          const y = rng.integer(height);
          if (objects.every((o) => Math.max(Math.abs(o.x - x), Math.abs(o.y - y)) > half + 2)) {
            centres.push([x, y]);
            break;
          }
        }
      }
      for (const [k, centre] of centres.entries()) {
        const flip = p.flips && rng.uniform() < 0.5;
        const turns = p.rot90 ? rng.integer(4) : 0;
        const angleDeg = p.maxRotationDeg > 0 ? rng.uniformIn(-p.maxRotationDeg, p.maxRotationDeg) : 0;
        let A: Matrix2 = flip ? FLIP_X : IDENTITY;
        A = multiply(quarterTurn(turns), A);
        if (angleDeg !== 0) A = multiply(rotation((angleDeg * Math.PI) / 180), A);
        const noise = rng.uniformIn(p.noiseFactor[0]!, p.noiseFactor[1]!);
        const scale = rng.uniformIn(p.fluxScale[0]!, p.fluxScale[1]!);
        const noiseRng = rng.fork(`noise-${k}`);
        const unit = Array.from({ length: size * size }, () => noiseRng.normal());
        const name = `${field}_${String(k).padStart(4, '0')}`;
        const transform = `flip=${flip ? 1 : 0};rot90=${turns};angle=${angleDeg.toFixed(3)};noise=${noise.toFixed(4)};scale=${scale.toFixed(4)}`;
        const stampCentre: [number, number] = [Math.floor(size / 2), Math.floor(size / 2)];
        const hdus = planes.map((plane, i) => {
          const stamp = sampleStamp(plane.image, A, centre, size, 'bilinear');
          if (plane.name !== 'SCORR') {
            const finite = Array.from(stamp.data).filter(Number.isFinite);
            const sigma = finite.length > 0 ? MAD_TO_SIGMA * mad(finite) : 0;
            const addSigma = sigma * Math.sqrt(Math.max(0, noise * noise - 1));
            for (let q = 0; q < stamp.data.length; q++)
              stamp.data[q] = (stamp.data[q]! + addSigma * unit[q]!) * scale;
          }
          const cards: CardInit[] = [
            { keyword: 'SRCFIELD', value: field, comment: 'field the stamp was cut from' },
            { keyword: 'SRCX', value: centre[0], comment: '[px] stamp centre in the source field' },
            { keyword: 'SRCY', value: centre[1], comment: '[px] stamp centre in the source field' },
            { keyword: 'AUGMENT', value: transform, comment: 'transform applied' },
            ...provenanceCards(ctx.provenance),
          ];
          return {
            data: stamp,
            bitpix: -32 as const,
            ...(i === 0 && plane.name === 'PRIMARY' ? {} : { extname: plane.name }),
            cards: [...stampWcs(plane.header, A, centre, stampCentre), ...cards],
          };
        });
        writeFits(
          join(ctx.outDir, 'images', `${name}.fits`),
          planes[0]!.name === 'PRIMARY' ? hdus : [{ cards: hdus[0]!.cards }, ...hdus],
        );
        if (mask !== undefined) {
          const m = sampleStamp(mask, A, centre, size, 'nearest');
          writeFits(join(ctx.outDir, 'masks', `${name}.fits`), [
            {
              data: { axes: [size, size], data: Uint8Array.from(m.data) },
              bitpix: 8,
              extname: 'MASK',
              cards: [
                ...stampWcs(planes[0]!.header, A, centre, stampCentre),
                ...provenanceCards(ctx.provenance),
              ],
            },
          ]);
        }
        for (const o of objects) {
          const [x, y] = mapPoint(A, centre, stampCentre, o.x, o.y);
          if (x < -0.5 || y < -0.5 || x > size - 0.5 || y > size - 0.5) continue;
          const row: Record<string, string | number> = { x, y, field: name };
          for (const c of extra) row[c] = o.row[c] ?? '';
          if (row.flux !== undefined && row.flux !== '') row.flux = Number(row.flux) * scale;
          // Extra noise lowers the S/N by the noise factor (the flux scale cancels).
          if (row.snr !== undefined && row.snr !== '') row.snr = Number(row.snr) / noise;
          out.push({ ...row, source_field: field, source_x: o.x, source_y: o.y, transform });
        }
      }
      ctx.progress(index + 1, fields.length);
    }
    const columns = ['x', 'y', 'field', ...extra, 'source_field', 'source_x', 'source_y', 'transform'];
    await writeCsv(join(ctx.outDir, 'truth.csv'), columns, out);
    ctx.log.info(`wrote stamps from ${fields.length} field(s), ${out.length} truth row(s)`);
    return { images: 'images', masks: 'masks', truth: 'truth.csv' };
  },
});

/**
 * The WCS of a stamp: with p_src = c_src + A⁻¹ (p_stamp − c_stamp), the linear part becomes
 * CD·A⁻¹ and the reference pixel c_stamp + A (crpix − 1 − c_src) + 1.
 */
function stampWcs(
  header: Header,
  A: Matrix2,
  centre: readonly [number, number],
  stampCentre: readonly [number, number],
): CardInit[] {
  const get = (k: string) => header.getNumber(k);
  const crpix1 = get('CRPIX1');
  const crpix2 = get('CRPIX2');
  const cd = [get('CD1_1'), get('CD1_2'), get('CD2_1'), get('CD2_2')];
  if (crpix1 === undefined || crpix2 === undefined || cd.some((v) => v === undefined)) return [];
  const det = A[0] * A[3] - A[1] * A[2];
  const Ai = [A[3] / det, -A[1] / det, -A[2] / det, A[0] / det];
  const [c11, c12, c21, c22] = cd as number[];
  const [px, py] = mapPoint(A, centre, stampCentre, crpix1 - 1, crpix2 - 1);
  const keep = [
    'CTYPE1',
    'CTYPE2',
    'CRVAL1',
    'CRVAL2',
    'CUNIT1',
    'CUNIT2',
    'RADESYS',
    'LONPOLE',
    'LATPOLE',
    'EQUINOX',
  ];
  const cards: CardInit[] = [{ keyword: 'WCSAXES', value: 2 }];
  for (const k of keep) {
    const v = header.get(k);
    if (v !== undefined)
      cards.push({ keyword: k, value: v, ...(typeof v === 'number' ? { real: true } : {}) });
  }
  cards.push(
    { keyword: 'CRPIX1', value: px + 1, real: true },
    { keyword: 'CRPIX2', value: py + 1, real: true },
    { keyword: 'CD1_1', value: c11! * Ai[0]! + c12! * Ai[2]!, real: true },
    { keyword: 'CD1_2', value: c11! * Ai[1]! + c12! * Ai[3]!, real: true },
    { keyword: 'CD2_1', value: c21! * Ai[0]! + c22! * Ai[2]!, real: true },
    { keyword: 'CD2_2', value: c21! * Ai[1]! + c22! * Ai[3]!, real: true },
  );
  return cards;
}
