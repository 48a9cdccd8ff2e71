import fc from 'fast-check';
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

describe('bracket indexes', () => {
  it('parses a reference, a quoted key and a number as index keys', () => {
    expect(parseExpression(' params.profiles[params.profile].epochs ')).toEqual({
      kind: 'ref',
      path: ['params', 'profiles', { index: { kind: 'ref', path: ['params', 'profile'] } }, 'epochs'],
    });
    expect(parseExpression(`params.p[ 'a b]' ]["x"][0][matrix.k]`)).toEqual({
      kind: 'ref',
      path: [
        'params',
        'p',
        { index: { kind: 'literal', value: 'a b]' } },
        { index: { kind: 'literal', value: 'x' } },
        { index: { kind: 'literal', value: 0 } },
        { index: { kind: 'ref', path: ['matrix', 'k'] } },
      ],
    });
    expect(parseExpression('params.a[params.b[params.c]]')).toMatchObject({
      path: ['params', 'a', { index: { path: ['params', 'b', { index: { path: ['params', 'c'] } }] } }],
    });
  });

  it('rejects malformed indexes, with a reason', () => {
    expect(parseExpression('params.a[')).toBe('empty index `[]`');
    expect(parseExpression('params.a[]')).toBe('empty index `[]`');
    expect(parseExpression('params.a[params.b')).toBe('missing `]` after an index');
    expect(parseExpression("params.a['x")).toBe("unterminated quoted index `'x`");
    expect(parseExpression('params.a]')).toBe('unmatched `]`');
    expect(parseExpression('params.a[1] x')).toBe('expected `.` or `[` after `]`, got `x`');
    expect(parseExpression('params.a[1x]')).toBe('`1x` is not a number, a quoted key or a reference');
    expect(parseExpression('[params.a]')).toBe('an expression starts with a name such as `params`');
    expect(parseExpression('params.a[process.exit(1)]')).toMatch(/`exit\(1\)` is not a name/);
  });

  it('never throws, whatever is inside the brackets', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 40, unit: fc.constantFrom('[', ']', '.', "'", '"', ' ', 'a', '1', '-') }),
        (tail) => {
          const parsed = parseExpression(`params.a${tail}`);
          return typeof parsed === 'string' || parsed.kind === 'ref';
        },
      ),
      { numRuns: 500 },
    );
  });
});
