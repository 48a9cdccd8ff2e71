/** `asterism exec-step [JOBFILE]` (hidden): run one step in this process for the scheduler. */
import type { CliCommand } from '../types.js';

export const execStepCommand: CliCommand = {
  name: 'exec-step',
  summary: 'run one step for the scheduler (internal)',
  usage: 'asterism exec-step [JOBFILE]',
  help: 'Internal: the scheduler starts it for isolated steps (GPU, isolate: true, shell), and a cluster executor will too.',
  options: {},
  positionals: ['JOBFILE'],
  required: 0,
  hidden: true,
  rawArgs: true,
  async run({ argv }, ctx) {
    const { execStepMain } = await import('../../run/exec-step-main.js');
    const registry = await ctx.registry.loadAll();
    return execStepMain(argv, { builtinSteps: registry.list().map((step) => step.definition) });
  },
};
