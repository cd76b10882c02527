import { describe, expect, it } from 'vitest';
import { answerProbability, answerThreshold, scoreShape } from './abstention';
import { EVIDENCE_NAMES } from './evidence';
import { FEATURE_COUNT, FEATURE_NAMES } from './features';
import { parseModelParameters } from './parameters';
import type { Ranking } from './ranker';
import type { Candidate } from './search-index';

const candidate = (sentence: number, over: Partial<Candidate> = {}): Candidate => ({
  sentence, bm25: 0, paragraphBm25: 0, coverage: 0, cosine: 0, phrase: 0, titleCoverage: 0, ...over,
});
const names = [...FEATURE_NAMES];
const NO_EVIDENCE = new Float32Array(EVIDENCE_NAMES.length);
const oneLeaf = { features: names, trees: [{ feature: [], threshold: [], left: [], right: [], leaf: [0] }] };

describe('answerProbability', () => {
  it('without parameters of its own, a model uses the linear default over coverage, cosine and corpus size', () => {
    const p = parseModelParameters({}, 'defaults');
    const strong: Ranking = { ranked: [{ ...candidate(0, { coverage: 0.9, cosine: 0.7 }), score: 3 }], features: null };
    const weak: Ranking = { ranked: [{ ...candidate(0, { coverage: 0.1, cosine: 0.1 }), score: 1 }], features: null };
    expect(answerProbability(strong, NO_EVIDENCE, 1000, p)).toBeGreaterThanOrEqual(answerThreshold(p));
    expect(answerProbability(weak, NO_EVIDENCE, 1000, p)).toBeLessThan(answerThreshold(p));
    expect(answerProbability({ ranked: [], features: null }, NO_EVIDENCE, 1000, p)).toBe(0);
  });

  it("with a model's own abstention, weighs the ranker's best score, its margin and the best row's features", () => {
    const p = parseModelParameters(
      { ranker: oneLeaf, abstention: { features: ['score', 'margin', 'coverage'], weights: [1, 2, 4], bias: -3, threshold: 0.5 } },
      'test',
    );
    const features = new Float32Array(2 * FEATURE_COUNT);
    features[FEATURE_NAMES.indexOf('coverage')] = 0.5; // the best row's coverage
    features[FEATURE_COUNT + FEATURE_NAMES.indexOf('coverage')] = 1; // the second row's, not used
    const ranking: Ranking = { ranked: [{ ...candidate(0), score: 1.5 }, { ...candidate(1), score: 1 }], features };
    const z = -3 + 1 * 1.5 + 2 * 0.5 + 4 * 0.5;
    expect(answerProbability(ranking, NO_EVIDENCE, 10, p)).toBeCloseTo(1 / (1 + Math.exp(-z)), 6);
    expect(answerThreshold(p)).toBe(0.5);
  });

  it('with boosted trees, takes their sum as log-odds', () => {
    const trees = [{ feature: [0], threshold: [2], left: [-1], right: [-2], leaf: [-1, 1.5] }];
    const p = parseModelParameters({ ranker: oneLeaf, abstention: { features: ['margin'], trees, threshold: 0.5 } }, 'test');
    const ranking = (margin: number): Ranking => ({ ranked: [{ ...candidate(0), score: margin }, { ...candidate(1), score: 0 }], features: new Float32Array(2 * FEATURE_COUNT) });
    expect(answerProbability(ranking(3), NO_EVIDENCE, 10, p)).toBeCloseTo(1 / (1 + Math.exp(-1.5)), 6);
    expect(answerProbability(ranking(1), NO_EVIDENCE, 10, p)).toBeCloseTo(1 / (1 + Math.exp(1)), 6);
  });

  it("weighs the question's corpus evidence and the shortlist's score shape by name", () => {
    const p = parseModelParameters(
      { ranker: oneLeaf, abstention: { features: ['rarePair', 'scoreTopGap'], weights: [2, 1], bias: -1, threshold: 0.5 } },
      'test',
    );
    const ranking: Ranking = {
      ranked: [{ ...candidate(0), score: 3 }, { ...candidate(1), score: 1 }, { ...candidate(2), score: 0 }],
      features: new Float32Array(3 * FEATURE_COUNT),
    };
    const evidence = new Float32Array(EVIDENCE_NAMES.length);
    expect(answerProbability(ranking, evidence, 10, p)).toBeCloseTo(1 / (1 + Math.exp(-(-1 + 2.5))), 6);
    evidence[EVIDENCE_NAMES.indexOf('rarePair')] = 1;
    expect(answerProbability(ranking, evidence, 10, p)).toBeCloseTo(1 / (1 + Math.exp(-(-1 + 2 + 2.5))), 6);
    expect(() => parseModelParameters({ abstention: { features: ['scoreSpread'], weights: [1], bias: 0, threshold: 0.5 } }, 'test')).toThrow(/needs the ranker/);
  });
});

describe('scoreShape', () => {
  it("measures how far the best score stands above the rest, in the rest's spread and over the next four", () => {
    expect(scoreShape([3, 1, 1])).toEqual({ scoreSpread: 20, scoreTopGap: 2 });
    const s = scoreShape([5, 4, 3, 2, 1, 0]);
    expect(s.scoreTopGap).toBeCloseTo(5 - 2.5, 9);
    expect(s.scoreSpread).toBeCloseTo((5 - 2) / (Math.sqrt(2) + 0.1), 9);
    expect(scoreShape([2])).toEqual({ scoreSpread: 5, scoreTopGap: 5 });
  });
});
