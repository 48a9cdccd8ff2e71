#!/usr/bin/env node
// The one place that hands the built-in steps to the engine's CLI: the same door a plugin uses.
import { runMain } from '../engine/cli/main.js';
import { fitsCommand } from '../steps/cli/fits-command.js';
import { builtinSteps } from '../steps/index.js';

await runMain({ steps: builtinSteps, commands: [fitsCommand], argv: process.argv.slice(2) });
