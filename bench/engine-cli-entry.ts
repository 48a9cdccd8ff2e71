/**
 * The asterism CLI with no built-in science steps (only `shell`, which the engine always adds):
 * `bench:engine` shows its startup next to the real `bin`'s, whose science steps are known by
 * name and loaded only for recipes that use them.
 */
import { runMain } from '../engine/cli/main.js';

await runMain({ steps: [], argv: process.argv.slice(2) });
