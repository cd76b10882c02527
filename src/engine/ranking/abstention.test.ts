import { describe, expect, it } from 'vitest';
import { answerProbability, answerThreshold } from './abstention';
import { FEATURE_COUNT, FEATURE_NAMES } from './features';
import { parseModelParameters } from './parameters';
import type { Ranking } from './ranker';
import type { Candidate } from '../retrieval/search-index';

const candidate = (sentence: number, over: Partial<Candidate> = {}): Candidate => ({
  sentence, bm25: 0, paragraphBm25: 0, coverage: 0, cosine: 0, phrase: 0, titleCoverage: 0, ...over,
});
const names = [...FEATURE_NAMES];
const oneLeaf = { features: names, trees: [{ feature: [], threshold: [], left: [], right: [], leaf: [0] }] };

describe('answerProbability', () => {
  it('without parameters of its own, a model uses the linear default over coverage, cosine and corpus size', () => {
    const p = parseModelParameters({}, 'defaults');
    const strong: Ranking = { ranked: [{ ...candidate(0, { coverage: 0.9, cosine: 0.7 }), score: 3 }], features: null };
    const weak: Ranking = { ranked: [{ ...candidate(0, { coverage: 0.1, cosine: 0.1 }), score: 1 }], features: null };
    expect(answerProbability(strong, 1000, p)).toBeGreaterThanOrEqual(answerThreshold(p, strong));
    expect(answerProbability(weak, 1000, p)).toBeLessThan(answerThreshold(p, weak));
    expect(answerProbability({ ranked: [], features: null }, 1000, p)).toBe(0);
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
    expect(answerProbability(ranking, 10, p)).toBeCloseTo(1 / (1 + Math.exp(-z)), 6);
    expect(answerThreshold(p, ranking)).toBe(0.5);
  });

  it('with boosted trees, takes their sum as log-odds', () => {
    const trees = [{ feature: [0], threshold: [2], left: [-1], right: [-2], leaf: [-1, 1.5] }];
    const p = parseModelParameters({ ranker: oneLeaf, abstention: { features: ['margin'], trees, threshold: 0.5 } }, 'test');
    const ranking = (margin: number): Ranking => ({ ranked: [{ ...candidate(0), score: margin }, { ...candidate(1), score: 0 }], features: new Float32Array(2 * FEATURE_COUNT) });
    expect(answerProbability(ranking(3), 10, p)).toBeCloseTo(1 / (1 + Math.exp(-1.5)), 6);
    expect(answerProbability(ranking(1), 10, p)).toBeCloseTo(1 / (1 + Math.exp(1)), 6);
  });
});
