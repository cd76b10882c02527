/**
 * Building the answer's quotes from the ranked candidates: best first, near-identical sentences from different
 * articles folded into one quote (`alsoIn`), weak tails dropped, each with its source, context, the question's
 * words and the answering words (a duration for "how long", a name for "who") marked.
 */
import { answerCues, answerSpans } from '../question/answer-cues';
import type { Question } from '../question/question';
import type { ModelParameters } from '../ranking/parameters';
import type { Ranking, ScoredCandidate } from '../ranking/ranker';
import { answerability } from '../ranking/ranking';
import type { QueryTerm } from '../retrieval/query';
import type { Candidate, SearchIndex } from '../retrieval/search-index';
import { lowerCaseWords, termOf, words } from '../corpus/text';
import { folded } from '../../folded';
import type { Quote, SourceRef } from '../types';

/**
 * Word pairs used to spot the same sentence in two articles, each word folded (`folded`): a copy written "Strasse",
 * "Zurich" or with plain "ffi" for a PDF's "ﬃ" is the same sentence. Not the index's key (`normalizeWord`), which also
 * drops a number's commas: "1,5 percent" (a decimal comma) and "15 percent" are two reports.
 */
function shingle(text: string): Set<string> {
  const ws = lowerCaseWords(text).map(folded);
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

/** What the quotes are built from: the question, its terms, the ranking and the confidence that it is answered. */
export interface QuoteRequest {
  question: Question;
  terms: QueryTerm[];
  ranking: Ranking;
  /** Every candidate gathered (the ranking may hold only a shortlist): twins of a quote are looked for among them. */
  pool: Candidate[];
  /** Probability that the best candidate answers the question (the engine only builds quotes when it answers). */
  confidence: number;
  corpusSize: number;
  top: number;
}

/**
 * The final quotes: best first, near-duplicates folded into `alsoIn`, weak tails dropped.
 * @example buildQuotes(index, { question, terms, ranking, confidence: 0.9, corpusSize: n, top: 3 }, parameters)
 */
export function buildQuotes(index: SearchIndex, r: QuoteRequest, p: ModelParameters): Quote[] {
  const ranked = r.ranking.ranked;
  if (ranked.length === 0) return [];
  const best = ranked[0];
  const learned = r.ranking.features !== null;
  // With the ranker, scores are log-odds-like: a quote's share of the best is exp(difference).
  const confidenceOf = (c: ScoredCandidate) =>
    learned ? r.confidence * Math.exp(c.score - best.score) : (best.score > 0 ? c.score / best.score : 0) * answerability(c, r.corpusSize, p.fusion);
  const weak = (c: ScoredCandidate) =>
    learned
      ? c.score < best.score - p.scoreMargin
      : c.score < best.score * p.fusion.relativeFloor || answerability(c, r.corpusSize, p.fusion) < p.fusion.abstainThreshold / 2;
  const chosen: Array<{ c: ScoredCandidate; shingles: Set<string>; also: number[] }> = [];
  const shingles = new Map<number, Set<string>>();
  const shingleOf = (sentence: number) => shingles.get(sentence) ?? shingles.set(sentence, shingle(index.text(sentence))).get(sentence)!;
  /** Folds a sentence into the chosen quote it repeats (once per article); false when it repeats none. */
  const fold = (c: Candidate): boolean => {
    const twin = chosen.find((x) => sameReport(x.shingles, shingleOf(c.sentence)));
    if (!twin) return false;
    const a = index.articleOf(c.sentence);
    const known = [twin.c.sentence, ...twin.also].some((s) => index.articleOf(s) === a);
    if (!known) twin.also.push(c.sentence);
    return true;
  };
  for (const c of ranked.slice(0, r.top * 4)) {
    if (chosen.length >= r.top) break;
    if (c !== best && weak(c)) continue;
    if (!fold(c)) chosen.push({ c, shingles: shingleOf(c.sentence), also: [] });
  }
  // Twins of a chosen quote are reported by their articles too, whatever their own score (an article whose title
  // shares fewer of the question's words scores its copy lower). A twin holds most of the quote's words, so it
  // covers at least half as much of the question and lies about as close to it in meaning: only candidates like
  // that are compared (it keeps this pass cheap).
  const quoted = new Set(chosen.map((x) => x.c.sentence));
  const maybeTwin = (c: Candidate) =>
    chosen.some((x) => c.coverage >= x.c.coverage / 2 && Math.abs(c.cosine - x.c.cosine) <= TWIN_COSINE_GAP);
  for (const c of r.pool) if (!quoted.has(c.sentence) && maybeTwin(c)) fold(c);
  return chosen.map(({ c, also }) => toQuote(index, c, also, r, Math.round(confidenceOf(c) * 1000) / 1000));
}

function sourceOf(index: SearchIndex, sentence: number): SourceRef {
  const a = index.articles[index.articleOf(sentence)];
  return { title: a.title, file: a.file, url: a.url, outlet: a.outlet };
}

function toQuote(index: SearchIndex, c: ScoredCandidate, also: number[], r: QuoteRequest, score: number): Quote {
  const s = index.sentence(c.sentence);
  const article = index.articles[s.article];
  const quote = article.text.slice(s.start, s.end);
  const neighbour = (delta: number): string | null => {
    const n = c.sentence + delta;
    return n >= 0 && n < index.sentenceCount && index.articleOf(n) === s.article ? index.text(n) : null;
  };
  const wanted = new Set(r.terms.map((t) => t.term));
  const questionWords: Array<[number, number]> = words(quote)
    .filter((w) => {
      const t = termOf(w.word);
      return t !== null && wanted.has(t);
    })
    .map((w) => [w.start, w.end]);
  const answers: Array<[number, number]> = answerSpans(r.question.type, answerCues(quote, r.question.words)).map((w) => [w.start, w.end]);
  return {
    quote,
    source: sourceOf(index, c.sentence),
    start: s.start,
    end: s.end,
    // 1.0 means "the best, and sure it answers".
    score,
    context: { before: neighbour(-1), after: neighbour(1) },
    alsoIn: also.map((x) => sourceOf(index, x)),
    highlights: mergeSpans([...questionWords, ...answers]),
    answerSpans: answers,
  };
}

/** Sorted, non-overlapping spans. */
function mergeSpans(spans: Array<[number, number]>): Array<[number, number]> {
  const sorted = [...spans].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: Array<[number, number]> = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}
