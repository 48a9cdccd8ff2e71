/**
 * Running one step in a child process (`asterism exec-step`), so a crash, an out-of-memory kill
 * or a hung native call fails that step only.
 *
 * The job goes over the IPC channel; progress and log lines come back the same way; the
 * child's stdout/stderr are kept verbatim in the step's log. On abort the child gets SIGTERM,
 * then SIGKILL after a grace period.
 */
import { spawn } from 'node:child_process';
import { AsterismError } from '../errors.js';
import type { ChildMessage, ExecJob } from './child-protocol.js';
import type { ExecRequest } from './executor.js';

/** Time a child gets between SIGTERM and SIGKILL. */
const KILL_GRACE_MS = 3000;

export async function executeInChild(request: ExecRequest, command: readonly string[]): Promise<unknown> {
  request.signal.throwIfAborted();
  const [file, ...args] = command;
  if (file === undefined) throw new AsterismError('EXEC_STEP', 'no command configured for exec-step');
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (request.gpuSlot !== undefined) env.CUDA_VISIBLE_DEVICES = String(request.gpuSlot);
  const memoryMb = request.instance.resources.memoryMb;
  if (memoryMb > 0 && !(env.NODE_OPTIONS ?? '').includes('max-old-space-size')) {
    env.NODE_OPTIONS =
      `${env.NODE_OPTIONS ?? ''} --max-old-space-size=${Math.max(64, Math.round(memoryMb))}`.trim();
  }
  const child = spawn(file, args, { cwd: request.outDir, env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  const job: ExecJob = {
    type: 'job',
    uses: request.instance.definition.name,
    ...(request.instance.pluginModule === undefined ? {} : { pluginModule: request.instance.pluginModule }),
    params: request.params,
    outDir: request.outDir,
    seed: request.seed,
    provenance: request.provenance,
    recipeDir: request.recipeDir,
  };
  child.stdout!.setEncoding('utf8').on('data', (text: string) => request.log.raw(text));
  child.stderr!.setEncoding('utf8').on('data', (text: string) => request.log.raw(text));
  let result: { outputs: unknown } | undefined;
  let failure: (ChildMessage & { type: 'error' }) | undefined;
  child.on('message', (message: ChildMessage) => {
    if (message.type === 'progress') request.onProgress(message.done, message.total);
    else if (message.type === 'backend') request.onBackend(message.description);
    else if (message.type === 'log') request.log.write(message.level, message.message);
    else if (message.type === 'result') result = { outputs: message.outputs };
    else if (message.type === 'error') failure = message;
  });
  let killTimer: NodeJS.Timeout | undefined;
  const onAbort = (): void => {
    child.kill('SIGTERM');
    killTimer = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
    killTimer.unref();
  };
  request.signal.addEventListener('abort', onAbort, { once: true });
  try {
    const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>(
      (resolve, reject) => {
        child.once('error', reject);
        child.once('spawn', () => child.send(job));
        child.once('close', (code, signal) => resolve({ code, signal }));
      },
    );
    request.signal.throwIfAborted();
    if (exit.code === 0 && result !== undefined) return result.outputs;
    if (failure !== undefined) {
      throw new AsterismError(
        failure.code,
        failure.message,
        failure.hint === undefined ? {} : { hint: failure.hint },
      );
    }
    const how = exit.signal !== null ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
    throw new AsterismError('STEP_CRASHED', `the step's process ${how}${oomHint(exit, memoryMb)}`);
  } finally {
    request.signal.removeEventListener('abort', onAbort);
    if (killTimer !== undefined) clearTimeout(killTimer);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

function oomHint(exit: { code: number | null; signal: NodeJS.Signals | null }, memoryMb: number): string {
  // V8 aborts with SIGABRT (exit 134) on heap exhaustion; the kernel's OOM killer sends SIGKILL.
  if (exit.signal === 'SIGKILL' || exit.signal === 'SIGABRT' || exit.code === 134) {
    return memoryMb > 0
      ? ` (probably out of memory: it claims resources.memoryMb = ${memoryMb})`
      : ' (possibly out of memory)';
  }
  return '';
}
