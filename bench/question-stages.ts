/**
 * Where a question's time goes: the steps of the engine's own question path (answer.ts `traceQuestion`, timed
 * through its `onStep` callback) over the SQuAD dev questions, on a corpus read from its index snapshot in the
 * cache folder (built and written first when there is none). As in the engine, quotes are built only for the
 * questions it answers.
 *
 *   npx tsx bench/question-stages.ts --data /tmp/quotebot-corpus-1m --cache /tmp/my-cache-1m [--limit 300]
 *
 * `--exact-dense` makes the dense index an exact scan whatever the size (no approximate index to build at each
 * load, minutes at a million sentences); the dense search is timed apart, so the other stages' times hold for
 * either. `--exhaustive` also runs each question with BM25 scoring every posting (as before MaxScore), the two
 * alternating question by question. Prints per stage the mean and p95 in ms, and where the gold sentence is lost
 * on the way: outside the candidate pool (lexical and dense candidates), outside the ranker's shortlist, not ranked
 * first, or refused by the abstention. With the model's cross-encoder stage, its rescore is a stage of its own, and
 * the cross-encoder's scoring inside it is timed apart. Needs ../shared (the SQuAD questions); without it, says so and exits 0.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { countOption, refuseUsage, scriptOptions } from '../src/cli/args';
import { DenseIndex } from '../src/engine/retrieval/dense-index';
import { Bm25Index, topK } from '../src/engine/retrieval/bm25';
import { traceQuestion, type QuestionStep } from '../src/engine/answer';
import { isHit, parseQuestions } from '../src/eval/scoring';
import { percentile } from '../src/percentiles';
import { loadBenchModel, snapshotIndex } from './snapshot-index';

const usage = 'usage: npx tsx bench/question-stages.ts --data DIR --cache DIR [--limit N] [--from I] [--exhaustive] [--exact-dense]';
const values = scriptOptions(process.argv.slice(2), { data: { type: 'string' }, cache: { type: 'string' }, limit: { type: 'string' }, exhaustive: { type: 'boolean' }, from: { type: 'string' }, 'exact-dense': { type: 'boolean' } }, usage, ['data', 'cache']);
// Checked before the snapshot loads (minutes at a million sentences).
const from = countOption(values.from, '--from', usage, 0, 0);
const limit = countOption(values.limit, '--limit', usage, 300);
const questionsFile = path.resolve(import.meta.dirname, '../../shared/eval/squad/questions-dev.jsonl');
if (!existsSync(questionsFile)) {
  console.error(`skipped: the SQuAD questions are missing (${questionsFile}); ../shared must be beside the checkout`);
  process.exit(0);
}
const allQuestions = parseQuestions(readFileSync(questionsFile, 'utf8'));
if (allQuestions.length === 0) {
  // A broken shared folder, not a usage error: no --from would do ("--from 0 to -1").
  console.error(`error: ${questionsFile} holds no questions`);
  process.exit(1);
}
// Past the last question the slice below is empty: a table of nothing, not an error, unless refused here.
if (from >= allQuestions.length) refuseUsage(`--from ${from} is past the last question (${path.basename(questionsFile)} holds ${allQuestions.length}: --from 0 to ${allQuestions.length - 1})`, usage);
const dataDir = path.resolve(values.data);
const cacheDir = path.resolve(values.cache);
const { embedder, parameters, crossEncoder } = await loadBenchModel(cacheDir);
/** The cross-encoder's own time (tokens, tensors, ONNX runs) inside the rescore stage. */
const crossEncoderTimes: number[] = [];
if (crossEncoder) {
  const score = crossEncoder.score.bind(crossEncoder);
  crossEncoder.score = async (question, sentences) => {
    const started = performance.now();
    const scores = await score(question, sentences);
    crossEncoderTimes.push(performance.now() - started);
    return scores;
  };
}
if (values['exact-dense']) {
  // The exact scan instead of the approximate index, whether built or read from the snapshot. Its search is timed
  // apart below, so the other stages' times hold for either.
  const fromCompact = DenseIndex.fromCompact;
  DenseIndex.fromCompact = (vectors, dim, options) => fromCompact.call(DenseIndex, vectors, dim, { ...options, approximateFrom: Infinity, approximateFile: undefined });
}
/**
 * The sentence searches of the retrieve step: not the nearest-term searches of the question's analysis and expansion
 * (the same DenseIndex class), nor the deeper ones below that look for the gold outside the pool.
 */
