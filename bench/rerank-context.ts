/**
 * How much a candidate's cross-encoder score depends on the candidates it is scored with. Training
 * (training/dump-candidates.ts) scores every candidate of a question's 40-candidate shortlist in one call; the engine
 * (rescore.ts) scores only the ranker's best 20. The int8 graph quantises its activations per run of up to 7 pairs
 * (sorted by length), so the same pair can get a slightly different score. Not a test: a script whose output goes
 * into docs/development.md (training vs serving scores).
 *
 *   npx tsx bench/rerank-context.ts [--limit N] [--data DIR --questions FILE] [--cross-encoder DIR] [--cache DIR]
 *
 * Defaults: the first N (200) SQuAD dev questions over the 48 dev articles, the offline model's parameters and
 * their cross-encoder (`--cross-encoder`: another cross-encoder folder), the embedding cache in `.cache`.
 * Prints, over each question's best 20: the max and mean absolute difference between the two scores, and how often
 * the cross-encoder stage's first candidate or its best 3 differ when it is given the training-style scores.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { countOption, refuseUsage, scriptOptions } from '../src/cli/args';
import { gatherCandidates } from '../src/engine/answer';
import { readDataFolder } from '../src/engine/corpus/articles';
import { loadEmbedder, OFFLINE_MODEL } from '../src/engine/encoders/embedder';
import { FEATURE_COUNT } from '../src/engine/ranking/features';
import { loadModelParameters } from '../src/engine/ranking/parameters';
import { analyseQuestion } from '../src/engine/question/question';
import { rankCandidates } from '../src/engine/ranking/ranker';
import { fuse } from '../src/engine/ranking/ranking';
import { loadCrossEncoder } from '../src/engine/encoders/cross-encoder';
import { rescoreFeatures, RESCORE_FEATURE_NAMES } from '../src/engine/ranking/rescore';
import { buildSearchIndex } from '../src/engine/retrieval/search-index';
import { parseQuestions } from '../src/eval/scoring';
import { printError } from './print';

const squad = path.resolve(import.meta.dirname, '../../shared/eval/squad');
const USAGE = 'usage: npx tsx bench/rerank-context.ts [--limit N] [--data DIR --questions FILE] [--cross-encoder DIR] [--cache DIR]';
const opts = scriptOptions(
  process.argv.slice(2),
  {
    limit: { type: 'string', default: '200' },
    data: { type: 'string', default: path.join(squad, 'data') },
    questions: { type: 'string', default: path.join(squad, 'questions-dev.jsonl') },
    'cross-encoder': { type: 'string' },
    cache: { type: 'string', default: '.cache' },
  },
  USAGE,
);
// Before, --questions N was the count here (and the file --questions-file); as everywhere now, it is the file.
if (/^\d+$/.test(opts.questions!)) refuseUsage(`--questions takes a question file; the number of questions is --limit ${opts.questions}`, USAGE);
const limit = countOption(opts.limit, '--limit', USAGE, 200);
if (!existsSync(opts.data!) || !existsSync(opts.questions!)) {
  printError(`bench/rerank-context: ${opts.data} or ${opts.questions} is missing (../shared beside the checkout); nothing measured.`);
  process.exit(0);
}
const parameters = loadModelParameters(OFFLINE_MODEL, 'offline', printError);
const stage = parameters.crossEncoder;
if (!stage || !parameters.ranker) throw new Error('the offline model has no cross-encoder stage');
const crossEncoder = await loadCrossEncoder(opts['cross-encoder'] ?? stage.model);
const embedder = await loadEmbedder({ cacheDir: opts.cache, warn: printError });
const index = await buildSearchIndex((await readDataFolder(opts.data!)).articles, embedder);
const questions = parseQuestions(readFileSync(opts.questions!, 'utf8')).slice(0, limit);

const WIDTH = RESCORE_FEATURE_NAMES.length;
/** The stage's order of the ranker's best candidates, given their cross-encoder scores. */
function stageOrder(features: Float32Array, rankerScores: number[], ce: Float32Array): number[] {
  const rows = rescoreFeatures(features, rankerScores, ce);
  return ce.length === 0 ? [] : Array.from(ce, (_, i) => ({ i, s: stage!.ranker.score(rows, i * WIDTH) }))
    .sort((a, b) => b.s - a.s || a.i - b.i).map((o) => o.i);
}

const diffs: number[] = [];
let firstChanged = 0;
let top3Changed = 0;
let ceOrderChanged = 0;
for (const q of questions) {
  const question = analyseQuestion(index, q.question);
  const retrieval = await gatherCandidates(index, embedder, question);
  const ranking = rankCandidates(index, retrieval, question, parameters);
  const head = ranking.ranked.slice(0, stage.top);
  // As the engine scores them (rescore.ts): the ranker's best `top` alone.
  const engine = await crossEncoder.score(question.text, head.map((c) => index.text(c.sentence)));
  // As training scores them (dump-candidates.ts): the whole shortlist, in the fused order.
  const shortlist = fuse(retrieval, parameters.fusion).slice(0, parameters.shortlist);
  const all = await crossEncoder.score(question.text, shortlist.map((c) => index.text(c.sentence)));
  const bySentence = new Map(shortlist.map((c, k) => [c.sentence, all[k]]));
  const dump = Float32Array.from(head, (c) => {
    const s = bySentence.get(c.sentence);
    if (s === undefined) throw new Error(`"${q.question}": a ranked candidate outside the fused shortlist`);
    return s;
  });
  engine.forEach((s, k) => diffs.push(Math.abs(s - dump[k])));
  const features = ranking.features!.subarray(0, head.length * FEATURE_COUNT);
  const scores = head.map((c) => c.score);
  const a = stageOrder(features, scores, engine);
  const b = stageOrder(features, scores, dump);
  if (a[0] !== b[0]) firstChanged++;
  if (a.slice(0, 3).join() !== b.slice(0, 3).join()) top3Changed++;
  const byCe = (ce: Float32Array) => Array.from(ce, (s, i) => ({ s, i })).sort((x, y) => y.s - x.s || x.i - y.i).map((o) => o.i).join();
  if (byCe(engine) !== byCe(dump)) ceOrderChanged++;
}
await embedder.flush();
await crossEncoder.release();

diffs.sort((x, y) => x - y);
const mean = diffs.reduce((s, d) => s + d, 0) / diffs.length;
console.log(`${questions.length} questions, ${diffs.length} pairs (the ranker's best ${stage.top} each), ${crossEncoder.model}:`);
console.log(`  |score among the shortlist - score among the best ${stage.top}|: max ${diffs.at(-1)!.toFixed(4)}, mean ${mean.toFixed(4)}, ` +
  `p50 ${diffs[Math.floor(diffs.length / 2)].toFixed(4)}, p99 ${diffs[Math.floor(diffs.length * 0.99)].toFixed(4)}, exactly equal ${diffs.filter((d) => d === 0).length}`);
console.log(`  questions whose cross-encoder order of the ${stage.top} differs: ${ceOrderChanged}; ` +
  `whose stage's first candidate differs: ${firstChanged}; whose stage's best 3 differ: ${top3Changed}`);
