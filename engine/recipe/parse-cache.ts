/**
 * Parsed recipes kept between runs: the plain data of a recipe and the position of each of its
 * steps, stored under a hash of the recipe's text.
 *
 * Why: a rerun of an unchanged recipe (the common case, and all of a no-op rerun) would parse
 * the same text again. For a 10,000-step recipe, loading the yaml package and parsing take
 * about 45 ms of a 0.5 s no-op rerun; reading the stored result back takes about 1 ms.
 *
 * Only a parse that succeeded and whose recipe then loaded without problems is stored. A stored
 * parse has no syntax tree, so it knows each step's `line:column` but nothing finer: when a load
 * from it finds any problem, the caller parses the text again and reports from the exact tree.
 *
 * The file name hashes the text together with the yaml package's version and the parser's own
 * code (the files of `yaml-source` and `long-lists`, or the bundle they were built into), so an
 * upgrade of either, or any edit of the parser between releases, parses afresh. Data is stored with `v8.serialize`, which keeps every
 * value `toJS` can give (non-finite numbers, `-0`) exactly, and which runs no code on reading.
 * Location: `$ASTERISM_PARSE_CACHE`, else `$XDG_CACHE_HOME/asterism/recipes`, else
 * `~/.cache/asterism/recipes`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deserialize, serialize } from 'node:v8';
import { sha256Hex } from '../cache/canonical-json.js';
import { storeQuietly, userCacheDir } from '../user-cache.js';
import { yamlVersion } from '../yaml-lib.js';
import { longListsModule } from './long-lists.js';
import { type StepPosition, type YamlSource, yamlSourceModule } from './yaml-source.js';

/** Bumped when how a parse is stored here changes (an edit of the parser changes its fingerprint). */
const STORE_FORMAT = 1;

/** What one file holds. */
interface Stored {
  readonly format: number;
  readonly data: unknown;
  /** [step id, line, column] of each step's key. */
  readonly steps: readonly (readonly [string, number, number])[];
}

/** Where parsed recipes are kept; `undefined` when there is no usable home folder. */
export function parseCacheDir(): string | undefined {
  return userCacheDir('ASTERISM_PARSE_CACHE', 'recipes');
}

let fingerprint: string | undefined;

/**
 * sha256 of the parser's code: the files its two modules were loaded from (one file when they
 * were bundled together); `undefined` when they cannot be read, and then nothing is cached.
 */
export function parserFingerprint(): string | undefined {
  if (fingerprint !== undefined) return fingerprint;
  try {
    const files = [...new Set([yamlSourceModule, longListsModule])].map((url) =>
      readFileSync(fileURLToPath(url)),
    );
    fingerprint = sha256Hex(Buffer.concat(files));
  } catch {
    return undefined;
  }
  return fingerprint;
}

/** The file a parse of `text` is stored in: `<sha256 of identity + text>.v8`. */
export function parsedRecipeFile(dir: string, text: string): string | undefined {
  const parser = parserFingerprint();
  if (parser === undefined) return undefined;
  const identity = `asterism-parse ${STORE_FORMAT} parser ${parser} yaml ${yamlVersion()}\n`;
  return join(dir, `${sha256Hex(identity + text)}.v8`);
}

/** Where the parse of one recipe text is kept: found once, then read from and stored to. */
export interface ParseSlot {
  readonly dir: string;
  readonly file: string;
}

/** The slot of `text`, or `undefined` when nothing can be cached (no home folder, parser unreadable). */
export function parseSlot(text: string): ParseSlot | undefined {
  const dir = parseCacheDir();
  const file = dir === undefined ? undefined : parsedRecipeFile(dir, text);
  return dir === undefined || file === undefined ? undefined : { dir, file };
}

/** The stored parse in `slot` as a source with step positions only, or undefined. */
export function readParsedRecipe(slot: ParseSlot, path: string, text: string): YamlSource | undefined {
  let stored: Stored;
  try {
    stored = deserialize(readFileSync(slot.file)) as Stored;
  } catch {
    return undefined; // not stored, or not readable: parse
  }
  if (stored?.format !== STORE_FORMAT || !Array.isArray(stored.steps)) return undefined;
  const steps = new Map<string, StepPosition>();
  for (const [id, line, column] of stored.steps) steps.set(id, { line, column });
  return {
    file: path,
    text,
    root: undefined,
    data: stored.data,
    lineCounter: undefined,
    positions: 'steps',
    stepPositions: steps,
  };
}

/** Store `source`'s parse with the positions of its steps in `slot` (silently skipped on any failure). */
export function storeParsedRecipe(
  slot: ParseSlot,
  source: YamlSource,
  steps: ReadonlyMap<string, StepPosition>,
): void {
  const stored: Stored = {
    format: STORE_FORMAT,
    data: source.data,
    steps: [...steps].map(([id, { line, column }]) => [id, line, column] as const),
  };
  storeQuietly(slot.dir, slot.file, () => serialize(stored));
}
