/**
 * Where each question's gold sentence is on the question's path (answer.ts `traceQuestion`): gathered into the
 * candidate pool or not, its rank after the learned ranker, after the cross-encoder rescore, and whether the
 * engine refused; with the answer type the question was read as and the cue features the gold row got.
 *
 *   npx tsx bench/trace-misses.ts --data data --questions ../shared/eval/seed/questions-dev.jsonl [--all] [--out FILE.jsonl]
 *   npx tsx bench/trace-misses.ts --data DIR --questions FILE --compare BEFORE.jsonl   (per answer type, R@1 before/after)
 *
 * Prints the misses (gold not first, or refused) one block each; `--all` prints every question. `--out` writes one
 * JSON line per question; `--compare` reads such a file from another run of the same questions and prints, for
 * the questions whose answer type changed, R@1 before and after, and every question whose first hit moved.
 * Uses the index snapshot in `--cache` (default .cache, built first when there is none). Without the question
 * file (../shared), says so and exits 0.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { scriptOptions } from '../src/cli/args';
import { traceQuestion } from '../src/engine/answer';
import { answerTypeWords } from '../src/engine/question/answer-type';
import { FEATURE_COUNT, FEATURE_NAMES } from '../src/engine/ranking/features';
import { lookUpUnknownWord } from '../src/engine/question/question';
import type { ScoredCandidate } from '../src/engine/ranking/ranker';
import type { SearchIndex } from '../src/engine/retrieval/search-index';
import { termOf, words } from '../src/engine/corpus/text';
import { isHit, outcome, parseQuestions, type EvalQuestion } from '../src/eval/scoring';
import { print } from './print';
import { loadBenchModel, snapshotIndex } from './snapshot-index';

const usage = 'usage: npx tsx bench/trace-misses.ts --data DIR --questions FILE [--cache DIR] [--all] [--out FILE] [--compare FILE]';
const options = { data: { type: 'string' }, questions: { type: 'string' }, cache: { type: 'string' }, all: { type: 'boolean' }, out: { type: 'string' }, compare: { type: 'string' } } as const;
const values = scriptOptions(process.argv.slice(2), options, usage, ['data', 'questions']);
if (!existsSync(values.questions)) {
  console.error(`skipped: the questions are missing (${values.questions}); ../shared must be beside the checkout`);
  process.exit(0);
}

/** One question's path, as written by `--out`. */
interface Trace {
  question: string;
  type: string;
  /** The question-analysis rules that fired on it (`firedRules`). */
  rules: string[];
  answerable: boolean;
  /** Whether a gold sentence is in the gathered pool (lexical and dense candidates). */
  gathered: boolean;
  /** 1-based rank of the best gold sentence after the ranker and after the rescore (null: not in the list). */
  rankerRank: number | null;
  finalRank: number | null;
  answered: boolean;
  confidence: number;
  /** 1-based rank of the first quote that hits, as the eval counts it (null: none in the first 5). */
  firstHit: number | null;
  /** The gold row's cue features and type match (after the ranker), when it was shortlisted. */
  goldCues: Record<string, number> | null;
  top: string;
}

const CUE_FEATURES = ['cuePerson', 'cueDate', 'cueNumber', 'cueDuration', 'cuePlace', 'cueName', 'typeMatch'] as const;

/** Sentence ids by file, and all of them, to find each question's gold sentences. */
function sentencesByFile(index: SearchIndex): Map<string | undefined, number[]> {
  const byFile = new Map<string | undefined, number[]>([[undefined, []]]);
  for (let s = 0; s < index.sentenceCount; s++) {
    const file = index.articles[index.articleOf(s)].file;
    if (!byFile.has(file)) byFile.set(file, []);
    byFile.get(file)!.push(s);
    byFile.get(undefined)!.push(s);
  }
  return byFile;
}

function goldSentences(index: SearchIndex, byFile: Map<string | undefined, number[]>, q: EvalQuestion): Set<number> {
  const ids = q.gold.length ? (byFile.get(q.file) ?? []) : [];
  return new Set(ids.filter((s) => isHit(q, { quote: index.text(s), file: index.articles[index.articleOf(s)].file })));
}

/** Which of the question-analysis rules fire on a question, to measure each on the questions it touches. */
function firedRules(index: SearchIndex, question: string): string[] {
  const demonym = words(question).some(({ word }) => {
    const term = termOf(word);
    return term !== null && !index.vocabulary.has(term) && lookUpUnknownWord(index, word).how === 'country';
  });
  return [...(answerTypeWords(question).size ? ['answerTypeWords'] : []), ...(demonym ? ['demonym'] : [])];
}

const rankOf = (ranked: ScoredCandidate[], gold: Set<number>) => {
  const i = ranked.findIndex((c) => gold.has(c.sentence));
  return i === -1 ? null : i + 1;
};

