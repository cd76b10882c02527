import { describe, expect, it } from 'vitest';
import { parseArticle } from './articles';
import { answerability, DEFAULT_RANKING, fuse, selectQuotes } from './ranking';
import { SearchIndex, type Candidate, type Retrieval } from './search-index';

const bytes = (s: string) => new TextEncoder().encode(s);
const wire = parseArticle(
  'wire.txt',
  bytes('Wire story\n\nObama and Putin met for 90 minutes on the sidelines of the summit in Hangzhou.\n\nThe talks covered Syria and Ukraine.\n\nKerry met Lavrov for another hour on Monday.\n'),
);
const reprint = parseArticle(
  'reprint.md',
  bytes('---\ntitle: Reprint\nurl: https://example.org/r\n---\n\nObama and Putin met for 90 minutes on the sidelines of the summit in Hangzhou, China.\n'),
);
// Lexical signals only (one-dimensional zero vectors): the fusion and selection logic is what is under test.
const index = new SearchIndex([wire, reprint], new Float32Array(4), 1);

const candidate = (sentence: number, over: Partial<Candidate> = {}): Candidate => ({
  sentence, bm25: 0, paragraphBm25: 0, coverage: 0, cosine: 0, phrase: 0, title: 0, ...over,
});

describe('fuse', () => {
  it('orders candidates by the weighted sum of normalised signals', () => {
    const retrieval: Retrieval = {
      terms: [],
      candidates: [candidate(0, { bm25: 2, coverage: 0.5 }), candidate(2, { bm25: 4, coverage: 0.2 }), candidate(1, { cosine: 0.9 })],
      maxBm25: 4,
      maxParagraphBm25: 0,
      corpusSize: 4,
    };
    const p = { ...DEFAULT_RANKING, sentence: 1, coverage: 3, dense: 1 };
    const ranked = fuse(retrieval, p);
    expect(ranked.map((c) => c.sentence)).toEqual([0, 2, 1]); // 0.5+1.5=2.0, 1+0.6=1.6, 0.9
    expect(ranked[0].score).toBeCloseTo(2.0);
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

describe('selectQuotes', () => {
  it('abstains when the sources do not answer', () => {
    const retrieval = index.retrieve(index.queryTerms('What is the weather in Moscow tomorrow?'), null);
    expect(selectQuotes(index, retrieval, 3)).toEqual([]);
  });

  it('folds the same sentence from another article into alsoIn, with context and highlights', () => {
    const quotes = selectQuotes(index, index.retrieve(index.queryTerms('How long did Obama and Putin meet in Hangzhou?'), null), 3);
    expect(quotes[0].quote).toMatch(/^Obama and Putin met for 90 minutes/);
    expect(quotes[0].alsoIn).toHaveLength(1);
    expect(quotes.filter((q) => q.quote.includes('90 minutes'))).toHaveLength(1);
    expect(quotes[0].highlights.map(([s, e]) => quotes[0].quote.slice(s, e))).toEqual(expect.arrayContaining(['Obama', 'Putin', 'met', 'Hangzhou']));
    const wireFirst = quotes[0].source.file === 'wire.txt';
    expect(quotes[0].context).toEqual({ before: null, after: wireFirst ? 'The talks covered Syria and Ukraine.' : null });
    expect(quotes[0].alsoIn[0].file).toBe(wireFirst ? 'reprint.md' : 'wire.txt');
    expect(quotes[0].score).toBeGreaterThan(0);
    expect(quotes[0].score).toBeLessThanOrEqual(1);
  });

  it('counts a sentence mostly contained in another as the same report, but not a merely related one', () => {
    const articles = [
      'Obama and Putin met for 90 minutes on the sidelines of the summit in Hangzhou, said the official, who spoke on condition of anonymity.',
      'Obama and Putin met for 90 minutes on the sidelines of the summit in Hangzhou, a senior official said.',
      'Obama and Putin met for talks on the sidelines of the summit in Hangzhou on Monday, officials said.',
      // Unrelated sentences, so the question's words are rare enough to be answered.
      Array.from({ length: 12 }, (_, i) => `The market report number ${i} covered grain prices and shipping rates.`).join('\n\n'),
    ].map((body, i) => parseArticle(`a${i}.txt`, bytes(`Story ${i}\n\n${body}\n`)));
    const idx = new SearchIndex(articles, new Float32Array(15), 1);
    const quotes = selectQuotes(idx, idx.retrieve(idx.queryTerms('How long did Obama and Putin meet on the sidelines in Hangzhou?'), null), 3);
    const minutes = quotes.filter((q) => q.quote.includes('90 minutes'));
    expect(minutes).toHaveLength(1);
    expect(minutes[0].alsoIn).toHaveLength(1);
    expect(quotes.some((q) => q.quote.includes('for talks'))).toBe(true);
  });

  it('never returns more than asked', () => {
    expect(selectQuotes(index, index.retrieve(index.queryTerms('Obama Putin Kerry Lavrov met talks'), null), 1)).toHaveLength(1);
  });
});
