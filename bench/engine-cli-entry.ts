/**
 * The asterism CLI with no built-in science steps (only `shell`, which the engine always adds):
 * `bench:engine` measures the engine with it, because the science steps' modules load
 * TensorFlow.js at startup, a fixed cost unrelated to scheduling (the table reports it).
 */
import { runMain } from '../engine/cli/main.js';

await runMain({ steps: [], argv: process.argv.slice(2) });
