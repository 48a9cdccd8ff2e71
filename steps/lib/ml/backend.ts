/**
 * Choosing where tfjs runs. `auto` tries, in order: tfjs-node-gpu (when it loads and a GPU is
 * visible), tfjs-node, our native CPU kernels (`asterism-cpu`), the wasm backend, and tfjs's
 * pure-JS `cpu` backend. The choice, its thread count and why are returned so steps can record
 * them in provenance, and logged.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { NATIVE_BACKEND, registerNativeBackend, setNativeThreads } from './native-kernels/register.js';
import { prepareWasmBackend } from './wasm-fallback.js';

/** Backend preferences accepted by `initBackend` and `ASTERISM_BACKEND`. */
export const BACKEND_PREFERENCES = ['auto', 'tensorflow', 'native', 'wasm', 'cpu'] as const;

/** One of `BACKEND_PREFERENCES`. */
export type BackendPreference = (typeof BACKEND_PREFERENCES)[number];

/** The backend in use. */
export interface BackendChoice {
  /** tfjs backend name: `tensorflow`, `asterism-cpu`, `wasm` or `cpu`. */
  readonly name: string;
  /** Threads the backend computes with. */
  readonly threads: number;
  /** Human-readable detail: library, SIMD kernel, and why earlier candidates were skipped. */
  readonly detail: string;
}

/** Options of `initBackend`. */
export interface InitBackendOptions {
  /** Compute threads for the native backend. @default ASTERISM_THREADS, else the CPU count */
  readonly threads?: number;
  /** Where the chosen backend is reported. @default console.error */
  readonly log?: (line: string) => void;
  /** Environment to read `ASTERISM_BACKEND` and `ASTERISM_THREADS` from. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** A preference that cannot be satisfied, or an invalid one. */
export class BackendUnavailableError extends Error {
  override readonly name = 'BackendUnavailableError';
}

function parsePreference(value: string, source: string): BackendPreference {
  if ((BACKEND_PREFERENCES as readonly string[]).includes(value)) return value as BackendPreference;
  throw new BackendUnavailableError(
    `${source} is \`${value}\`; expected one of ${BACKEND_PREFERENCES.map((p) => `\`${p}\``).join(', ')}`,
  );
}

function parseThreads(value: number | string | undefined): number {
  if (value === undefined || value === '') return os.availableParallelism();
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    throw new BackendUnavailableError(`threads must be an integer from 1 up, got \`${value}\``);
  }
  return n;
}

function gpuVisible(env: Readonly<Record<string, string | undefined>>): boolean {
  const devices = env.CUDA_VISIBLE_DEVICES;
  if (devices === '' || devices === '-1') return false;
  return existsSync('/dev/nvidia0') || existsSync('/dev/nvidiactl');
}

/** Try one tfjs-node flavour; the package name is a variable so it stays an optional import. */
async function tryTensorflow(pkg: string): Promise<string | undefined> {
  try {
    await import(pkg);
    if (!(await tf.setBackend('tensorflow')))
      return `${pkg} loaded but the tensorflow backend did not initialise`;
    return undefined;
  } catch (err) {
    return `${pkg} unavailable (${(err as Error).message.split('\n')[0]})`;
  }
}

type Attempt = { readonly choice: BackendChoice } | { readonly skipped: string };

async function attempt(
  kind: Exclude<BackendPreference, 'auto'>,
  threads: number,
  env: InitBackendOptions['env'],
): Promise<Attempt> {
  switch (kind) {
    case 'tensorflow': {
      const reasons: string[] = [];
      if (gpuVisible(env ?? {})) {
        const why = await tryTensorflow('@tensorflow/tfjs-node-gpu');
        if (!why)
          return {
            choice: { name: 'tensorflow', threads, detail: '@tensorflow/tfjs-node-gpu (GPU visible)' },
          };
        reasons.push(why);
      } else reasons.push('no GPU visible for @tensorflow/tfjs-node-gpu');
      const why = await tryTensorflow('@tensorflow/tfjs-node');
      if (!why)
        return {
          choice: { name: 'tensorflow', threads, detail: '@tensorflow/tfjs-node (libtensorflow CPU)' },
        };
      reasons.push(why);
      return { skipped: reasons.join('; ') };
    }
    case 'native': {
      const reg = registerNativeBackend();
      if (!reg.ok) return { skipped: reg.reason };
      if (!(await tf.setBackend(NATIVE_BACKEND))) return { skipped: `${NATIVE_BACKEND} did not initialise` };
      const used = setNativeThreads(threads) ?? threads;
      return {
        choice: {
          name: NATIVE_BACKEND,
          threads: used,
          detail: `native addon (${reg.simd} GEMM, ${reg.kernels.length} kernels)`,
        },
      };
    }
    case 'wasm': {
      try {
        await prepareWasmBackend();
        if (!(await tf.setBackend('wasm'))) return { skipped: 'wasm backend did not initialise' };
        // setThreadsCount has no effect in Node: the wasm backend runs on one thread here.
        return {
          choice: { name: 'wasm', threads: 1, detail: 'tfjs wasm (XNNPACK), single-threaded in Node' },
        };
      } catch (err) {
        return { skipped: `wasm unavailable (${(err as Error).message})` };
      }
    }
    case 'cpu': {
      await tf.setBackend('cpu');
      return {
        choice: { name: 'cpu', threads: 1, detail: 'tfjs pure-JS cpu backend (slow: ~200x PyTorch)' },
      };
    }
  }
}

const AUTO_ORDER: readonly Exclude<BackendPreference, 'auto'>[] = ['tensorflow', 'native', 'wasm', 'cpu'];

/**
 * Select and initialise the tfjs backend. An explicit preference other than `auto` must be met
 * (or a `BackendUnavailableError` says why); `auto` falls through the order above, and each
 * fallback is logged with the reason.
 *
 * @example
 * const { name, threads } = await initBackend('auto', { log: ctx.log.info });
 */
export async function initBackend(
  preference: BackendPreference = 'auto',
  options: InitBackendOptions = {},
): Promise<BackendChoice> {
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => console.error(line));
  let pref = parsePreference(preference, 'backend');
  if (pref === 'auto' && env.ASTERISM_BACKEND)
    pref = parsePreference(env.ASTERISM_BACKEND, 'ASTERISM_BACKEND');
  const threads = parseThreads(options.threads ?? env.ASTERISM_THREADS);
  const order = pref === 'auto' ? AUTO_ORDER : [pref];
  const skipped: string[] = [];
  for (const kind of order) {
    const result = await attempt(kind, threads, env);
    if ('choice' in result) {
      const detail =
        skipped.length > 0 ? `${result.choice.detail}; skipped: ${skipped.join('; ')}` : result.choice.detail;
      const choice = { ...result.choice, detail };
      if (skipped.length > 0 && (kind === 'wasm' || kind === 'cpu'))
        log(`warning: ML backend fell back to ${choice.name}: ${skipped.join('; ')}`);
      log(`ML backend: ${choice.name}, ${choice.threads} thread(s) — ${result.choice.detail}`);
      return choice;
    }
    skipped.push(`${kind}: ${result.skipped}`);
  }
  throw new BackendUnavailableError(`ML backend \`${pref}\` is unavailable: ${skipped.join('; ')}`);
}
