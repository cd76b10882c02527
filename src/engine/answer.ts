/**
 * The path of one question through the engine, each step its own module:
 * analyse the question (question.ts) → gather candidates (search-index.ts) → compute features and score them
 * (features.ts, ranker.ts) → rescore the best with the cross-encoder, when the model has that stage and it is
 * loaded (rescore.ts) → decide to answer (abstention.ts) → build the quotes (quotes.ts).
 */
import { answerProbability, answerThreshold } from './ranking/abstention';
import type { ModelParameters } from './ranking/parameters';
import { analyseQuestion, expandTerms, wordsMostlyAbsent, type Question } from './question/question';
import { buildQuotes } from './quotes/quotes';
import { rankCandidates, type Ranking } from './ranking/ranker';
import type { CrossEncoder } from './encoders/cross-encoder';
import { rescore } from './ranking/rescore';
import type { Retrieval, SearchIndex } from './retrieval/search-index';
import type { AbstainReason, Quote } from './types';

/** What a question needs of the embedding model. */
export interface QuestionEmbedder {
  readonly dim: number;
  embed(texts: string[], options?: { cache?: boolean }): Promise<Float32Array>;
}

/**
 * Gathers a question's candidates: embeds the question and its words the corpus lacks (so similar corpus words
 * stand in for them), then retrieves lexically and densely. Without an embedder there is no dense signal.
 * `onStep` is told as its three steps end ('embed', 'expand', 'retrieve').
 */
export async function gatherCandidates(
  index: SearchIndex,
  embedder: QuestionEmbedder | null,
  question: Question,
  onStep?: (step: QuestionStep) => void,
): Promise<Retrieval> {
  const vectors = embedder ? await embedder.embed([question.text, ...question.unknownWords], { cache: false }) : null;
  onStep?.('embed');
  const dim = embedder?.dim ?? 0;
  const row = (i: number) => vectors!.subarray(i * dim, (i + 1) * dim);
  // A question made only of words the model does not know embeds to zeros: no dense signal then.
  const questionVector = vectors && row(0).some((x) => x !== 0) ? row(0) : null;
  const unknown = vectors ? new Map(question.unknownWords.map((w, i) => [w, row(i + 1)])) : new Map<string, Float32Array>();
  const terms = vectors ? expandTerms(index, question.terms, unknown) : question.terms;
  onStep?.('expand');
  const retrieval = index.retrieve(terms, questionVector, unknown);
  onStep?.('retrieve');
  return retrieval;
}

/** The quotes answering a question, best first, and the probability that the sources answer it at all. */
export interface QuestionResult {
  /** Empty when the engine abstains. */
  quotes: Quote[];
  confidence: number;
  /** Why there are no quotes (null when there are): told, never decided, by the question's words. */
  abstainedBecause: AbstainReason | null;
}

/**
 * What a question is answered with, beside the index: the embedding model (null: no dense signal), the ranker and
 * abstention fitted for it, and the loaded cross-encoder of `parameters.crossEncoder` (null: the ranker's order and
 * its abstention model).
 */
export interface AnsweringModels {
  embedder: QuestionEmbedder | null;
  parameters: ModelParameters;
  crossEncoder: CrossEncoder | null;
}

/**
 * Answers one question from one index.
 * @example const { quotes } = await answerQuestion(index, { embedder, parameters, crossEncoder }, 'How long did Obama and Putin meet?', 3)
 */
export async function answerQuestion(index: SearchIndex, models: AnsweringModels, text: string, top: number): Promise<QuestionResult> {
  const { quotes, confidence, abstainedBecause } = await traceQuestion(index, models, text, top);
  return { quotes, confidence, abstainedBecause };
}

/** A question's path step by step: what each step decided (for the benchmarks that compare or time the steps). */
export interface QuestionTrace extends QuestionResult {
  question: Question;
  retrieval: Retrieval;
  /** The learned ranker's order and features, before the cross-encoder stage. */
  ranked: Ranking;
  /** The final order: `ranked` rescored by the cross-encoder stage, or `ranked` itself without one. */
  ranking: Ranking;
  answered: boolean;
}

/**
 * The steps of a question's path, in order; `onStep` is told as each one ends (every step, each once, also the
 * ones that have nothing to do). Gathering the candidates is three: embed the question, expand its unknown words,
 * retrieve.
 */
export type QuestionStep = 'analyse' | 'embed' | 'expand' | 'retrieve' | 'rank' | 'rescore' | 'abstain' | 'quotes';

/** `answerQuestion`, keeping every step's result; the one path a question takes through the engine. */
export async function traceQuestion(
  index: SearchIndex,
  { embedder, parameters, crossEncoder }: AnsweringModels,
  text: string,
  top: number,
  onStep?: (step: QuestionStep) => void,
): Promise<QuestionTrace> {
  const question = analyseQuestion(index, text);
  onStep?.('analyse');
  const retrieval = await gatherCandidates(index, embedder, question, onStep);
  const ranked = rankCandidates(index, retrieval, question, parameters);
  onStep?.('rank');
  const stage = parameters.crossEncoder;
  const ranking = stage && crossEncoder ? await rescore(question, ranked, index, stage, crossEncoder) : ranked;
  onStep?.('rescore');
  const confidence = answerProbability(ranking, retrieval.corpusSize, parameters);
  const answered = confidence >= answerThreshold(parameters, ranking);
  onStep?.('abstain');
  const request = { question, terms: retrieval.terms, ranking, pool: retrieval.candidates, confidence, corpusSize: retrieval.corpusSize, top };
  const quotes = answered ? buildQuotes(index, request, parameters) : [];
  onStep?.('quotes');
  const abstainedBecause = quotes.length ? null : wordsMostlyAbsent(question) ? 'words-absent' : 'not-answered';
  return { question, retrieval, ranked, ranking, confidence, answered, quotes, abstainedBecause };
}
