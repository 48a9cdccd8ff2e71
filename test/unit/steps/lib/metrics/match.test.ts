import { describe, expect, it } from 'vitest';
import { matchCandidates, scoreOrder } from '../../../../../steps/lib/metrics/match.js';
import type { Candidate, TruthObject } from '../../../../../steps/lib/metrics/types.js';

const sn = (field: string, x: number, y: number): TruthObject => ({
  field,
  x,
  y,
  kind: 'supernova',
  real: true,
});
const cr = (field: string, x: number, y: number): TruthObject => ({
  field,
  x,
  y,
  kind: 'cosmic_ray',
  real: false,
});
const cand = (field: string, x: number, y: number, score: number): Candidate => ({ field, x, y, score });

describe('matchCandidates', () => {
  it('matches within the radius (inclusive) and not beyond', () => {
    const truth = [sn('a', 10, 10), sn('a', 50, 50)];
    // (13,14) is at distance 5 from (10,10): outside 3 px. (52,50) is at 2 px; (53,50) exactly 3 px.
    const candidates = [cand('a', 13, 14, 0.9), cand('a', 53, 50, 0.8)];
    const m = matchCandidates(candidates, truth);
    expect([...m.candidateTruth]).toEqual([-1, 1]);
    expect(m.candidateClass).toEqual(['none', 'real']);
    expect(m.distancePx[1]).toBe(3);
    expect([...m.truthCandidate]).toEqual([-1, 1]);
    // With a 5 px radius the first one matches too (distance √(3²+4²) = 5, inclusive).
    expect([...matchCandidates(candidates, truth, { radiusPx: 5 }).candidateTruth]).toEqual([0, 1]);
  });

  it('is one-to-one and greedy by score: the higher score wins a contested truth object', () => {
    const truth = [sn('a', 10, 10)];
    // The low-score candidate is closer, but the high-score one is visited first and takes it.
    const candidates = [cand('a', 10.5, 10, 0.2), cand('a', 12, 10, 0.7)];
    const m = matchCandidates(candidates, truth);
    expect([...m.candidateTruth]).toEqual([-1, 0]);
    expect(m.candidateClass).toEqual(['none', 'real']);
  });

  it('takes the nearest eligible object, ties to the lower truth index', () => {
    const truth = [sn('a', 10, 10), sn('a', 12, 10), sn('a', 8, 10)];
    const m = matchCandidates([cand('a', 11.5, 10, 1)], truth);
    expect([...m.candidateTruth]).toEqual([1]); // 0.5 px from #1, 1.5 px from #0
    // Equidistant (1 px) from both: the lower truth index wins.
    const tie = matchCandidates([cand('a', 11, 10, 1)], [sn('a', 10, 10), sn('a', 12, 10)]);
    expect([...tie.candidateTruth]).toEqual([0]);
  });

  it('never matches across fields', () => {
    const m = matchCandidates([cand('b', 10, 10, 1)], [sn('a', 10, 10)]);
    expect([...m.candidateTruth]).toEqual([-1]);
  });

  it('matches real transients first, then leftover candidates to artifacts', () => {
    // A cosmic ray at (11,10) is nearer to the candidate than the supernova at (8,10),
    // but the candidate is explained by the supernova (stage 1). The second candidate reports the CR.
    const truth = [cr('a', 11, 10), sn('a', 8, 10)];
    const candidates = [cand('a', 10.5, 10, 0.9), cand('a', 12, 10, 0.5), cand('a', 30, 30, 0.4)];
    const m = matchCandidates(candidates, truth);
    expect([...m.candidateTruth]).toEqual([1, 0, -1]);
    expect(m.candidateClass).toEqual(['real', 'artifact', 'none']);
    expect([...m.truthCandidate]).toEqual([1, 0]);
  });

  it('lets a footprint make a distant candidate eligible', () => {
    const truth = [sn('a', 10, 10)];
    const candidates = [cand('a', 20, 10, 1)]; // 10 px away: only the footprint can match it
    expect([...matchCandidates(candidates, truth).candidateTruth]).toEqual([-1]);
    const onTrail = (ti: number, x: number, y: number) => ti === 0 && y === 10 && x >= 5 && x <= 25;
    const m = matchCandidates(candidates, truth, { footprintContains: onTrail });
    expect([...m.candidateTruth]).toEqual([0]);
    expect(m.distancePx[0]).toBe(10);
  });

  it('orders equal scores by input order', () => {
    expect(scoreOrder([cand('a', 0, 0, 1), cand('a', 0, 0, 2), cand('a', 0, 0, 1)])).toEqual([1, 0, 2]);
  });

  it('rejects non-finite scores and a non-positive radius with messages that say which', () => {
    expect(() => matchCandidates([cand('f1', 0, 0, Number.NaN)], [])).toThrow(
      'candidate 0 (field `f1`) has a non-finite score or position: x=0, y=0, score=NaN',
    );
    expect(() => matchCandidates([], [], { radiusPx: 0 })).toThrow(
      'Expected `radiusPx` to be a positive number of pixels, got `0`',
    );
  });
});