const cacheDir = path.resolve(values.cache ?? '.cache');
const models = await loadBenchModel(cacheDir);
const index = await snapshotIndex(path.resolve(values.data), cacheDir, models.embedder);
const questions = parseQuestions(readFileSync(values.questions, 'utf8'));
const byFile = sentencesByFile(index);
const traces: Trace[] = [];
for (const q of questions) {
  const t = await traceQuestion(index, models, q.question, 5);
  const gold = goldSentences(index, byFile, q);
  const rankerRank = rankOf(t.ranked.ranked, gold);
  const row = rankerRank === null ? -1 : rankerRank - 1;
  const features = t.ranked.features;
  const goldCues =
    features && row >= 0
      ? Object.fromEntries(CUE_FEATURES.map((f) => [f, features[row * FEATURE_COUNT + FEATURE_NAMES.indexOf(f)]]))
      : null;
  const quotes = t.quotes.map((x) => ({ quote: x.quote, file: x.source.file }));
  const trace: Trace = {
    question: q.question,
    type: t.question.type,
    rules: firedRules(index, q.question),
    answerable: q.gold.length > 0,
    gathered: t.retrieval.candidates.some((c) => gold.has(c.sentence)),
    rankerRank,
    finalRank: rankOf(t.ranking.ranked, gold),
    answered: t.answered,
    confidence: t.confidence,
    firstHit: outcome(q, !t.answered, quotes).firstHit,
    goldCues,
    top: t.ranking.ranked.length ? index.text(t.ranking.ranked[0].sentence) : '',
  };
  traces.push(trace);
  const miss = trace.answerable ? trace.firstHit !== 1 : trace.answered;
  if (!values.all && !miss) continue;
  print(`${miss ? 'MISS' : 'ok  '} ${q.question}  [type ${trace.type}]`);
  if (!trace.answerable) {
    print(`     unanswerable, answered at confidence ${trace.confidence.toFixed(3)}: ${trace.top}`);
    continue;
  }
  const where = !trace.gathered ? 'not gathered' : trace.rankerRank === null ? 'gathered, not shortlisted' : `ranker #${trace.rankerRank}, final #${trace.finalRank}`;
  console.log(`     gold: ${where}; ${trace.answered ? 'answered' : 'REFUSED'} (confidence ${trace.confidence.toFixed(3)}); first hit ${trace.firstHit ?? '-'}`);
  if (goldCues) console.log(`     gold cues: ${CUE_FEATURES.map((f) => `${f} ${goldCues[f]}`).join(', ')}`);
  print(`     top: ${trace.top}`);
}
const answerable = traces.filter((t) => t.answerable);
const share = (xs: Trace[], k = 1) => (xs.length ? xs.filter((t) => t.firstHit !== null && t.firstHit <= k).length / xs.length : 0);
const mrr = (xs: Trace[]) => xs.reduce((sum, t) => sum + (t.firstHit ? 1 / t.firstHit : 0), 0) / Math.max(1, xs.length);
console.log(
  `${traces.length} questions: R@1/R@3/MRR@5 ${share(answerable).toFixed(3)}/${share(answerable, 3).toFixed(3)}/${mrr(answerable).toFixed(3)}; of ${answerable.length} answerable: ${answerable.filter((t) => !t.gathered).length} not gathered, ` +
    `${answerable.filter((t) => t.gathered && t.rankerRank === null).length} not shortlisted, ${answerable.filter((t) => t.finalRank !== null && t.finalRank > 1).length} not first, ` +
    `${answerable.filter((t) => !t.answered).length} refused; unanswerable answered ${traces.filter((t) => !t.answerable && t.answered).length}`,
);
if (values.out) writeFileSync(values.out, traces.map((t) => JSON.stringify(t)).join('\n') + '\n');
if (values.compare) {
  const before: Trace[] = readFileSync(values.compare, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
  if (before.length !== traces.length) throw new Error(`${values.compare} holds ${before.length} questions, this run ${traces.length}`);
  const retyped = traces.map((t, i) => ({ now: t, was: before[i] })).filter(({ now, was }) => now.answerable && now.type !== was.type);
  const pairs = new Map<string, typeof retyped>();
  for (const r of retyped) pairs.set(`${r.was.type} -> ${r.now.type}`, [...(pairs.get(`${r.was.type} -> ${r.now.type}`) ?? []), r]);
  console.log(`answer type changed on ${retyped.length} answerable questions: R@1 ${share(retyped.map((r) => r.was)).toFixed(3)} -> ${share(retyped.map((r) => r.now)).toFixed(3)}`);
  for (const [pair, rs] of pairs) console.log(`  ${pair}: ${rs.length}, R@1 ${share(rs.map((r) => r.was)).toFixed(3)} -> ${share(rs.map((r) => r.now)).toFixed(3)}`);
  const answerableBoth = traces.map((now, i) => ({ now, was: before[i] })).filter(({ now }) => now.answerable);
  for (const rule of new Set(traces.flatMap((t) => t.rules))) {
    const fired = answerableBoth.filter(({ now }) => now.rules.includes(rule));
    const refused = (xs: Trace[]) => xs.filter((t) => !t.answered).length;
    const [was, now] = [fired.map((f) => f.was), fired.map((f) => f.now)];
    console.log(`rule ${rule} fires on ${fired.length} answerable questions: R@1 ${share(was).toFixed(3)} -> ${share(now).toFixed(3)}, MRR@5 ${mrr(was).toFixed(3)} -> ${mrr(now).toFixed(3)}, refused ${refused(was)} -> ${refused(now)}`);
  }
  traces.forEach((now, i) => {
    const was = before[i];
    if (now.firstHit !== was.firstHit || now.answered !== was.answered)
      print(`  moved: ${now.question} [${was.type} -> ${now.type}] first hit ${was.firstHit ?? '-'} -> ${now.firstHit ?? '-'}${now.answered === was.answered ? '' : `, answered ${was.answered} -> ${now.answered}`}`);
  });
}
