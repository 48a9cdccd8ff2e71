/** Run the CLI in-process with captured output (the same `runCli` the bin calls). */
import { Writable } from 'node:stream';
import { runCli } from '../../../../engine/cli/main.js';
import type { CommandDefinition } from '../../../../engine/command.js';
import type { AnyStepDefinition } from '../../../../engine/step.js';

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.text += chunk.toString();
    callback();
  }
}

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function cli(
  argv: readonly string[],
  options: { cwd: string; steps?: readonly AnyStepDefinition[]; commands?: readonly CommandDefinition[] },
): Promise<CliResult> {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await runCli({
    steps: options.steps ?? [],
    argv,
    ...(options.commands === undefined ? {} : { commands: options.commands }),
    io: { stdout, stderr, cwd: options.cwd },
  });
  return { code, stdout: stdout.text, stderr: stderr.text };
}
