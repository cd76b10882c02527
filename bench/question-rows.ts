/**
 * The ranker's feature rows of each question's shortlist, as training/dump-candidates.ts computes them (fused order,
 * whatever ranker the model holds): one JSON line per question with each candidate's text and row in
 * `FEATURE_NAMES` order. To read why the trees order two sentences as they do, e.g. with LightGBM's `pred_contrib`
 * on the rows.
 *
 *   npx tsx bench/question-rows.ts --data data --question 'How long did Obama and Putin meet?' [--question …] [--cache DIR] > rows.jsonl
 */
import path from 'node:path';
import { scriptOptions } from '../src/cli/args';
import { gatherCandidates } from '../src/engine/answer';
import { candidateFeatures, FEATURE_COUNT, FEATURE_NAMES } from '../src/engine/ranking/features';
import { analyseQuestion } from '../src/engine/question/question';
import { fuse } from '../src/engine/ranking/ranking';
import { loadBenchModel, snapshotIndex } from './snapshot-index';

const SHORTLIST = 40; // training/dump-candidates.ts
const usage = 'usage: npx tsx bench/question-rows.ts --data DIR --question TEXT [--question TEXT …] [--cache DIR]';
const options = { data: { type: 'string' }, question: { type: 'string', multiple: true }, cache: { type: 'string' } } as const;
const values = scriptOptions(process.argv.slice(2), options, usage, ['data', 'question']);
const cacheDir = path.resolve(values.cache ?? '.cache');
const models = await loadBenchModel(cacheDir);
const index = await snapshotIndex(path.resolve(values.data), cacheDir, models.embedder);
for (const text of values.question) {
  const question = analyseQuestion(index, text);
  const retrieval = await gatherCandidates(index, models.embedder, question);
  const shortlist = fuse(retrieval).slice(0, SHORTLIST).map((c) => ({ ...c, fused: c.score }));
  const features = candidateFeatures(index, retrieval, question, shortlist);
  const rows = shortlist.map((c, row) => ({ text: index.text(c.sentence), row: Array.from(features.subarray(row * FEATURE_COUNT, (row + 1) * FEATURE_COUNT)) }));
  console.log(JSON.stringify({ question: text, type: question.type, names: FEATURE_NAMES, rows }));
}
