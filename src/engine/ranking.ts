/**
 * From retrieval features to an answer: fuse the lexical and dense signals into one score, decide whether the
 * sources answer at all (abstention), fold near-identical sentences from different articles into one quote,
 * and attach source, context and highlights.
 */
import type { Quote, SourceRef } from './types';
import type { Candidate, QueryTerm, Retrieval, SearchIndex } from './search-index';
import { lowerCaseWords, termOf, words } from './text';

/**
 * The fusion weights and the abstention model. Fitted once on the SQuAD dev questions (see README, "Measured"),
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
  title: number;
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
  title: 1,
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

/** One fused score per candidate, best first. */
export function fuse(retrieval: Retrieval, p: RankingParameters = DEFAULT_RANKING): RankedCandidate[] {
  const { maxBm25, maxParagraphBm25 } = retrieval;
  return retrieval.candidates
    .map((c) => ({
      ...c,
      score:
        p.sentence * (maxBm25 > 0 ? c.bm25 / maxBm25 : 0) +
        p.paragraph * (maxParagraphBm25 > 0 ? c.paragraphBm25 / maxParagraphBm25 : 0) +
        p.dense * Math.max(0, c.cosine) +
        p.coverage * c.coverage +
        p.phrase * c.phrase +
        p.title * c.title,
    }))
    .sort((a, b) => b.score - a.score || a.sentence - b.sentence);
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

/** Normalised word sequence used to spot the same sentence in two articles. */
function shingle(text: string): Set<string> {
  const ws = lowerCaseWords(text);
  const out = new Set<string>();
  for (let i = 0; i + 1 < ws.length; i++) out.add(`${ws[i]} ${ws[i + 1]}`);
  if (ws.length === 1) out.add(ws[0]);
  return out;
}

const NEAR_DUPLICATE = 0.7;
/** Lightly edited wire copy ("…, a senior official said." for "…, said the official, who spoke on condition of
 * anonymity."): most of the shorter sentence's word pairs stand in the longer one. */
const CONTAINED = 0.75;
/** Word pairs the shorter sentence needs for containment to count: a short sentence is contained by chance. */
const CONTAINED_MIN_PAIRS = 8;

/** Largest difference of two twins' cosines to the question (near-identical texts embed nearly alike). */
const TWIN_COSINE_GAP = 0.15;

/** Whether two sentences are the same report: near-identical (word-pair Jaccard) or one mostly inside the other. */
function sameReport(a: Set<string>, b: Set<string>): boolean {
  let inter = 0;
  for (const x of a) if (b.has(x)) inter++;
  const shorter = Math.min(a.size, b.size);
  return inter / Math.max(1, a.size + b.size - inter) >= NEAR_DUPLICATE || (shorter >= CONTAINED_MIN_PAIRS && inter / shorter >= CONTAINED);
}

/**
 * The final quotes: best first, near-duplicates folded into `alsoIn`, weak tails dropped; empty when abstaining.
 */
export function selectQuotes(
  index: SearchIndex,
  retrieval: Retrieval,
  top: number,
  p: RankingParameters = DEFAULT_RANKING,
): Quote[] {
  const ranked = fuse(retrieval, p);
  const n = retrieval.corpusSize;
  if (ranked.length === 0 || answerability(ranked[0], n, p) < p.abstainThreshold) return [];
  const best = ranked[0].score;
  const chosen: Array<{ c: RankedCandidate; shingles: Set<string>; also: number[] }> = [];
  const shingles = new Map<number, Set<string>>();
  const shingleOf = (sentence: number) => shingles.get(sentence) ?? shingles.set(sentence, shingle(index.text(sentence))).get(sentence)!;
  /** Folds a sentence into the chosen quote it repeats (once per article); false when it repeats none. */
  const fold = (c: RankedCandidate): boolean => {
    const twin = chosen.find((x) => sameReport(x.shingles, shingleOf(c.sentence)));
    if (!twin) return false;
    const a = index.sentences[c.sentence].article;
    const known = [twin.c.sentence, ...twin.also].some((s) => index.sentences[s].article === a);
    if (!known) twin.also.push(c.sentence);
    return true;
  };
  for (const c of ranked.slice(0, top * 4)) {
    if (chosen.length >= top) break;
    if (c.score < best * p.relativeFloor || answerability(c, n, p) < p.abstainThreshold / 2) continue;
    if (!fold(c)) chosen.push({ c, shingles: shingleOf(c.sentence), also: [] });
  }
  // Twins of a chosen quote are reported by their articles too, whatever their own score (an article whose title
  // shares fewer of the question's words scores its copy lower). A twin holds most of the quote's words, so it
  // covers at least half as much of the question and lies about as close to it in meaning: only candidates like
  // that are compared (it keeps this pass cheap).
  const quoted = new Set(chosen.map((x) => x.c.sentence));
  const maybeTwin = (c: RankedCandidate) =>
    chosen.some((x) => c.coverage >= x.c.coverage / 2 && Math.abs(c.cosine - x.c.cosine) <= TWIN_COSINE_GAP);
  for (const c of ranked) if (!quoted.has(c.sentence) && maybeTwin(c)) fold(c);
  return chosen.map(({ c, also }) => toQuote(index, c, also, retrieval.terms, best, answerability(c, n, p)));
}

function sourceOf(index: SearchIndex, sentence: number): SourceRef {
  const a = index.articles[index.sentences[sentence].article];
  return { title: a.title, file: a.file, url: a.url, outlet: a.outlet };
}

function toQuote(index: SearchIndex, c: RankedCandidate, also: number[], terms: QueryTerm[], best: number, confidence: number): Quote {
  const s = index.sentences[c.sentence];
  const article = index.articles[s.article];
  const quote = article.text.slice(s.start, s.end);
  const neighbour = (delta: number): string | null => {
    const n = article.sentences[s.position + delta];
    return n ? article.text.slice(n.start, n.end) : null;
  };
  const wanted = new Set(terms.map((t) => t.term));
  const highlights: Array<[number, number]> = words(quote)
    .filter((w) => {
      const t = termOf(w.word);
      return t !== null && wanted.has(t);
    })
    .map((w) => [w.start, w.end]);
  return {
    quote,
    source: sourceOf(index, c.sentence),
    start: s.start,
    end: s.end,
    // Relative to the best quote, scaled by confidence: 1.0 means "the best, and sure it answers".
    score: Math.round((best > 0 ? c.score / best : 0) * confidence * 1000) / 1000,
    context: { before: neighbour(-1), after: neighbour(1) },
    alsoIn: also.map((x) => sourceOf(index, x)),
    highlights,
  };
}
