import { describe, expect, it } from 'vitest';
import { builtinSteps } from '../../../steps/index.js';
import { BUILTIN_STEP_NAMES } from '../../../steps/names.js';

describe('BUILTIN_STEP_NAMES', () => {
  it('names exactly the built-in steps the bin loads late', () => {
    expect([...BUILTIN_STEP_NAMES].sort()).toEqual(builtinSteps.map((step) => step.name).sort());
    expect(new Set(BUILTIN_STEP_NAMES).size).toBe(BUILTIN_STEP_NAMES.length);
  });
});
