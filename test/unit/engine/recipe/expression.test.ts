import { describe, expect, it } from 'vitest';
import { parseExpression, parseString } from '../../../../engine/recipe/expression.js';

describe('parseString', () => {
  it('splits literal text and references', () => {
    const parsed = parseString('python fit.py ${{ steps.a.outputs.x }} --n ${{params.n}}');
    expect(parsed).toEqual({
      ok: true,
      parts: [
        'python fit.py ',
        {
          expression: { kind: 'ref', path: ['steps', 'a', 'outputs', 'x'] },
          source: '${{ steps.a.outputs.x }}',
          offset: 14,
        },
        ' --n ',
        { expression: { kind: 'ref', path: ['params', 'n'] }, source: '${{params.n}}', offset: 43 },
      ],
    });
  });

  it('reads literals without evaluating anything', () => {
    expect(parseExpression(" 'a b' ")).toEqual({ kind: 'literal', value: 'a b' });
    expect(parseExpression('-2.5e3')).toEqual({ kind: 'literal', value: -2500 });
    expect(parseExpression('true')).toEqual({ kind: 'literal', value: true });
    expect(parseExpression('null')).toEqual({ kind: 'literal', value: null });
  });

  it('rejects code, with a reason', () => {
    expect(parseExpression('process.exit(1)')).toBe(
      '`exit(1)` is not a name (letters, digits, `_` and `-`; operators and function calls are not supported)',
    );
    expect(parseExpression('params.a + 1')).toMatch(/is not a name/);
    expect(parseExpression('  ')).toBe('the expression is empty');
    expect(parseExpression('params..a')).toBe('empty name between dots');
  });

  it('reports an unterminated expression with its offset', () => {
    expect(parseString('x ${{ params.a ')).toEqual({
      ok: false,
      message: 'unterminated expression `${{ params.a `',
      hint: 'close it with `}}`, e.g. `${{ params.seed }}`',
      offset: 2,
    });
  });

  it('allows step ids with dashes', () => {
    const parsed = parseString('${{ steps.make-sky.outputs.science }}');
    expect(parsed.ok && parsed.parts[0]).toMatchObject({
      expression: { path: ['steps', 'make-sky', 'outputs', 'science'] },
    });
  });
});
