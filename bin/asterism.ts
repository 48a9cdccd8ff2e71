#!/usr/bin/env node
// The one place that hands the built-in steps to the engine's CLI: the same door a plugin uses.
// The steps are imported only by commands that need them, so `--help` and `fits` start fast.
import { runMain } from '../engine/cli/main.js';
import { fitsCommand } from '../steps/cli/fits-command.js';

await runMain({
  steps: async () => (await import('../steps/index.js')).builtinSteps,
  commands: [fitsCommand],
  argv: process.argv.slice(2),
});
