/**
 * `asterism exec-step [JOBFILE]`: run one step in this (child) process.
 *
 * The job comes from JOBFILE (JSON, for batch executors) or as the first IPC message from the
 * engine. The step is looked up among the built-ins, or loaded from its plugin module, exactly as
 * the engine does; progress and logs go back over IPC when there is a channel, else as JSON lines
 * on stdout. Returns the exit code: 0 success, 1 the step failed, 2 a bad job.
 */
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { AsterismError, messageWithFile } from '../errors.js';
import type { AnyStepDefinition, StepContext } from '../step.js';
import type { ChildMessage, ExecJob } from './child-protocol.js';
import type { ExecStepRegistry } from './types.js';

/** Time an orphaned step gets to honour the abort before its process exits. */
const ORPHAN_GRACE_MS = 3000;

export async function execStepMain(argv: readonly string[], registry: ExecStepRegistry): Promise<number> {
  const send = (message: ChildMessage): void => {
    if (process.send !== undefined) process.send(message);
    else process.stdout.write(`${JSON.stringify(message)}\n`);
  };
  const controller = new AbortController();
  const onSignal = (): void => controller.abort(new AsterismError('ABORTED', 'the step was cancelled'));
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  // The engine died (kill -9, crash) and closed the IPC channel: nobody will take the result or
  // send SIGKILL later, so cancel the step, and exit after the engine's usual grace period if it
  // ignores the signal, rather than live on as an orphan writing into a dead run's folder.
  const onDisconnect = (): void => {
    controller.abort(new AsterismError('ABORTED', 'the engine went away; the step was cancelled'));
    setTimeout(() => process.exit(1), ORPHAN_GRACE_MS).unref();
  };
  if (process.send !== undefined) process.once('disconnect', onDisconnect);
  try {
    const job =
      argv[0] === undefined ? await receiveJob() : (JSON.parse(await readFile(argv[0], 'utf8')) as ExecJob);
    const definition = await findStep(job, registry);
    const ctx: StepContext = {
      params: job.params,
      outDir: job.outDir,
      signal: controller.signal,
      log: {
        info: (message) => send({ type: 'log', level: 'info', message }),
        warn: (message) => send({ type: 'log', level: 'warn', message }),
        debug: (message) => send({ type: 'log', level: 'debug', message }),
      },
      progress: (done, total) => send({ type: 'progress', done, total }),
      reportBackend: (description) => send({ type: 'backend', description }),
      seed: job.seed,
      provenance: job.provenance,
      recipeDir: job.recipeDir,
    };
    const outputs = await definition.run(ctx);
    await sendAndFlush({ type: 'result', outputs });
    return 0;
  } catch (error) {
    const message: ChildMessage =
      error instanceof AsterismError
        ? {
            type: 'error',
            code: error.code,
            message: messageWithFile(error),
            ...(error.hint === undefined ? {} : { hint: error.hint }),
          }
        : {
            type: 'error',
            code: 'STEP_FAILED',
            message: error instanceof Error ? (error.stack ?? error.message) : String(error),
          };
    await sendAndFlush(message);
    return 1;
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
    process.off('disconnect', onDisconnect);
    if (process.connected) process.disconnect();
  }

  function sendAndFlush(message: ChildMessage): Promise<void> {
    if (process.send === undefined) {
      send(message);
      return Promise.resolve();
    }
    return new Promise((resolve) => process.send!(message, undefined, undefined, () => resolve()));
  }
}

function receiveJob(): Promise<ExecJob> {
  return new Promise((resolve, reject) => {
    if (process.send === undefined) {
      reject(new AsterismError('EXEC_STEP', 'exec-step needs a JOBFILE argument or an IPC channel'));
      return;
    }
    process.once('message', (message: ExecJob) => resolve(message));
  });
}

async function findStep(job: ExecJob, registry: ExecStepRegistry): Promise<AnyStepDefinition> {
  let candidates: readonly AnyStepDefinition[] = registry.builtinSteps;
  if (job.pluginModule !== undefined) {
    const module = (await import(pathToFileURL(job.pluginModule).href)) as {
      steps?: readonly AnyStepDefinition[];
    };
    candidates = module.steps ?? [];
  }
  const found = candidates.find((step) => step.name === job.uses);
  if (found === undefined) {
    throw new AsterismError(
      'EXEC_STEP',
      `exec-step: no step named \`${job.uses}\`${job.pluginModule === undefined ? '' : ` in ${job.pluginModule}`}`,
    );
  }
  return found;
}
