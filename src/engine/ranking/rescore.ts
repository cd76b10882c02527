/**
 * The second stage: the cross-encoder reads the question with each of the ranker's best few candidates, and a
 * second tree ensemble reorders them from the ranker's features, the ranker's own score and the cross-encoder's
 * score (so it weighs the cross-encoder where it helps, not in place of the rest). Only with a model whose
 * quotebot.json has a `crossEncoder` stage and a loaded cross-encoder; the rest of the ranking keeps its order.
 */
import { FEATURE_COUNT, FEATURE_NAMES } from './features';
import type { Question } from '../question/question';
import type { CrossEncoderStage, ModelParameters } from './parameters';
import type { Ranking } from './ranker';
import { loadCrossEncoder, type CrossEncoder } from '../encoders/cross-encoder';
import type { SearchIndex } from '../retrieval/search-index';

/** What the second stage adds to each row of the ranker's features. */
export const RESCORE_EXTRA = ['rankerScore', 'rankerGap', 'rankerRank', 'ce', 'ceGap', 'ceRank', 'ceShare'] as const;
export const RESCORE_FEATURE_NAMES: readonly string[] = [...FEATURE_NAMES, ...RESCORE_EXTRA];
const WIDTH = RESCORE_FEATURE_NAMES.length;

/**
 * The second stage's rows for the ranker's best `scores.length` candidates (in the ranker's order), from their
 * first-stage feature rows, the ranker's scores and the cross-encoder's.
 */
export function rescoreFeatures(features: Float32Array, rankerScores: ArrayLike<number>, ce: ArrayLike<number>): Float32Array {
  const n = ce.length;
  const out = new Float32Array(n * WIDTH);
  let maxCe = -Infinity;
  for (let i = 0; i < n; i++) maxCe = Math.max(maxCe, ce[i]);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.exp(ce[i] - maxCe);
  // Rank among the scored candidates, ties in the ranker's order (as `rankdata(method="ordinal")` in training).
  const byCe = Array.from({ length: n }, (_, i) => i).sort((a, b) => ce[b] - ce[a] || a - b);
  const ceRank = new Array<number>(n);
  byCe.forEach((i, r) => (ceRank[i] = r));
  for (let i = 0; i < n; i++) {
    out.set(features.subarray(i * FEATURE_COUNT, (i + 1) * FEATURE_COUNT), i * WIDTH);
    out.set(
      [rankerScores[i], rankerScores[0] - rankerScores[i], i, ce[i], maxCe - ce[i], ceRank[i], Math.exp(ce[i] - maxCe) / sum],
      i * WIDTH + FEATURE_COUNT,
    );
  }
  return out;
}

/**
 * Reorders the ranker's best `stage.top` candidates with the cross-encoder and the second-stage trees. The result's
 * `crossEncoder` holds each ranked candidate's cross-encoder score (NaN past the rescored ones).
 * @example const ranking = await rescore(question, rankCandidates(index, retrieval, question, p), index, p.crossEncoder!, crossEncoder)
 */
export async function rescore(question: Question, ranking: Ranking, index: SearchIndex, stage: CrossEncoderStage, crossEncoder: CrossEncoder): Promise<Ranking> {
  if (!ranking.features || ranking.ranked.length === 0) return ranking;
  const head = ranking.ranked.slice(0, stage.top);
  const ce = await crossEncoder.score(question.text, head.map((c) => index.text(c.sentence)));
  const rows = rescoreFeatures(ranking.features, head.map((c) => c.score), ce);
  const order = head
    .map((_, i) => ({ i, score: stage.ranker.score(rows, i * WIDTH) }))
    .sort((a, b) => b.score - a.score || a.i - b.i);
  // The rest keep the ranker's order below the rescored ones, at the ranker's distances from the last of them.
  const floor = order[order.length - 1].score;
  const lastRanker = head[head.length - 1].score;
  const tail = ranking.ranked.slice(head.length).map((c) => ({ ...c, score: floor - Math.max(0, lastRanker - c.score) - 1e-6 }));
  const features = new Float32Array(ranking.features.length);
  const ceScores = new Float32Array(ranking.ranked.length).fill(NaN);
  order.forEach(({ i }, k) => {
    features.set(ranking.features!.subarray(i * FEATURE_COUNT, (i + 1) * FEATURE_COUNT), k * FEATURE_COUNT);
    ceScores[k] = ce[i];
  });
  features.set(ranking.features.subarray(head.length * FEATURE_COUNT), head.length * FEATURE_COUNT);
  return { ranked: [...order.map(({ i, score }) => ({ ...head[i], score })), ...tail], features, crossEncoder: ceScores };
}

/**
 * The cross-encoder the model's parameters ask for, or null: without one (a missing or unloadable folder) the
 * engine answers with the ranker and the abstention model stored beside it, after one warning.
 */
export async function loadStageCrossEncoder(parameters: ModelParameters, warn: (message: string) => void): Promise<CrossEncoder | null> {
  if (!parameters.crossEncoder) return null;
  try {
    return await loadCrossEncoder(parameters.crossEncoder.model);
  } catch (err) {
    warn(`${(err as Error).message}: answering without the cross-encoder stage (the ranker's order and its abstention)`);
    return null;
  }
}
