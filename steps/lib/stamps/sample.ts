/**
 * Cutting training stamps from whole fields: one stamp around every truth object (real
 * transients to learn, artifacts to learn to reject) with a random offset so objects are not
 * always centred, plus random background stamps; each with a random flip and quarter turn
 * (label-preserving). Deterministic by seed.
 */
import type { Random } from '../random.js';

/**
 * A stamp: interleaved input (size × size × channels) and its target (size × size) holding the
 * field target's class codes (train-unet: 0 background, 1 real transient, 2 artifact).
 */
export interface Stamp {
  readonly field: string;
  readonly input: Float32Array;
  readonly target: Float32Array;
}

/** Stamp geometry and sampling options. */
export interface StampOptions {
  readonly size: number;
  /** Random background stamps per field. */
  readonly backgroundPerField: number;
  /** Largest offset of an object from the stamp centre, in pixels. */
  readonly jitterPx: number;
  /**
   * Stamps around every artifact (objects with `real: false`), each with its own offset, flip and
   * turn: more than 1 oversamples the hard negatives. The extra stamps come after the background
   * ones; the default (1) draws no extra random numbers, so it cuts what it always cut. @default 1
   */
  readonly stampsPerArtifact?: number;
}

/** A field's scaled input, its target (1 = real transient) and the object positions. */
export interface FieldForStamps {
  readonly field: string;
  readonly width: number;
  readonly height: number;
  readonly channels: number;
  readonly input: Float32Array;
  readonly target: Uint8Array;
  readonly objects: readonly { readonly x: number; readonly y: number; readonly real?: boolean }[];
}

/** Source pixel of stamp pixel (sx, sy) under flip/turn code `t` (0..7) for a size × size stamp. */
function sourceOffset(t: number, sx: number, sy: number, size: number): [number, number] {
  let x = sx;
  let y = sy;
  if (t & 4) x = size - 1 - x; // horizontal flip
  for (let k = 0; k < (t & 3); k++) [x, y] = [y, size - 1 - x]; // quarter turns
  return [x, y];
}

/** Cut the stamps of one field. Fields smaller than a stamp are zero-padded. */
export function cutStamps(field: FieldForStamps, options: StampOptions, rng: Random): Stamp[] {
  const { size, jitterPx } = options;
  const centres: [number, number][] = field.objects.map((o) => [
    Math.round(o.x) + rng.integer(2 * jitterPx + 1) - jitterPx,
    Math.round(o.y) + rng.integer(2 * jitterPx + 1) - jitterPx,
  ]);
  for (let k = 0; k < options.backgroundPerField; k++) {
    centres.push([rng.integer(field.width), rng.integer(field.height)]);
  }
  const extra = Math.max(0, (options.stampsPerArtifact ?? 1) - 1);
  for (const o of field.objects) {
    if (o.real !== false) continue;
    for (let k = 0; k < extra; k++) {
      centres.push([
        Math.round(o.x) + rng.integer(2 * jitterPx + 1) - jitterPx,
        Math.round(o.y) + rng.integer(2 * jitterPx + 1) - jitterPx,
      ]);
    }
  }
  const half = size >> 1;
  const c = field.channels;
  return centres.map(([cx, cy]) => {
    // Keep the stamp inside the field when the field is large enough.
    const x0 = Math.max(0, Math.min(cx - half, field.width - size));
    const y0 = Math.max(0, Math.min(cy - half, field.height - size));
    const t = rng.integer(8);
    const input = new Float32Array(size * size * c);
    const target = new Float32Array(size * size);
    for (let sy = 0; sy < size; sy++) {
      for (let sx = 0; sx < size; sx++) {
        const [ox, oy] = sourceOffset(t, sx, sy, size);
        const x = x0 + ox;
        const y = y0 + oy;
        if (x >= field.width || y >= field.height) continue;
        const i = y * field.width + x;
        const o = sy * size + sx;
        target[o] = field.target[i]!;
        for (let k = 0; k < c; k++) input[o * c + k] = field.input[i * c + k]!;
      }
    }
    return { field: field.field, input, target };
  });
}
