/**
 * The linear fusion of the lexical and dense signals and its answerability model: the whole ranking for a model
 * without a learned ranker, and the shortlist for one with (see ranker.ts).
 */
import type { Candidate, Retrieval } from '../retrieval/search-index';

/**
 * The fusion weights and the abstention model. Fitted once on the SQuAD dev questions (see docs/measurements.md),
 * never on single questions.
 */
export interface RankingParameters {
  /** Weight of the sentence's BM25, normalised by the best BM25 of the question. */
  sentence: number;
  /** Weight of its paragraph's BM25, normalised the same way: a question often spreads over a paragraph. */
  paragraph: number;
  /** Weight of the embedding cosine. */
  dense: number;
  /** Weight of the covered share of the question's IDF mass. */
  coverage: number;
  /** Weight of the share of the question's adjacent term pairs found together in the sentence. */
  phrase: number;
  /** Weight of the share of the question's IDF mass found in the article title. */
  titleCoverage: number;
  /** Logistic answerability model over the top candidate: intercept and weights for coverage and cosine. */
  abstainBias: number;
  abstainCoverage: number;
  abstainCosine: number;
  /** Weight of log10 of the number of sentences searched (a larger corpus matches more words by chance). */
  abstainCorpus: number;
  /** Answer only when the answerability probability reaches this. */
  abstainThreshold: number;
  /** Quotes after the first must score at least this share of the first. */
  relativeFloor: number;
}

export const DEFAULT_RANKING: RankingParameters = {
  // Fitted by bench/fit-ranking.ts with the offline model (coordinate ascent on half the SQuAD articles' questions).
  sentence: 1,
  paragraph: 1.5,
  dense: 1.5,
  coverage: 3,
  phrase: 0.25,
  titleCoverage: 1,
  // Logistic regression on SQuAD questions over all / one article (answerable) vs other articles (not answerable).
  // The threshold answers ~94-97% of answerable questions and abstains on ~73-93% of unanswerable ones (held out).
  abstainBias: -5.743,
  abstainCoverage: 16.03,
  abstainCosine: 8.576,
  abstainCorpus: -1.67,
  abstainThreshold: 0.2,
  relativeFloor: 0.35,
};

export interface RankedCandidate extends Candidate {
  score: number;
}

/**
 * One fused score per candidate, best first (ties by sentence), the first `limit` of them. Scored and ordered by
 * index, so only the kept candidates become objects (the ranker keeps 40 of a few hundred).
 */
export function fuse(retrieval: Retrieval, p: RankingParameters = DEFAULT_RANKING, limit = Infinity): RankedCandidate[] {
  const { maxBm25, maxParagraphBm25, candidates } = retrieval;
  const scores = candidates.map(
    (c) =>
      p.sentence * (maxBm25 > 0 ? c.bm25 / maxBm25 : 0) +
      p.paragraph * (maxParagraphBm25 > 0 ? c.paragraphBm25 / maxParagraphBm25 : 0) +
      p.dense * Math.max(0, c.cosine) +
      p.coverage * c.coverage +
      p.phrase * c.phrase +
      p.titleCoverage * c.titleCoverage,
  );
  const order = candidates.map((_, i) => i).sort((a, b) => scores[b] - scores[a] || candidates[a].sentence - candidates[b].sentence);
  return order.slice(0, limit).map((i) => ({ ...candidates[i], score: scores[i] }));
}

/** Probability (0..1) that a candidate answers the question, from its absolute signals and the corpus size. */
export function answerability(c: Candidate, corpusSize: number, p: RankingParameters = DEFAULT_RANKING): number {
  const z =
    p.abstainBias +
    p.abstainCoverage * c.coverage +
    p.abstainCosine * Math.max(0, c.cosine) +
    p.abstainCorpus * Math.log10(Math.max(1, corpusSize));
  return 1 / (1 + Math.exp(-z));
}
