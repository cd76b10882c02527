/**
 * What the cross-encoder brings: plain BM25's top K sentences, reranked, on SQuAD dev and news dev;
 * and how long scoring 20 and 50 pairs takes. Not a test: a script whose output goes into docs/measurements.md.
 *
 *   npx tsx bench/rerank.ts [--top 20] [--threads 1] [--limit N] [--cross-encoder DIR] [--no-latency]
 *
 * Plain BM25 = the engine's stemmed terms and its BM25 over sentences, nothing else. SQuAD hits follow
 * src/eval/scoring.ts; a news quote hits when it lies inside the gold passage (../shared/README.md).
 * Neither question set was used to train or choose the model (it was trained on SQuAD train only).
 *
 * Answer kinds: for the questions the engine reads as asking a duration, number, date or person (`answerType`),
 * how often the gold sentence, BM25's first and the cross-encoder's first hold a span of that kind (`answerSpans`):
 * a cross-encoder that weighs shared words above the kind asked for picks sentences without one.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { countOption, scriptOptions } from '../src/cli/args';
import { readDataFolder } from '../src/engine/corpus/articles';
import { answerCues, answerSpans } from '../src/engine/question/answer-cues';
import { answerType, type AnswerType } from '../src/engine/question/answer-type';
import { Bm25Index, topK } from '../src/engine/retrieval/bm25';
import { CROSS_ENCODER_MODEL, loadCrossEncoder, type CrossEncoder } from '../src/engine/encoders/cross-encoder';
import { normalizeWord, termOf, words } from '../src/engine/corpus/text';
import { isHit, parseQuestions, type EvalQuestion } from '../src/eval/scoring';
import { percentile } from '../src/percentiles';

const USAGE = 'usage: npx tsx bench/rerank.ts [--top 20] [--threads 1] [--limit N] [--cross-encoder DIR] [--no-latency]';
const opts = scriptOptions(
  process.argv.slice(2),
  {
    top: { type: 'string', default: '20' },
    threads: { type: 'string', default: '1' },
    limit: { type: 'string' },
    'cross-encoder': { type: 'string', default: CROSS_ENCODER_MODEL },
    'no-latency': { type: 'boolean', default: false },
  },
  USAGE,
);
const K = countOption(opts.top, '--top', USAGE, 20);
const limit = countOption(opts.limit, '--limit', USAGE, Infinity);
const threads = countOption(opts.threads, '--threads', USAGE, 1);
const shared = path.resolve(import.meta.dirname, '../../shared/eval');
if (!existsSync(shared)) {
  console.error(`bench/rerank: ${shared} is missing (the evaluation sets sit beside the checkout); nothing measured.`);
  process.exit(0);
}

/** The engine's stemmed terms of a text, stopwords left out. */
const terms = (text: string): string[] => words(text).flatMap(({ word }) => termOf(word) ?? []);

interface Corpus {
  texts: string[];
  files: string[];
  index: Bm25Index;
  termIds: Map<string, number>;
}

async function readCorpus(dataDir: string): Promise<Corpus> {
  const { articles } = await readDataFolder(dataDir);
  const texts: string[] = [];
  const files: string[] = [];
  for (const a of articles)
    for (const s of a.sentences) {
      texts.push(a.text.slice(s.start, s.end));
      files.push(a.file);
    }
  const termIds = new Map<string, number>();
  const docs = texts.map((t) => terms(t).map((w) => termIds.get(w) ?? (termIds.set(w, termIds.size), termIds.size - 1)));
  return { texts, files, index: new Bm25Index(docs, termIds.size), termIds };
}

function bm25Top(corpus: Corpus, question: string): number[] {
  const ids = terms(question).flatMap((w) => (corpus.termIds.has(w) ? [corpus.termIds.get(w)!] : []));
  return topK(corpus.index.scores(ids), K).map((s) => s.doc);
}

type Hit = (q: EvalQuestion, text: string, file: string) => boolean;
const squadHit: Hit = (q, text, file) => isHit(q, { quote: text, file });
const collapse = (s: string) => s.replace(/\s+/g, ' ').trim();
const newsHit: Hit = (q, text, file) => {
  const quote = collapse(text);
  return file === q.file && quote.length >= 20 && q.gold.some((g) => collapse(g).includes(quote));
};

interface Figures {
  r1: number;
  mrr5: number;
  rK: number;
}

function figures(ranks: (number | null)[]): Figures {
  const n = ranks.length;
  return {
    r1: ranks.filter((r) => r === 1).length / n,
    mrr5: ranks.reduce<number>((s, r) => s + (r !== null && r <= 5 ? 1 / r : 0), 0) / n,
    rK: ranks.filter((r) => r !== null).length / n,
  };
}

const KINDS: readonly AnswerType[] = ['duration', 'number', 'date', 'person'];

/** Per asked kind: questions, and how many of them have gold / BM25's first / the cross-encoder's first holding one. */
type KindCounts = Map<AnswerType, { n: number; gold: number; bm25: number; ce: number; ceHit: number }>;

function countKind(counts: KindCounts, q: EvalQuestion, bm25First: string, ceFirst: string, ceHit: boolean): void {
  const type = answerType(q.question);
  if (!KINDS.includes(type)) return;
  const asked = new Set(words(q.question).map((w) => normalizeWord(w.word)));
  const holds = (text: string) => answerSpans(type, answerCues(text, asked)).length > 0;
  const c = counts.get(type) ?? { n: 0, gold: 0, bm25: 0, ce: 0, ceHit: 0 };
  c.n++;
  c.gold += Number(q.gold.some(holds));
  c.bm25 += Number(holds(bm25First));
  c.ce += Number(holds(ceFirst));
  c.ceHit += Number(ceHit);
  counts.set(type, c);
}

