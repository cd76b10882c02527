import { describe, expect, it } from 'vitest';
import { answerability, DEFAULT_RANKING, fuse } from './ranking';
import type { Candidate, Retrieval } from '../retrieval/search-index';

const candidate = (sentence: number, over: Partial<Candidate> = {}): Candidate => ({
  sentence, bm25: 0, paragraphBm25: 0, coverage: 0, cosine: 0, phrase: 0, titleCoverage: 0, ...over,
});

describe('fuse', () => {
  it('orders candidates by the weighted sum of normalised signals', () => {
    const retrieval: Retrieval = {
      terms: [],
      candidates: [candidate(0, { bm25: 2, coverage: 0.5 }), candidate(2, { bm25: 4, coverage: 0.2 }), candidate(1, { cosine: 0.9 })],
      maxBm25: 4,
      maxParagraphBm25: 0,
      corpusSize: 4,
      cosine: null,
      unknown: new Map(),
    };
    const p = { ...DEFAULT_RANKING, sentence: 1, coverage: 3, dense: 1 };
    const ranked = fuse(retrieval, p);
    expect(ranked.map((c) => c.sentence)).toEqual([0, 2, 1]); // 0.5+1.5=2.0, 1+0.6=1.6, 0.9
    expect(ranked[0].score).toBeCloseTo(2.0);
  });

  it('keeps with a limit the first candidates of the whole order, ties by sentence, scores unchanged', () => {
    // The ranker asks for its shortlist only (fuse(…, 40)); training shortlists with fuse(…).slice(0, 40).
    const coverages = [0.5, 0.2, 0.5, 0.9, 0.2, 0.5, 0, 0.9];
    const candidates = coverages.map((coverage, i) => candidate(30 - 3 * i, { coverage }));
    const retrieval: Retrieval = { terms: [], candidates, maxBm25: 0, maxParagraphBm25: 0, corpusSize: 40, cosine: null, unknown: new Map() };
    const all = fuse(retrieval);
    expect(all.map((c) => c.sentence)).toEqual([9, 21, 15, 24, 30, 18, 27, 12]); // coverage, then sentence;
    for (const limit of [0, 1, 3, 5, 8, 20]) expect(fuse(retrieval, DEFAULT_RANKING, limit), `limit ${limit}`).toEqual(all.slice(0, limit));
  });
});

describe('answerability', () => {
  it('grows with coverage and cosine, and shrinks as the corpus grows', () => {
    const weak = candidate(0, { coverage: 0.1, cosine: 0.1 });
    const strong = candidate(0, { coverage: 0.8, cosine: 0.6 });
    expect(answerability(strong, 1000)).toBeGreaterThan(answerability(weak, 1000));
    expect(answerability(strong, 1000)).toBeGreaterThan(DEFAULT_RANKING.abstainThreshold);
    expect(answerability(weak, 1000)).toBeLessThan(DEFAULT_RANKING.abstainThreshold);
    expect(answerability(strong, 1_000_000)).toBeLessThan(answerability(strong, 100));
  });
});