const denseTimes: number[] = [];
let retrieving = false;
const search = DenseIndex.prototype.search;
DenseIndex.prototype.search = function (this: DenseIndex, query: Float32Array, k: number) {
  const started = performance.now();
  const hits = search.call(this, query, k);
  if (retrieving) denseTimes.push(performance.now() - started);
  return hits;
};
const loading = performance.now();
const index = await snapshotIndex(dataDir, cacheDir, embedder);
console.error(`snapshot loaded in ${((performance.now() - loading) / 1000).toFixed(1)} s: ${index.sentenceCount} sentences`);

const questions = allQuestions.slice(from, from + limit);

/**
 * Ways to run the same question: the code as it is and, with `--exhaustive`, BM25 scoring every posting of every
 * query term (the engine before MaxScore pruning) — alternated question by question, so load changes hit both.
 */
const pruned = { top: Bm25Index.prototype.top };
const variants: Array<{ name: string; apply: () => void }> = [{ name: 'as is', apply: () => (Bm25Index.prototype.top = pruned.top) }];
if (values.exhaustive) {
  variants.push({
    name: 'exhaustive BM25',
    apply: () => {
      Bm25Index.prototype.top = function (this: Bm25Index, terms: readonly number[], weights: readonly number[] | undefined, k: number) {
        return topK(this.scores(terms, weights), k);
      };
    },
  });
}
const times = new Map<string, Map<string, number[]>>(variants.map((v) => [v.name, new Map()]));
const fileIndex = new Map(index.articles.map((a, i) => [a.file, i]));
const losses = { questions: 0, inPool: 0, inShortlist: 0, first: 0, answered: 0, answeredFirst: 0 };
/** For gold sentences outside the pool: their best rank by BM25 and by cosine (beyond the searched depth: Infinity). */
const lostRanks: Array<{ lexical: number; dense: number }> = [];
const LOST_DEPTH = 5000;
let differing = 0;

/** What each step of answer.ts's path is called in the table (the rescore row only with a cross-encoder). */
const STAGE_NAMES: Record<QuestionStep, string> = {
  analyse: 'analyse (typos)',
  embed: 'embed question',
  expand: 'expand (nearestTerms)',
  retrieve: 'retrieve (bm25, dense, candidates)',
  rank: 'rank (fuse, features, ranker)',
  rescore: 'rescore (cross-encoder, second ranker)',
  abstain: 'abstention',
  quotes: 'quotes',
};

/** Answers one question through the engine's own path (answer.ts `traceQuestion`), timing each step into `laps`. */
async function run(text: string, laps: Map<string, number[]>) {
  const record = (stage: string, ms: number) => (laps.get(stage) ?? laps.set(stage, []).get(stage)!).push(ms);
  let t = performance.now();
  const started = t;
  const onStep = (step: QuestionStep) => {
    // Told as each step ends: the retrieve step runs between the ends of 'expand' and 'retrieve'.
    retrieving = step === 'expand';
    const now = performance.now();
    if (step !== 'rescore' || crossEncoder) record(STAGE_NAMES[step], now - t);
    t = now;
  };
  const trace = await traceQuestion(index, { embedder, parameters, crossEncoder }, text, 5, onStep);
  record('total', performance.now() - started);
  return trace;
}

