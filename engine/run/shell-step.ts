/**
 * The built-in `shell` step: a bash script with declared outputs.
 *
 * bash is spawned directly (no node child in between) with `-euo pipefail`, in the step's
 * output folder, which is also `$OUT`. Its stdout and stderr go to the step's log.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AsterismError } from '../errors.js';
import type { StepContext, StepDefinition } from '../step.js';

/** `with:` of a shell step, after validation (defaults filled in). */
export interface ShellParams {
  readonly run: string;
  readonly outputs?: Readonly<Record<string, string>>;
  readonly env?: Readonly<Record<string, string | number | boolean>>;
}

const KILL_GRACE_MS = 3000;
const MAX_INLINE_SCRIPT_BYTES = 64 * 1024;

/** The `shell` step definition; register it with the built-in steps. */
export const shellStep: StepDefinition<ShellParams, string> = {
  name: 'shell',
  version: '1',
  description: 'Run a bash script (set -euo pipefail) in the output folder ($OUT); declare its outputs.',
  params: {
    type: 'object',
    properties: {
      run: { type: 'string', description: 'The bash script. Expressions are interpolated.' },
      outputs: {
        type: 'object',
        description: 'Output name -> path relative to the output folder.',
        additionalProperties: { type: 'string' },
        default: {},
      },
      env: {
        type: 'object',
        description: 'Extra environment variables.',
        additionalProperties: { type: ['string', 'number', 'boolean'] },
        default: {},
      },
    },
    required: ['run'],
    additionalProperties: false,
  },
  outputs: {},
  isolate: true,
  async run(ctx: StepContext<ShellParams>) {
    const env: NodeJS.ProcessEnv = { ...process.env, OUT: ctx.outDir, ASTERISM_SEED: String(ctx.seed) };
    for (const [name, value] of Object.entries(ctx.params.env ?? {})) env[name] = String(value);
    ctx.signal.throwIfAborted();
    // One argument may not exceed 128 KiB (Linux MAX_ARG_STRLEN): a long script (a command line
    // listing a thousand paths) is written to a temporary file instead of passed with `-c`.
    let scriptDir: string | undefined;
    let bashArgs = ['-euo', 'pipefail', '-c', ctx.params.run];
    if (Buffer.byteLength(ctx.params.run) > MAX_INLINE_SCRIPT_BYTES) {
      scriptDir = await mkdtemp(join(tmpdir(), 'asterism-shell-'));
      await writeFile(join(scriptDir, 'run.sh'), ctx.params.run);
      bashArgs = ['-euo', 'pipefail', join(scriptDir, 'run.sh')];
    }
    const child = spawn('bash', bashArgs, { cwd: ctx.outDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const tail: string[] = [];
    const onData = (text: string): void => {
      for (const line of text.split('\n')) {
        if (line === '') continue;
        ctx.log.info(line);
        tail.push(line);
        if (tail.length > 5) tail.shift();
      }
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', onData);
    let killTimer: NodeJS.Timeout | undefined;
    const onAbort = (): void => {
      child.kill('SIGTERM');
      killTimer = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
      killTimer.unref();
    };
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    try {
      const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>(
        (resolve, reject) => {
          child.once('error', reject);
          child.once('close', (code, signal) => resolve({ code, signal }));
        },
      );
      ctx.signal.throwIfAborted();
      if (exit.code !== 0) {
        const how = exit.signal !== null ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
        throw new AsterismError(
          'SHELL_FAILED',
          `the script ${how}${tail.length > 0 ? `; last output:\n  ${tail.join('\n  ')}` : ''}`,
        );
      }
    } finally {
      ctx.signal.removeEventListener('abort', onAbort);
      if (killTimer !== undefined) clearTimeout(killTimer);
      if (scriptDir !== undefined) await rm(scriptDir, { recursive: true, force: true });
    }
    return { ...(ctx.params.outputs ?? {}) };
  },
};
