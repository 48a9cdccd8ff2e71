/**
 * Step parameter validation with ajv: each step definition's schema is compiled once (cached per
 * definition object), so 10,000 instances of one step cost one compilation.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import { AsterismError } from '../errors.js';
import type { JsonValue } from '../graph/types.js';
import type { AnyStepDefinition } from '../step.js';
import { compileSchema } from './ajv.js';

/** One ajv failure, in our words. */
export interface ParamIssue {
  /** JSON pointer inside `with`, e.g. `/epochs` ('' for the whole object). */
  readonly pointer: string;
  /** ajv keyword that failed (`type`, `required`, `additionalProperties`, ...). */
  readonly keyword: string;
  readonly message: string;
  /** For `additionalProperties`: the unknown key. For `required`: the missing key. */
  readonly key?: string;
}

const compiled = new WeakMap<AnyStepDefinition, ValidateFunction>();

/** The compiled validator of a step's params schema; throws `STEP_SCHEMA` when the schema is invalid. */
export function paramsValidator(definition: AnyStepDefinition): ValidateFunction {
  let validate = compiled.get(definition);
  if (validate === undefined) {
    try {
      validate = compileSchema(definition.params as object);
    } catch (error) {
      throw new AsterismError(
        'STEP_SCHEMA',
        `step \`${definition.name}\` has an invalid params schema: ${(error as Error).message}`,
        { hint: 'fix the `params` JSON Schema in the step definition', cause: error },
      );
    }
    compiled.set(definition, validate);
  }
  return validate;
}

/**
 * Validate `data` in place against the step's params schema (defaults are filled into `data`).
 * Returns the problems, empty when valid.
 */
export function checkParams(definition: AnyStepDefinition, data: unknown): ParamIssue[] {
  const validate = paramsValidator(definition);
  if (validate(data)) return [];
  return (validate.errors ?? []).map(toIssue);
}

function toIssue(error: ErrorObject): ParamIssue {
  const params = error.params as { additionalProperty?: string; missingProperty?: string };
  if (error.keyword === 'additionalProperties' && params.additionalProperty !== undefined) {
    return {
      pointer: error.instancePath,
      keyword: error.keyword,
      message: 'unknown param',
      key: params.additionalProperty,
    };
  }
  if (error.keyword === 'required' && params.missingProperty !== undefined) {
    return {
      pointer: error.instancePath,
      keyword: error.keyword,
      message: 'missing required param',
      key: params.missingProperty,
    };
  }
  return { pointer: error.instancePath, keyword: error.keyword, message: error.message ?? error.keyword };
}

/**
 * Re-validate a step's params after run-time references became real paths (called by the
 * scheduler just before `run`). Returns a deep copy with defaults filled in; throws
 * `PARAMS_INVALID` naming the instance and every failing param.
 */
export function validateResolvedParams(
  definition: AnyStepDefinition,
  instanceId: string,
  params: JsonValue,
): Record<string, unknown> {
  const copy = structuredClone(params) as Record<string, unknown>;
  const issues = checkParams(definition, copy);
  if (issues.length > 0) {
    const lines = issues.map(
      (issue) => `  with${issue.pointer}${issue.key === undefined ? '' : `/${issue.key}`}: ${issue.message}`,
    );
    throw new AsterismError(
      'PARAMS_INVALID',
      `step \`${instanceId}\` (uses: ${definition.name}): resolved params do not match its schema:\n${lines.join('\n')}`,
      { hint: `see \`asterism steps ${definition.name}\` for the documented params` },
    );
  }
  return copy;
}