for (const [n, q] of questions.entries()) {
  const results: Array<{ name: string } & Awaited<ReturnType<typeof run>>> = [];
  for (const v of n % 2 ? [...variants].reverse() : variants) {
    v.apply();
    results.push({ name: v.name, ...(await run(q.question, times.get(v.name)!)) });
  }
  const key = (r: (typeof results)[number]) => JSON.stringify([r.confidence, r.quotes.map((x) => [x.quote, x.score])]);
  if (results.some((r) => key(r) !== key(results[0]))) differing++;
  const { retrieval, ranking, answered } = results.find((r) => r.name === 'as is')!;
  const article = fileIndex.get(q.file ?? '');
  if (article === undefined || q.gold.length === 0) continue;
  const gold = new Set<number>();
  for (let i = 0; i < index.sentenceCount; i++) {
    if (index.articleOf(i) === article && isHit(q, { quote: index.text(i), file: q.file! })) gold.add(i);
  }
  const first = ranking.ranked.length > 0 && gold.has(ranking.ranked[0].sentence);
  losses.questions++;
  if (retrieval.candidates.some((c) => gold.has(c.sentence))) losses.inPool++;
  else {
    const known = retrieval.terms.filter((t) => t.id >= 0);
    const lexical = index.parts.sentenceBm25.top(known.map((t) => t.id), known.map((t) => t.weight), LOST_DEPTH).findIndex((h) => gold.has(h.doc));
    const vector = (await embedder.embed([q.question], { cache: false })).subarray(0, embedder.dim);
    const dense = index.parts.dense.search(vector, LOST_DEPTH).findIndex((h) => gold.has(h.id));
    lostRanks.push({ lexical: lexical < 0 ? Infinity : lexical + 1, dense: dense < 0 ? Infinity : dense + 1 });
  }
  if (ranking.ranked.some((c) => gold.has(c.sentence))) losses.inShortlist++;
  if (first) losses.first++;
  if (answered) losses.answered++;
  if (answered && first) losses.answeredFirst++;
}
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
console.log(`${path.basename(dataDir)}: ${index.sentenceCount.toLocaleString('en-US')} sentences, ${questions.length} SQuAD dev questions, load ${os_load()}`);
console.log(`| stage | ${variants.map((v) => `${v.name}: mean / p95 ms`).join(' | ')} |`);
console.log(`| --- | ${variants.map(() => '---').join(' | ')} |`);
for (const stage of times.get('as is')!.keys()) {
  const cells = variants.map((v) => {
    const xs = times.get(v.name)!.get(stage)!;
    return `${mean(xs).toFixed(2)} / ${percentile(xs, 95)!.toFixed(2)}`;
  });
  console.log(`| ${stage} | ${cells.join(' | ')} |`);
}
if (crossEncoderTimes.length) console.log(`(cross-encoder scoring, inside rescore: ${mean(crossEncoderTimes).toFixed(2)} / ${percentile(crossEncoderTimes, 95)!.toFixed(2)} ms)`);
console.log(`(dense search, inside retrieve: ${mean(denseTimes).toFixed(2)} / ${percentile(denseTimes, 95)!.toFixed(2)} ms over ${denseTimes.length} searches, ${index.sentenceCount >= 200_000 && values['exact-dense'] ? 'exact scan' : 'as built'})`);
if (variants.length > 1) console.log(`\nQuestions whose answers differ between the variants: ${differing}`);
const share = (n: number) => `${n} (${((100 * n) / Math.max(1, losses.questions)).toFixed(1)}%)`;
const within = (depth: number) => lostRanks.filter((r) => Math.min(r.lexical, r.dense) <= depth).length;
const lexicalWithin = (depth: number) => lostRanks.filter((r) => r.lexical <= depth).length;
const denseWithin = (depth: number) => lostRanks.filter((r) => r.dense <= depth).length;
console.log(
  `\nOf the ${lostRanks.length} gold sentences outside the pool, by BM25 within 400 / 1000 / ${LOST_DEPTH}: ${[400, 1000, LOST_DEPTH].map(lexicalWithin).join(' / ')}; ` +
    `by cosine within 200 / 500 / ${LOST_DEPTH}: ${[200, 500, LOST_DEPTH].map(denseWithin).join(' / ')}; either within 1000: ${within(1000)}`,
);
console.log(`\nGold sentence of ${losses.questions} questions: in the candidate pool ${share(losses.inPool)}, in the shortlist ${share(losses.inShortlist)}, ranked first ${share(losses.first)}; answered ${share(losses.answered)}, answered with the gold first ${share(losses.answeredFirst)}`);

function os_load(): string {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}
