import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { QUESTIONS, SHORTLIST, toyEmbedder } from '../../../test/toy-embedder';
import { QuestionAlignment } from './alignment';
import { gatherCandidates } from '../answer';
import { parseArticle, readDataFolder } from '../corpus/articles';
import { candidateFeatures, FEATURE_COUNT, FEATURE_NAMES } from './features';
import type { QueryTerm } from '../retrieval/query';
import { analyseQuestion } from '../question/question';
import { DEFAULT_RANKING, fuse } from './ranking';
import { buildSearchIndex, type SearchIndex } from '../retrieval/search-index';

interface PinnedRows {
  questions: Array<{ question: string; sentences: number[]; rows: number[][] }>;
}

describe('candidateFeatures', () => {
  let index: SearchIndex;
  beforeAll(async () => {
    const { articles } = await readDataFolder('data');
    index = await buildSearchIndex(articles, toyEmbedder, { approximateFrom: Infinity });
  });

  it('gives every feature of the seed articles\' candidates exactly as before the rank-stage speed-up', async () => {
    // The trees were fitted on these values: the fixture holds them as the engine at 331fbf5 computed them.
    const pinned = JSON.parse(readFileSync(new URL('./fixtures/feature-rows.json', import.meta.url), 'utf8')) as PinnedRows;
    expect(pinned.questions.map((q) => q.question)).toEqual(QUESTIONS);
    for (const { question: text, sentences, rows } of pinned.questions) {
      const question = analyseQuestion(index, text);
      const retrieval = await gatherCandidates(index, toyEmbedder, question);
      const shortlist = fuse(retrieval, DEFAULT_RANKING, SHORTLIST).map((c) => ({ ...c, fused: c.score }));
      expect(shortlist.map((c) => c.sentence), text).toEqual(sentences);
      const features = candidateFeatures(index, retrieval, question, shortlist);
      rows.forEach((row, i) => expect(Array.from(features.subarray(i * FEATURE_COUNT, (i + 1) * FEATURE_COUNT)), `${text} #${i}`).toEqual(row));
    }
  });
});

describe('windowCoverage', () => {
  it('counts what the previous sentence of the same paragraph holds of the question, never a previous paragraph\'s', async () => {
    const text = 'The final\n\nThe game was played at Levi\'s Stadium in Santa Clara.\nSuper Bowl 50 decided the champion of the league.\n\nThe game was played before 71,088 fans.\n';
    const index = await buildSearchIndex([parseArticle('bowl.txt', new TextEncoder().encode(text))], toyEmbedder, { approximateFrom: Infinity });
    const question = analyseQuestion(index, 'Where was Super Bowl 50 played?');
    const retrieval = await gatherCandidates(index, toyEmbedder, question);
    const shortlist = fuse(retrieval, DEFAULT_RANKING, SHORTLIST).map((c) => ({ ...c, fused: c.score }));
    const features = candidateFeatures(index, retrieval, question, shortlist);
    const window = (needle: string) => {
      const row = shortlist.findIndex((c) => index.text(c.sentence).includes(needle));
      expect(row, needle).toBeGreaterThanOrEqual(0);
      return features[row * FEATURE_COUNT + FEATURE_NAMES.indexOf('windowCoverage')];
    };
    // "Super Bowl 50", with "played" in the sentence before it in its paragraph: the whole question.
    expect(window('champion')).toBeCloseTo(1, 6);
    // The paragraph's first sentence: its own words ("played") only.
    expect(window('Levi')).toBeGreaterThan(0);
    expect(window('Levi')).toBeLessThan(0.5);
    // The same words, but the sentence before it ("Super Bowl 50") stands in the paragraph above: not counted.
    expect(window('71,088')).toBeCloseTo(window('Levi'), 6);
  });
});

/** A pseudo-random generator with a seed, so the test's vectors are the same at every run. */
function seeded(seed: number): () => number {
  return () => {
    seed = Math.imul(seed ^ (seed >>> 15), 2246822507) + 0x9e3779b9;
    return ((seed >>> 8) & 0xffff) / 0xffff - 0.5;
  };
}

/** The alignment as first written: a fresh similarity row per term, plain loops (what the fast one must equal). */
function plainAlign(asked: QueryTerm[], weights: number[], total: number, termVectors: Float32Array, dim: number, unknown: Map<string, Float32Array>, ids: Int32Array): [number, number] {
  const n = asked.length;
  const best = new Float32Array(n);
  for (const id of ids) {
    const row = new Float32Array(n);
    asked.forEach((t, q) => {
      if (t.id === id) return void (row[q] = 1);
      const v = t.id >= 0 ? termVectors.subarray(t.id * dim, (t.id + 1) * dim) : unknown.get(t.unknownWord ?? '');
      if (!v) return;
      let dot = 0;
      for (let j = 0; j < dim; j++) dot += termVectors[id * dim + j] * v[j];
      row[q] = Math.max(0, dot);
    });
    for (let q = 0; q < n; q++) if (row[q] > best[q]) best[q] = row[q];
  }
  let [hard, soft, softWeight] = [0, 0, 0];
  for (let q = 0; q < n; q++) {
    hard += weights[q] * best[q];
    if (best[q] < 1) [soft, softWeight] = [soft + weights[q] * best[q], softWeight + weights[q]];
  }
  return [hard / total, softWeight > 0 ? soft / softWeight : 1];
}

describe('QuestionAlignment', () => {
  it('aligns exactly as the plain loops do, also past its first 1024 terms (its rows grow) and for terms seen before', () => {
    const dim = 7; // not a multiple of the products' unrolling
    const terms = 3000;
    const random = seeded(7);
    const termVectors = Float32Array.from({ length: terms * dim }, random);
    const unknown = new Map([['zyx', Float32Array.from({ length: dim }, random)]]);
    const asked: QueryTerm[] = [
      { term: 'a', id: 5, weight: 1 },
      { term: 'b', id: 2999, weight: 0.5 },
      { term: 'zyx', id: -1, weight: 1, unknownWord: 'zyx' },
      { term: 'nope', id: -1, weight: 1 },
    ];
    const weights = [2.5, 1.25, 3, 3];
    const total = weights.reduce((a, b) => a + b, 0);
    const alignment = new QuestionAlignment(asked, weights, total, termVectors, dim, unknown);
    const lists = [Int32Array.of(5, 17, 40), Int32Array.from({ length: 1500 }, (_, i) => i * 2), Int32Array.of(2999, 5, 17), Int32Array.from({ length: 1500 }, (_, i) => i * 2 + 1), Int32Array.of()];
    for (const ids of lists) expect(alignment.align(ids)).toEqual(plainAlign(asked, weights, total, termVectors, dim, unknown, ids));
    expect(alignment.covered(new Set([5, 40]))).toBe(2.5 / total);
  });

  it('matches exact terms only without word vectors, and gives 0 for a question without weight', () => {
    const asked: QueryTerm[] = [{ term: 'a', id: 1, weight: 1 }, { term: 'b', id: 2, weight: 1 }];
    expect(new QuestionAlignment(asked, [1, 3], 4, null, 1, new Map()).align(Int32Array.of(2, 7))).toEqual([0.75, 0]);
    expect(new QuestionAlignment(asked, [0, 0], 0, null, 1, new Map()).align(Int32Array.of(2))).toEqual([0, 0]);
  });
});
