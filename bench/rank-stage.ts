/**
 * The rank stage alone (rankCandidates: fusion, the ranker's features, the trees) over a question set, and what it
 * decides, so a change meant to make it faster can be shown to change nothing: each question is gathered once
 * through the engine's own path, then ranked (timed), rescored and answered as answer.ts does.
 *
 *   npx tsx bench/rank-stage.ts --data ../shared/eval/squad/data --cache /tmp/my-cache \
 *     --questions ../shared/eval/squad/questions-dev.jsonl [--limit N] [--dump out.bin]
 *   npx tsx bench/rank-stage.ts … --compare out.bin   (the same run against an earlier dump)
 *
 * A dump holds per question the feature rows (float32), the ranker's order and scores, the confidence and the
 * quotes. `--compare` prints the largest feature difference, and the questions whose order, scores, confidence or
 * quotes differ. Needs the question file (../shared); without it, says so and exits 0.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { countOption, scriptOptions } from '../src/cli/args';
import { traceQuestion, type QuestionStep } from '../src/engine/answer';
import { parseQuestions } from '../src/eval/scoring';
import { percentile } from '../src/percentiles';
import { loadBenchModel, snapshotIndex } from './snapshot-index';

const usage = 'usage: npx tsx bench/rank-stage.ts --data DIR --cache DIR --questions FILE [--limit N] [--dump FILE | --compare FILE]';
const options = { data: { type: 'string' }, cache: { type: 'string' }, questions: { type: 'string' }, limit: { type: 'string' }, dump: { type: 'string' }, compare: { type: 'string' } } as const;
const values = scriptOptions(process.argv.slice(2), options, usage, ['data', 'cache', 'questions']);
const limit = countOption(values.limit, '--limit', usage, Infinity); // checked before the snapshot loads
if (!existsSync(values.questions)) {
  console.error(`skipped: the questions are missing (${values.questions}); ../shared must be beside the checkout`);
  process.exit(0);
}
const dataDir = path.resolve(values.data);
const cacheDir = path.resolve(values.cache);
const models = await loadBenchModel(cacheDir);
const index = await snapshotIndex(dataDir, cacheDir, models.embedder);
const questions = parseQuestions(readFileSync(values.questions, 'utf8')).slice(0, limit);

/** What one question's rank stage decided, down to the quotes. */
interface Outcome {
  features: Float32Array;
  order: number[];
  scores: number[];
  confidence: number;
  quotes: string[];
}
const outcomes: Outcome[] = [];
const times: number[] = [];
for (const q of questions) {
  let rankStarted = 0;
  const onStep = (step: QuestionStep) => {
    if (step === 'retrieve') rankStarted = performance.now();
    if (step === 'rank') times.push(performance.now() - rankStarted);
  };
  const { ranked, confidence, quotes } = await traceQuestion(index, models, q.question, 5, onStep);
  outcomes.push({
    features: ranked.features ?? new Float32Array(0),
    order: ranked.ranked.map((c) => c.sentence),
    scores: ranked.ranked.map((c) => c.score),
    confidence,
    quotes: quotes.map((x) => x.quote),
  });
}
const mean = times.reduce((a, b) => a + b, 0) / times.length;
const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
console.log(
  `${path.basename(dataDir)}: ${questions.length} questions, rank stage mean ${mean.toFixed(3)} ms, p50 ${percentile(times, 50)!.toFixed(3)}, ` +
    `p95 ${percentile(times, 95)!.toFixed(3)} (load ${load})`,
);

/** Each outcome as a JSON line, the feature rows as base64 of their float32 bytes (exact). */
const serialise = (o: Outcome) => JSON.stringify({ ...o, features: Buffer.from(o.features.buffer, o.features.byteOffset, o.features.byteLength).toString('base64') });
if (values.dump) writeFileSync(values.dump, outcomes.map(serialise).join('\n') + '\n');
if (values.compare) {
  const before = readFileSync(values.compare, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
  if (before.length !== outcomes.length) throw new Error(`the dump holds ${before.length} questions, this run ${outcomes.length}`);
  let maxDiff = 0;
  let bitDifferent = 0;
  const differing = { order: 0, scores: 0, confidence: 0, quotes: 0, firstQuote: 0 };
  outcomes.forEach((now, i) => {
    const was = before[i];
    const bytes = Buffer.from(was.features, 'base64');
    const features = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    if (features.length !== now.features.length) throw new Error(`question ${i}: ${features.length} feature values before, ${now.features.length} now`);
    let bitSame = true;
    features.forEach((x, j) => {
      if (!Object.is(x, now.features[j])) bitSame = false;
      maxDiff = Math.max(maxDiff, Math.abs(x - now.features[j]));
    });
    if (!bitSame) bitDifferent++;
    if (JSON.stringify(was.order) !== JSON.stringify(now.order)) differing.order++;
    if (JSON.stringify(was.scores) !== JSON.stringify(now.scores)) differing.scores++;
    if (was.confidence !== now.confidence) differing.confidence++;
    if (JSON.stringify(was.quotes) !== JSON.stringify(now.quotes)) differing.quotes++;
    if (was.quotes[0] !== now.quotes[0]) differing.firstQuote++;
  });
  console.log(
    `compared with ${values.compare}: feature rows not bit-identical in ${bitDifferent} questions, largest difference ${maxDiff}; ` +
      `questions with another order ${differing.order}, other ranker scores ${differing.scores}, other confidence ${differing.confidence}, ` +
      `other quotes ${differing.quotes}, other first quote ${differing.firstQuote}`,
  );
}
