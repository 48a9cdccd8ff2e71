#!/usr/bin/env node
// The one place that hands the built-in steps to the engine's CLI: the same door a plugin uses.
// The step modules are imported only when a command needs one of them (a recipe that uses a
// built-in step, `asterism steps`, `schema`), so `--help`, `fits`, `cache` and recipes of plugin
// steps start without loading TensorFlow.js.
import { runMain } from '../engine/cli/main.js';
import { fitsCommand } from '../steps/cli/fits-command.js';
import { BUILTIN_STEP_NAMES } from '../steps/names.js';

await runMain({
  steps: {
    names: BUILTIN_STEP_NAMES,
    load: async () => (await import('../steps/index.js')).builtinSteps,
  },
  commands: [fitsCommand],
  argv: process.argv.slice(2),
});
