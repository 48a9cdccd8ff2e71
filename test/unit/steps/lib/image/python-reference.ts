/**
 * Run a numpy/scipy/astropy reference computation in `/usr/bin/python3` and read its results.
 *
 * Arrays travel as raw little-endian float64 files in a temporary folder. The script sees
 * `load(name)` (a flat float64 array) and `save(name, array)` (any array, written as float64 in C
 * order), plus `np`. Scalars come back as one-element arrays.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PRELUDE = `
import sys, os
import numpy as np
_dir = sys.argv[1]
def load(name):
    return np.fromfile(os.path.join(_dir, name + '.f64'), dtype='<f8')
def save(name, array):
    np.ascontiguousarray(np.asarray(array, dtype='<f8')).tofile(os.path.join(_dir, name + '.out.f64'))
`;

/** Run `script` with the given inputs and return the named outputs. */
export function runPython(
  script: string,
  inputs: Record<string, Float64Array>,
  outputs: readonly string[],
): Record<string, Float64Array> {
  const dir = mkdtempSync(join(tmpdir(), 'asterism-pyref-'));
  try {
    for (const [name, values] of Object.entries(inputs)) {
      writeFileSync(
        join(dir, `${name}.f64`),
        new Uint8Array(values.buffer, values.byteOffset, values.byteLength),
      );
    }
    const scriptPath = join(dir, 'reference.py');
    writeFileSync(scriptPath, PRELUDE + script);
    execFileSync('/usr/bin/python3', [scriptPath, dir], {
      env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const result: Record<string, Float64Array> = {};
    for (const name of outputs) {
      const bytes = readFileSync(join(dir, `${name}.out.f64`));
      result[name] = new Float64Array(
        bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
      );
    }
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** max |a - b| / max |b|: the error relative to the reference's scale. */
export function relativeMaxError(actual: Float64Array, expected: Float64Array): number {
  if (actual.length !== expected.length) {
    throw new Error(`length mismatch: ${actual.length} vs ${expected.length}`);
  }
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i]! - expected[i]!));
    scale = Math.max(scale, Math.abs(expected[i]!));
  }
  return scale === 0 ? diff : diff / scale;
}

/** A deterministic pseudo-random sequence (mulberry32) for test inputs. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Gaussian deviates from {@link seededRandom} by Box–Muller. */
export function seededNormal(seed: number): () => number {
  const uniform = seededRandom(seed);
  return () => {
    const u = Math.max(uniform(), 1e-300);
    const v = uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
}
