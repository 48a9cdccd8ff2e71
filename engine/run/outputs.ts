/**
 * Checking what a step returned: every declared output present, every path inside the step's
 * output folder and existing.
 */
import { lstatSync, realpathSync } from 'node:fs';
import { isAbsolute, join, normalize, relative, sep } from 'node:path';
import { AsterismError } from '../errors.js';

/**
 * Validate `returned` (output name -> path relative to `outDir`) and return it normalised.
 * `expected`: the declared output names (undefined: accept any names, as for `shell`).
 * Rejects absolute paths, `..` escapes, and symbolic links resolving outside `outDir`.
 */
export async function checkOutputs(
  stepId: string,
  outDir: string,
  returned: unknown,
  expected: readonly string[] | undefined,
): Promise<Record<string, string>> {
  if (typeof returned !== 'object' || returned === null || Array.isArray(returned)) {
    throw new AsterismError(
      'STEP_OUTPUTS',
      `step \`${stepId}\` returned ${JSON.stringify(returned)} instead of { outputName: relativePath }`,
    );
  }
  const result: Record<string, string> = {};
  const entries = Object.entries(returned as Record<string, unknown>);
  for (const name of expected ?? []) {
    if (!(name in (returned as object))) {
      throw new AsterismError(
        'STEP_OUTPUTS',
        `step \`${stepId}\` did not return its declared output \`${name}\``,
        {
          hint: "return every name listed in the step definition's `outputs`",
        },
      );
    }
  }
  // `.native`: one realpath(3) call instead of an lstat per path component.
  const realOut = realpathSync.native(outDir);
  for (const [name, value] of entries) {
    if (expected !== undefined && !expected.includes(name)) {
      throw new AsterismError(
        'STEP_OUTPUTS',
        `step \`${stepId}\` returned an undeclared output \`${name}\``,
        {
          hint: `declared outputs: ${expected.join(', ') || '(none)'}`,
        },
      );
    }
    if (typeof value !== 'string' || value === '') {
      throw new AsterismError(
        'STEP_OUTPUTS',
        `step \`${stepId}\`: output \`${name}\` must be a relative path, got ${JSON.stringify(value)}`,
      );
    }
    const rel = normalize(value);
    if (isAbsolute(value) || rel === '..' || rel.startsWith(`..${sep}`)) {
      throw new AsterismError(
        'OUTPUT_OUTSIDE',
        `step \`${stepId}\`: output \`${name}\` = ${JSON.stringify(value)} points outside its output folder`,
        { hint: 'steps write only inside ctx.outDir and return paths relative to it' },
      );
    }
    const abs = join(outDir, rel);
    try {
      lstatSync(abs);
    } catch {
      throw new AsterismError(
        'OUTPUT_MISSING',
        `step \`${stepId}\`: output \`${name}\` (${value}) was not written`,
        {
          hint: `expected it at ${abs}`,
        },
      );
    }
    const real = realpathSync.native(abs);
    const inside = relative(realOut, real);
    if (inside.startsWith(`..${sep}`) || inside === '..' || isAbsolute(inside)) {
      throw new AsterismError(
        'OUTPUT_OUTSIDE',
        `step \`${stepId}\`: output \`${name}\` is a link to ${real}, outside its output folder`,
        {
          hint: 'copy the file into ctx.outDir instead of linking to it',
        },
      );
    }
    result[name] = rel.split(sep).join('/');
  }
  return result;
}
