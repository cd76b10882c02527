/**
 * Deciding to answer: the probability that the best candidate answers the question, from the model's abstention
 * parameters (a logistic or boosted-tree model over the ranker's scores, the best candidate's features and the
 * question's corpus evidence), or from the linear fusion's default model when the embedding model has no
 * parameters of its own.
 */
import { EVIDENCE_NAMES, type EvidenceName } from './evidence';
import { FEATURE_NAMES } from './features';
import type { ModelParameters } from './parameters';
import type { Ranking } from './ranker';
import { answerability } from './ranking';

/**
 * Signals of the ranker's scores over the shortlist: the best score, its margin over the second, how far it stands
 * above the rest in their own spread, and its gap to the mean of the next four.
 */
export const SCORE_SIGNALS = ['score', 'margin', 'scoreSpread', 'scoreTopGap'] as const;
/** A lone candidate stands this far above the (missing) others. */
const LONE = 5;

/**
 * Probability (0..1) that the best ranked candidate answers the question; 0 without candidates.
 * @param evidence the question's corpus evidence (`corpusEvidence`, `EVIDENCE_NAMES` order)
 * @example answerProbability(ranking, corpusEvidence(index, question), retrieval.corpusSize, parameters) >= answerThreshold(parameters)
 */
export function answerProbability(ranking: Ranking, evidence: Float32Array, corpusSize: number, p: ModelParameters): number {
  const [best, second] = ranking.ranked;
  if (!best) return 0;
  const model = p.abstention;
  if (!model || !ranking.features) return answerability(best, corpusSize, p.fusion);
  const signal = (name: string): number => {
    switch (name) {
      case 'score':
        return best.score;
      case 'margin':
        return second ? best.score - second.score : LONE;
      case 'scoreSpread':
      case 'scoreTopGap':
        return scoreShape(ranking.ranked.map((c) => c.score))[name];
    }
    const e = EVIDENCE_NAMES.indexOf(name as EvidenceName);
    if (e >= 0) return evidence[e];
    return ranking.features![FEATURE_NAMES.indexOf(name as (typeof FEATURE_NAMES)[number])];
  };
  const signals = model.features.map(signal);
  // Trees were trained on float32 rows: compare the same values with their thresholds.
  const z = model.trees ? model.trees.score(signals.map(Math.fround)) : model.weights!.reduce((sum, w, i) => sum + w * signals[i], model.bias!);
  return 1 / (1 + Math.exp(-z));
}

/**
 * How far the best of scores sorted best first stands above the rest: in the rest's own spread (mean and
 * population deviation, plus 0.1 so a flat rest does not blow it up), and over the mean of the next four.
 * @example scoreShape([3, 1, 1]) // { scoreSpread: 20, scoreTopGap: 2 }
 */
export function scoreShape(scores: number[]): { scoreSpread: number; scoreTopGap: number } {
  const [best, ...rest] = scores;
  if (rest.length === 0) return { scoreSpread: LONE, scoreTopGap: LONE };
  const mean = rest.reduce((s, x) => s + x, 0) / rest.length;
  const sd = Math.sqrt(rest.reduce((s, x) => s + (x - mean) ** 2, 0) / rest.length);
  const next = rest.slice(0, 4);
  return { scoreSpread: (best - mean) / (sd + 0.1), scoreTopGap: best - next.reduce((s, x) => s + x, 0) / next.length };
}

/** The probability from which the engine answers. */
export function answerThreshold(p: ModelParameters): number {
  return p.abstention && p.ranker ? p.abstention.threshold : p.fusion.abstainThreshold;
}
