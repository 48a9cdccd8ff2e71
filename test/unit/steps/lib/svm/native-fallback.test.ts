import { describe, expect, it } from 'vitest';

describe('fitLinearSvm without the native addon', () => {
  it('falls back to the TypeScript solver under `auto`, and `native` says what is missing', async () => {
    // A path that does not exist forces every native fallback (steps/lib/native/addon.ts); set it
    // before the loader runs: vitest gives each test file its own module registry.
    process.env.ASTERISM_NATIVE_ADDON = '/nonexistent/asterism_native.node';
    const { fitLinearSvm } = await import('../../../../../steps/lib/svm/linear-svm.js');
    const data = Float64Array.from([2, 0, 1.5, 0.5, -2, 0, -1.5, -0.5]);
    const X = { data, rows: 4, columns: 2 };
    const y = [1, 1, -1, -1];
    const model = fitLinearSvm(X, y, { C: 10 });
    expect(model.backend).toBe('js');
    expect(model.converged).toBe(true);
    expect(model.weights[0]).toBeGreaterThan(0);
    expect(() => fitLinearSvm(X, y, { backend: 'native' })).toThrow(
      /native SVM solver is not available: native addon \/nonexistent\/asterism_native.node failed to load/,
    );
  });
});
