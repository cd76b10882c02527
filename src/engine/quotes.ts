/**
 * Building the answer's quotes from the ranked candidates: best first, near-identical sentences from different
 * articles folded into one quote (`alsoIn`), weak tails dropped, each with its source, context, the question's
 * words and the answering words (a duration for "how long", a name for "who") marked.
 */
import { answerCues, answerSpans } from './answer-type';
import type { Question } from './question';
import type { ModelParameters } from './parameters';
import type { Ranking, ScoredCandidate } from './ranker';
import { answerability } from './ranking';
import type { QueryTerm } from './question';
import type { SearchIndex } from './search-index';
import { termOf, words } from './text';
import type { Quote, SourceRef } from './types';

/** Normalised word sequence used to spot the same sentence in two articles. */
function shingle(text: string): Set<string> {
  const ws = words(text).map((w) => w.word.toLowerCase());
  const out = new Set<string>();
  for (let i = 0; i + 1 < ws.length; i++) out.add(`${ws[i]} ${ws[i + 1]}`);
  if (ws.length === 1) out.add(ws[0]);
  return out;
}

function jaccard(a: Set<string>, b: Set<string>): number {
  let inter = 0;
  for (const x of a) if (b.has(x)) inter++;
  return inter / Math.max(1, a.size + b.size - inter);
}

const NEAR_DUPLICATE = 0.7;

/** What the quotes are built from: the question, its terms, the ranking and the confidence that it is answered. */
export interface QuoteRequest {
  question: Question;
  terms: QueryTerm[];
  ranking: Ranking;
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
  for (const c of ranked.slice(0, r.top * 4)) {
    if (chosen.length >= r.top) break;
    if (c !== best && weak(c)) continue;
    const shingles = shingle(index.text(c.sentence));
    const twin = chosen.find((x) => jaccard(x.shingles, shingles) >= NEAR_DUPLICATE);
    if (twin) {
      const a = index.sentences[c.sentence].article;
      const known = [twin.c.sentence, ...twin.also].some((s) => index.sentences[s].article === a);
      if (!known) twin.also.push(c.sentence);
      continue;
    }
    chosen.push({ c, shingles, also: [] });
  }
  return chosen.map(({ c, also }) => toQuote(index, c, also, r, Math.round(confidenceOf(c) * 1000) / 1000));
}

function sourceOf(index: SearchIndex, sentence: number): SourceRef {
  const a = index.articles[index.sentences[sentence].article];
  return { title: a.title, file: a.file, url: a.url, outlet: a.outlet };
}

function toQuote(index: SearchIndex, c: ScoredCandidate, also: number[], r: QuoteRequest, score: number): Quote {
  const s = index.sentences[c.sentence];
  const article = index.articles[s.article];
  const quote = article.text.slice(s.start, s.end);
  const neighbour = (delta: number): string | null => {
    const n = article.sentences[s.position + delta];
    return n ? article.text.slice(n.start, n.end) : null;
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
