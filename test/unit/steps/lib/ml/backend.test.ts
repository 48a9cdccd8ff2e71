/** Backend selection: explicit choices, the environment variable, and what is reported. */
import * as tf from '@tensorflow/tfjs';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it, vi } from 'vitest';
import { BackendUnavailableError, initBackend } from '../../../../../steps/lib/ml/backend.js';
import {
  quietCpuBackend,
  registerNativeBackend,
} from '../../../../../steps/lib/ml/native-kernels/register.js';

describe('initBackend', () => {
  it('selects the pure-JS cpu backend on request and logs the choice', async () => {
    const lines: string[] = [];
    const choice = await initBackend('cpu', { log: (l) => lines.push(l), env: {} });
    expect(choice).toMatchObject({ name: 'cpu', threads: 1 });
    expect(tf.getBackend()).toBe('cpu');
    expect(lines).toEqual([`ML backend: cpu, 1 thread(s) — ${choice.detail}`]);
  });

  it('auto picks the fastest backend that loads here and reports its threads', async () => {
    const choice = await initBackend('auto', { log: () => {}, env: { ASTERISM_THREADS: '2' } });
    expect(tf.getBackend()).toBe(choice.name);
    // tfjs-node cannot install on these machines; the native addon is built by `npm ci`.
    const expected = registerNativeBackend().ok ? 'asterism-cpu' : 'wasm';
    if (choice.name !== 'tensorflow') expect(choice.name).toBe(expected);
    if (choice.name === 'asterism-cpu') expect(choice.threads).toBe(2);
  });

  it('reads ASTERISM_BACKEND when the preference is auto', async () => {
    const choice = await initBackend('auto', { log: () => {}, env: { ASTERISM_BACKEND: 'cpu' } });
    expect(choice.name).toBe('cpu');
  });

  it('rejects an unknown ASTERISM_BACKEND, naming the valid values', async () => {
    await expect(initBackend('auto', { log: () => {}, env: { ASTERISM_BACKEND: 'gpu' } })).rejects.toThrow(
      new BackendUnavailableError(
        'ASTERISM_BACKEND is `gpu`; expected one of `auto`, `tensorflow`, `native`, `wasm`, `cpu`',
      ),
    );
  });

  it('rejects a bad thread count', async () => {
    await expect(initBackend('cpu', { log: () => {}, env: { ASTERISM_THREADS: '0' } })).rejects.toThrow(
      'threads must be an integer from 1 up, got `0`',
    );
  });
});

describe('the native backend instance', () => {
  it('does not print the tfjs "install our node backend" banner that plain MathBackendCPU prints', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      quietCpuBackend().write(new Float32Array([1]), [1], 'float32');
      expect(warn).not.toHaveBeenCalled();
      new MathBackendCPU().write(new Float32Array([1]), [1], 'float32');
      expect(String(warn.mock.calls[0]?.[0])).toContain('install our node backend');
    } finally {
      warn.mockRestore();
    }
  });
});
