/**
 * The JSON Schema of recipe format v1: the shape pass of validation (ajv, compiled once) and the
 * base of the editor schema that `asterism schema` writes (with per-step `with:` schemas added).
 */

/** Step ids and param names: what `${{ steps.ID... }}` and `${{ params.NAME }}` can spell. */
export const NAME_PATTERN = '^[A-Za-z_][A-Za-z0-9_-]*$';
/** A value that is one `${{ ... }}` expression. */
export const EXPRESSION_PATTERN = '^\\s*\\$\\{\\{.*\\}\\}\\s*$';

const expression = { type: 'string', pattern: EXPRESSION_PATTERN } as const;
const scalar = { type: ['string', 'number', 'boolean'] } as const;

/** The schema of one entry under `steps:`; `withSchema` is the schema of its `with:`. */
export function stepEntrySchema(usesSchema: object, withSchema: object, extra: object = {}): object {
  return {
    type: 'object',
    description: 'One step: which registered step it uses and its parameters.',
    required: ['uses'],
    additionalProperties: false,
    properties: {
      uses: usesSchema,
      with: withSchema,
      needs: {
        description:
          'Step ids this step waits for, beyond those its `${{ steps.ID.outputs.X }}` references imply.',
        oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' }, uniqueItems: true }],
      },
      matrix: {
        description: 'Fan out into one instance per combination: `{ direction: [tuf, psep, r] }`.',
        type: 'object',
        minProperties: 1,
        propertyNames: { pattern: NAME_PATTERN },
        additionalProperties: { oneOf: [{ type: 'array', minItems: 1, items: scalar }, expression] },
      },
      resources: {
        description: 'Resource claims honoured by the scheduler (override the step defaults).',
        type: 'object',
        additionalProperties: false,
        properties: {
          cpu: { type: 'number', exclusiveMinimum: 0, description: 'CPU slots.' },
          gpu: { type: 'integer', minimum: 0, description: 'GPU slots.' },
          memoryMb: { type: 'number', minimum: 0, description: 'Expected memory in MiB.' },
        },
      },
      timeout: {
        description: 'Time limit: `90s`, `30m`, `1h30m`, or seconds.',
        oneOf: [
          { type: 'string', pattern: '^\\s*(\\d+(\\.\\d+)?\\s*(ms|s|m|h|d)\\s*)+$' },
          { type: 'number', exclusiveMinimum: 0 },
        ],
      },
      retries: { type: 'integer', minimum: 0, description: 'Extra attempts after a failure.' },
      isolate: { type: 'boolean', description: 'Run in a child process even without a GPU claim.' },
    },
    ...extra,
  };
}

/** The recipe schema; `stepSchema` describes each entry under `steps:`. */
export function recipeSchema(stepSchema: object, extra: object = {}): object {
  return {
    ...extra,
    type: 'object',
    required: ['recipe', 'version', 'steps'],
    additionalProperties: false,
    properties: {
      recipe: {
        type: 'string',
        pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$',
        description: 'The recipe name (names the lock file).',
      },
      version: { const: 1, description: 'Recipe format version.' },
      description: { type: 'string' },
      params: {
        description:
          'Parameters, referenced as `${{ params.NAME }}` and overridable with `--set NAME=VALUE`.',
        type: 'object',
        propertyNames: { pattern: NAME_PATTERN },
      },
      inputs: {
        description:
          'Files, folders or globs on disk (relative to the recipe), referenced as `${{ inputs.NAME }}`.',
        type: 'object',
        propertyNames: { pattern: NAME_PATTERN },
        additionalProperties: { type: 'string', minLength: 1 },
      },
      plugins: {
        description:
          'Module files (relative to the recipe) whose named export `steps` lists step definitions.',
        type: 'array',
        items: { type: 'string', minLength: 1 },
      },
      steps: {
        description: 'The steps, by id.',
        type: 'object',
        minProperties: 1,
        propertyNames: { pattern: NAME_PATTERN },
        additionalProperties: stepSchema,
      },
    },
  };
}

/** The shape schema the loader validates with (any registered step, any `with:` mapping). */
export const recipeShapeSchema: object = recipeSchema(
  stepEntrySchema({ type: 'string', minLength: 1 }, { type: 'object' }),
);