function kindLines(counts: KindCounts): string {
  const rows = [...counts].sort(([a], [b]) => KINDS.indexOf(a) - KINDS.indexOf(b));
  const all = rows.reduce((s, [, c]) => ({ n: s.n + c.n, gold: s.gold + c.gold, bm25: s.bm25 + c.bm25, ce: s.ce + c.ce, ceHit: s.ceHit + c.ceHit }), { n: 0, gold: 0, bm25: 0, ce: 0, ceHit: 0 });
  const share = (k: number, n: number) => (k / Math.max(1, n)).toFixed(3);
  return [...rows, ['all four', all] as const]
    .map(([kind, c]) => `\n  asks ${kind} (${c.n}): holds that kind: gold ${share(c.gold, c.n)}, BM25 first ${share(c.bm25, c.n)}, cross-encoder first ${share(c.ce, c.n)}; cross-encoder R@1 ${share(c.ceHit, c.n)}`)
    .join('');
}

const ms = (times: number[], p: number) => (percentile(times, p) ?? NaN).toFixed(1);

async function measure(name: string, dir: string, hit: Hit, crossEncoder: CrossEncoder): Promise<void> {
  const started = performance.now();
  const corpus = await readCorpus(path.join(dir, 'data'));
  let questions = parseQuestions(readFileSync(path.join(dir, 'questions-dev.jsonl'), 'utf8')).filter((q) => q.gold.length > 0);
  questions = questions.slice(0, limit);
  const before: (number | null)[] = [];
  const after: (number | null)[] = [];
  const both: (number | null)[] = [];
  const times: number[] = [];
  const kinds: KindCounts = new Map();
  for (const q of questions) {
    const top = bm25Top(corpus, q.question);
    const hits = top.map((d) => hit(q, corpus.texts[d], corpus.files[d]));
    const t = performance.now();
    const scores = await crossEncoder.score(q.question, top.map((d) => corpus.texts[d]));
    times.push(performance.now() - t);
    const order = top.map((_, i) => i).sort((a, b) => scores[b] - scores[a] || a - b);
    // Reciprocal rank fusion of the two orders (k = 60, the usual constant; nothing fitted): a first look at the
    // cross-encoder as one feature beside BM25 rather than in its place.
    const ceRank = new Array<number>(top.length);
    order.forEach((j, r) => (ceRank[j] = r));
    const rrf = (j: number) => 1 / (60 + j) + 1 / (60 + ceRank[j]);
    const fused = top.map((_, i) => i).sort((a, b) => rrf(b) - rrf(a) || a - b);
    const first = (list: number[]) => {
      const i = list.findIndex((j) => hits[j]);
      return i === -1 ? null : i + 1;
    };
    before.push(first(top.map((_, i) => i)));
    after.push(first(order));
    if (top.length) countKind(kinds, q, corpus.texts[top[0]], corpus.texts[top[order[0]]], hits[order[0]]);
    both.push(first(fused));
  }
  const b = figures(before);
  const a = figures(after);
  const f = figures(both);
  console.log(
    `${name}: ${questions.length} questions, ${corpus.texts.length} sentences, BM25 top ${K} (holds a hit: ${b.rK.toFixed(3)})\n` +
      `  BM25            R@1 ${b.r1.toFixed(3)}  MRR@5 ${b.mrr5.toFixed(3)}\n` +
      `  cross-encoder   R@1 ${a.r1.toFixed(3)}  MRR@5 ${a.mrr5.toFixed(3)}\n` +
      `  RRF of the two  R@1 ${f.r1.toFixed(3)}  MRR@5 ${f.mrr5.toFixed(3)}\n` +
      `  scoring ${K} pairs: p50 ${ms(times, 50)} ms, p95 ${ms(times, 95)} ms; ` +
      `total ${((performance.now() - started) / 1000).toFixed(0)} s` +
      kindLines(kinds),
  );
}

/** Latency of scoring n pairs (real SQuAD sentences, one question each), on 1 and 2 threads. */
async function latency(dir: string): Promise<void> {
  const corpus = await readCorpus(path.join(dir, 'data'));
  const questions = parseQuestions(readFileSync(path.join(dir, 'questions-dev.jsonl'), 'utf8')).slice(0, 200);
  for (const threads of [1, 2]) {
    const crossEncoder = await loadCrossEncoder(opts['cross-encoder'], { threads });
    for (const n of [20, 50]) {
      const times: number[] = [];
      for (const q of questions) {
        const ids = topK(corpus.index.scores(terms(q.question).flatMap((w) => (corpus.termIds.has(w) ? [corpus.termIds.get(w)!] : []))), n);
        const sentences = ids.map((s) => corpus.texts[s.doc]);
        while (sentences.length < n) sentences.push(corpus.texts[sentences.length]);
        const t = performance.now();
        await crossEncoder.score(q.question, sentences);
        times.push(performance.now() - t);
      }
          console.log(`latency, ${threads} thread(s), ${n} pairs: p50 ${ms(times, 50)} ms, p95 ${ms(times, 95)} ms`);
    }
    await crossEncoder.release();
  }
}

const crossEncoder = await loadCrossEncoder(opts['cross-encoder'], { threads });
console.log(`model ${crossEncoder.model} (${opts['cross-encoder']})`);
await measure('SQuAD dev', path.join(shared, 'squad'), squadHit, crossEncoder);
await measure('news dev', path.join(shared, 'news'), newsHit, crossEncoder);
await crossEncoder.release();
if (!opts['no-latency']) await latency(path.join(shared, 'squad'));
