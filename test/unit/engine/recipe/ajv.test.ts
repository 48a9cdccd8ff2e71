import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { compileSchema, validatorCacheDir } from '../../../../engine/recipe/ajv.js';
import { recipeShapeSchema } from '../../../../engine/recipe/recipe-schema.js';
import { cacheFolderPerTest } from './helpers.js';

/** A params schema using what step authors use: defaults, enums, patterns, refs, oneOf. */
const PARAMS = {
  type: 'object',
  additionalProperties: false,
  required: ['images'],
  definitions: { range: { type: 'array', items: { type: 'number' }, minItems: 2, maxItems: 2 } },
  properties: {
    images: { type: 'string', pattern: '^[^\\s]+$' },
    epochs: { type: 'integer', minimum: 1, default: 20 },
    augment: { enum: ['none', 'hemisphere'], default: 'none' },
    range: { $ref: '#/definitions/range', default: [-3, 3] },
    size: { oneOf: [{ type: 'integer' }, { type: 'string', const: 'auto' }], default: 'auto' },
  },
};

const SAMPLES: unknown[] = [
  { images: 'a.fits' },
  { images: 'a.fits', epochs: 3, augment: 'hemisphere', range: [-6, 6], size: 64 },
  { images: 'has space', epochs: 0, augment: 'mirror', range: [1], size: 'big', extra: true },
  { epochs: 'many' },
  [],
];

/** What a validator makes of a sample: verdict, errors, and the sample with defaults filled. */
function outcome(validate: (data: unknown) => boolean, sample: unknown): unknown {
  const data = structuredClone(sample);
  const ok = validate(data);
  return { ok, errors: (validate as unknown as { errors?: unknown }).errors ?? null, data };
}

const cache = cacheFolderPerTest('ASTERISM_VALIDATOR_CACHE', 'asterism-validators-');

describe('compileSchema', () => {
  it('stores a compiled validator and later loads one that behaves exactly like ajv', async () => {
    expect(validatorCacheDir()).toBe(cache.dir);
    const fresh = new Ajv({ allErrors: true, useDefaults: true, strict: false, verbose: true });
    for (const schema of [PARAMS, recipeShapeSchema as object]) {
      const reference = fresh.compile(schema);
      const compiled = compileSchema(schema);
      const loaded = compileSchema(schema);
      expect(loaded).not.toBe(compiled); // the second came from the stored file
      const recipes = [
        { recipe: 'r', version: 1, steps: { a: { uses: 'shell', with: { run: 'true' } } } },
        { recipe: 'r', version: 2, steps: { 'bad id!': { uses: 3, retries: -1 } }, extra: 1 },
      ];
      for (const sample of schema === PARAMS ? SAMPLES : recipes) {
        expect(outcome(loaded, sample)).toEqual(outcome(reference, sample));
        expect(outcome(compiled, sample)).toEqual(outcome(reference, sample));
      }
    }
    expect((await readdir(cache.dir)).filter((name) => name.endsWith('.cjs'))).toHaveLength(2);
    // Defaults really are filled by the stored code (not only "equal to ajv" by accident).
    const data: Record<string, unknown> = { images: 'a.fits' };
    expect(compileSchema(PARAMS)(data)).toBe(true);
    expect(data).toEqual({ images: 'a.fits', epochs: 20, augment: 'none', range: [-3, 3], size: 'auto' });
  });

  it('compiles again over a damaged stored file, and rewrites it', async () => {
    compileSchema(PARAMS);
    const [name] = await readdir(cache.dir);
    const file = join(cache.dir, name!);
    const good = await readFile(file, 'utf8');
    await writeFile(file, good.slice(0, good.length / 2));
    const validate = compileSchema(PARAMS);
    expect(outcome(validate, SAMPLES[2])).toMatchObject({ ok: false });
    expect(validate({ images: 'a.fits' })).toBe(true);
    expect(await readFile(file, 'utf8')).toBe(good);
  });

  it('throws on an invalid schema and stores nothing for it', async () => {
    expect(() => compileSchema({ type: 'integr' })).toThrow(/type/);
    expect(await readdir(cache.dir)).toEqual([]);
  });

  it('works without a writable cache folder', async () => {
    process.env.ASTERISM_VALIDATOR_CACHE = join(cache.dir, 'file-not-folder');
    await writeFile(join(cache.dir, 'file-not-folder'), 'x');
    const validate = compileSchema(PARAMS);
    expect(validate({ images: 'a.fits' })).toBe(true);
    expect(validate({})).toBe(false);
  });
});
