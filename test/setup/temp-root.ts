/**
 * Vitest global setup: every test process gets one temporary root (`TMPDIR`), removed when the
 * run ends. Tests make their folders with `mkdtemp(join(tmpdir(), ...))` and the Python
 * references use `tempfile`; both follow `TMPDIR`, so nothing a test run writes outlives it,
 * even from a test that fails before its own clean-up. The engine's validator and parse caches go
 * there too, so a test run neither reads nor fills the user's `~/.cache/asterism`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'asterism-tests-'));
  const saved = {
    TMPDIR: process.env.TMPDIR,
    ASTERISM_VALIDATOR_CACHE: process.env.ASTERISM_VALIDATOR_CACHE,
    ASTERISM_PARSE_CACHE: process.env.ASTERISM_PARSE_CACHE,
  };
  process.env.TMPDIR = root;
  process.env.ASTERISM_VALIDATOR_CACHE = join(root, 'validators');
  process.env.ASTERISM_PARSE_CACHE = join(root, 'recipes');
  return () => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    rmSync(root, { recursive: true, force: true });
  };
}
