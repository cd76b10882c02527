/**
 * Deciding to answer: the probability that the best candidate answers the question, from the model's abstention
 * parameters (a logistic or boosted-tree model over the ranker's best score, its margin and the best candidate's
 * features; after the cross-encoder stage, its own model over the second ranker's scores), or from
 * the linear fusion's default model when the embedding model has no parameters of its own.
 */
import { FEATURE_NAMES } from './features';
import type { AbstentionModel, ModelParameters } from './parameters';
import type { Ranking } from './ranker';
import { answerability } from './ranking';

/**
 * Probability (0..1) that the best ranked candidate answers the question; 0 without candidates.
 * @example answerProbability(ranking, retrieval.corpusSize, parameters) >= threshold(parameters)
 */
export function answerProbability(ranking: Ranking, corpusSize: number, p: ModelParameters): number {
  const [best, second] = ranking.ranked;
  if (!best) return 0;
  const model = abstentionModel(ranking, p);
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

/** The probability from which the engine answers this ranking. */
export function answerThreshold(p: ModelParameters, ranking: Ranking): number {
  const model = abstentionModel(ranking, p);
  return model && p.ranker ? model.threshold : p.fusion.abstainThreshold;
}

function abstentionModel(ranking: Ranking, p: ModelParameters): AbstentionModel | null {
  return ranking.crossEncoder && p.crossEncoder ? p.crossEncoder.abstention : p.abstention;
}

