/** Shared inputs for the ZOGY tests: Gaussian PSF stamps, noise images, and the numpy reference runner. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Image } from '../../../../../steps/lib/image/types.js';
import { Random } from '../../../../../steps/lib/random.js';
import type { ZogyInput } from '../../../../../steps/lib/zogy/core.js';

/** A unit-sum circular Gaussian stamp of odd size centred on the middle pixel (written here, not ours). */
export function gaussianStamp(size: number, sigma: number): Image {
  const data = new Float64Array(size * size);
  const c = (size - 1) / 2;
  let sum = 0;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const v = Math.exp(-((x - c) ** 2 + (y - c) ** 2) / (2 * sigma * sigma));
      data[y * size + x] = v;
      sum += v;
    }
  }
  for (let i = 0; i < data.length; i++) data[i]! /= sum;
  return { width: size, height: size, data };
}

/** Gaussian white noise of standard deviation sigma, plus optional point sources (flux × PSF). */
export function noiseImage(
  width: number,
  height: number,
  sigma: number,
  seed: number,
  sources: readonly { x: number; y: number; flux: number }[] = [],
  psf?: Image,
): Image {
  const rng = new Random(seed);
  const data = new Float64Array(width * height);
  for (let i = 0; i < data.length; i++) data[i] = sigma * rng.normal();
  if (psf !== undefined) {
    const h = (psf.width - 1) / 2;
    for (const s of sources) {
      for (let sy = 0; sy < psf.height; sy++) {
        for (let sx = 0; sx < psf.width; sx++) {
          const x = s.x + sx - h;
          const y = s.y + sy - h;
          if (x >= 0 && x < width && y >= 0 && y < height)
            data[y * width + x]! += s.flux * psf.data[sy * psf.width + sx]!;
        }
      }
    }
  }
  return { width, height, data };
}

const referenceScript = fileURLToPath(new URL('../../../../reference/zogy_numpy.py', import.meta.url));

/** What the numpy reference returns, as float64 arrays. */
export interface NumpyZogy {
  readonly D: Float64Array;
  readonly S: Float64Array;
  readonly Scorr: Float64Array;
  readonly V: Float64Array;
  readonly PD: Float64Array;
  readonly F_D: number;
  readonly F_S: number;
}

function writeF64(path: string, data: Float64Array): void {
  writeFileSync(path, Buffer.from(data.buffer, data.byteOffset, data.byteLength));
}

function readF64(path: string): Float64Array {
  const bytes = readFileSync(path);
  return new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

/** Run test/reference/zogy_numpy.py with /usr/bin/python3 on the same inputs. */
export function runNumpyZogy(input: ZogyInput): NumpyZogy {
  const dir = mkdtempSync(join(tmpdir(), 'zogy-numpy-'));
  writeFileSync(
    join(dir, 'meta.json'),
    JSON.stringify({
      width: input.newImage.width,
      height: input.newImage.height,
      psf_size: input.psfNew.width,
      sigma_n: input.sigmaNew,
      sigma_r: input.sigmaRef,
      F_n: input.fluxZeroPointNew,
      F_r: input.fluxZeroPointRef,
      gain_n: Number.isFinite(input.gainNew) ? input.gainNew : 1e300,
      gain_r: Number.isFinite(input.gainRef) ? input.gainRef : 1e300,
      sigma_x: input.sigmaAstX,
      sigma_y: input.sigmaAstY,
    }),
  );
  writeF64(join(dir, 'N.f64'), input.newImage.data);
  writeF64(join(dir, 'R.f64'), input.refImage.data);
  writeF64(join(dir, 'Pn.f64'), input.psfNew.data);
  writeF64(join(dir, 'Pr.f64'), input.psfRef.data);
  execFileSync('/usr/bin/python3', [referenceScript, dir], { stdio: 'pipe' });
  const result = JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8')) as { F_D: number; F_S: number };
  return {
    D: readF64(join(dir, 'D.f64')),
    S: readF64(join(dir, 'S.f64')),
    Scorr: readF64(join(dir, 'Scorr.f64')),
    V: readF64(join(dir, 'V.f64')),
    PD: readF64(join(dir, 'PD.f64')),
    F_D: result.F_D,
    F_S: result.F_S,
  };
}
