import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { schemaText } from '../../../../engine/cli/commands/steps.js';
import { builtinRegistry } from '../../../../engine/cli/main.js';
import { builtinSteps } from '../../../../steps/index.js';

const committed = new URL('../../../../schemas/recipe.schema.json', import.meta.url);

describe('schemas/recipe.schema.json', () => {
  it('is up to date with the registered steps (regenerate: npm run schema)', () => {
    expect(readFileSync(committed, 'utf8')).toBe(schemaText(builtinRegistry(builtinSteps)));
  });

  it('accepts the fixture recipe and rejects a misspelt key, so editors flag it', () => {
    const schema = JSON.parse(readFileSync(committed, 'utf8')) as object;
    const validate = new Ajv({ strict: false }).compile(schema);
    const recipe = parse(
      readFileSync(new URL('../../../fixtures/recipes/basic/recipe.yaml', import.meta.url), 'utf8'),
    );
    expect(validate(recipe)).toBe(true);
    expect(validate({ ...recipe, step: {} })).toBe(false);
    const shell = {
      recipe: 'x',
      version: 1,
      steps: { a: { uses: 'shell', with: { run: 'true', outptus: {} } } },
    };
    // `shell` has additionalProperties: false on its params, so the editor schema catches the typo.
    expect(validate(shell)).toBe(false);
  });
});
