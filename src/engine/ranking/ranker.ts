/**
 * Scoring: the linear fusion shortlists the candidates, and the learned ranker (when the model has one) rescores
 * the shortlist from its features. Best first.
 */
import { candidateFeatures, FEATURE_COUNT } from './features';
import type { Question } from '../question/question';
import type { ModelParameters } from './parameters';
import { fuse } from './ranking';
import type { Candidate, Retrieval, SearchIndex } from '../retrieval/search-index';

export interface ScoredCandidate extends Candidate {
  /** The ranker's score (or the fused score without a ranker); only differences within one question mean anything. */
  score: number;
}

export interface Ranking {
  /** Best first. */
  ranked: ScoredCandidate[];
  /** The feature row of each ranked candidate (`FEATURE_COUNT` values each, same order); null without a ranker. */
  features: Float32Array | null;
  /** After the cross-encoder stage (rescore.ts): each ranked candidate's cross-encoder score, NaN past the rescored. */
  crossEncoder?: Float32Array;
}

/**
 * Orders a question's candidates.
 * @example const { ranked } = rankCandidates(index, retrieval, analyseQuestion(q), parameters)
 */
export function rankCandidates(index: SearchIndex, retrieval: Retrieval, question: Question, p: ModelParameters): Ranking {
  if (!p.ranker) return { ranked: fuse(retrieval, p.fusion), features: null };
  const ranker = p.ranker;
  const shortlist = fuse(retrieval, p.fusion, p.shortlist).map((c) => ({ ...c, fused: c.score }));
  const rows = candidateFeatures(index, retrieval, question, shortlist);
  const order = shortlist
    .map((c, i) => ({ i, score: ranker.score(rows, i * FEATURE_COUNT) }))
    .sort((a, b) => b.score - a.score || a.i - b.i);
  const features = new Float32Array(rows.length);
  order.forEach((o, k) => features.set(rows.subarray(o.i * FEATURE_COUNT, (o.i + 1) * FEATURE_COUNT), k * FEATURE_COUNT));
  const ranked = order.map(({ i, score }) => {
    const { fused: _fused, ...candidate } = shortlist[i];
    return { ...candidate, score };
  });
  return { ranked, features };
}
