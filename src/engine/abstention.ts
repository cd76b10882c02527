/**
 * Deciding to answer: the probability that the best candidate answers the question, from the model's abstention
 * parameters (a logistic or boosted-tree model over the ranker's best score, its margin and the best candidate's
 * features), or from the linear fusion's default model when the embedding model has no parameters of its own.
 */
import { FEATURE_NAMES } from './features';
import type { ModelParameters } from './parameters';
import type { Ranking } from './ranker';
import { answerability } from './ranking';

/**
 * Probability (0..1) that the best ranked candidate answers the question; 0 without candidates.
 * @example answerProbability(ranking, retrieval.corpusSize, parameters) >= threshold(parameters)
 */
export function answerProbability(ranking: Ranking, corpusSize: number, p: ModelParameters): number {
  const [best, second] = ranking.ranked;
  if (!best) return 0;
  const model = p.abstention;
  if (!model || !ranking.features) return answerability(best, corpusSize, p.fusion);
  const signal = (name: string): number => {
    if (name === 'score') return best.score;
    // A lone candidate is far ahead of the (missing) second one.
    if (name === 'margin') return second ? best.score - second.score : 5;
    return ranking.features![FEATURE_NAMES.indexOf(name as (typeof FEATURE_NAMES)[number])];
  };
  const signals = model.features.map(signal);
  // Trees were trained on float32 rows: compare the same values with their thresholds.
  const z = model.trees ? model.trees.score(signals.map(Math.fround)) : model.weights!.reduce((sum, w, i) => sum + w * signals[i], model.bias!);
  return 1 / (1 + Math.exp(-z));
}

/** The probability from which the engine answers. */
export function answerThreshold(p: ModelParameters): number {
  return p.abstention && p.ranker ? p.abstention.threshold : p.fusion.abstainThreshold;
}
