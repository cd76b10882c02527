/**
 * Whether a question meets the same index after a restart: one process builds the index cold (a fresh cache
 * folder) and writes its snapshot, another loads it warm; each records per question what every stage decided
 * (terms, candidates, feature rows, ranker scores, cross-encoder order, confidence, quotes), and `--compare` names
 * the questions and the first stage where the two differ.
 *
 *   npx tsx bench/cold-warm.ts --data DIR --cache NEW_DIR --questions FILE --cold --dump cold.jsonl   (a folder not there yet)
 *   npx tsx bench/cold-warm.ts --data DIR --cache DIR --questions FILE --dump warm.jsonl --compare cold.jsonl
 *
 * Needs the question file (../shared); without it, says so and exits 0.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { scriptOptions } from '../src/cli/args';
import { traceQuestion } from '../src/engine/answer';
import { DEFAULT_MAX_FILE_BYTES, readDataFolder } from '../src/engine/corpus/articles';
import { buildSearchIndex, type SearchIndex } from '../src/engine/retrieval/search-index';
import { folderKey, readSnapshot, snapshotPath, writeSnapshot } from '../src/engine/snapshot/snapshot';
import { parseQuestions } from '../src/eval/scoring';
import { print } from './print';
import { loadBenchModel } from './snapshot-index';

const usage = 'usage: npx tsx bench/cold-warm.ts --data DIR --cache DIR --questions FILE [--cold] [--dump FILE] [--compare FILE]';
const options = { data: { type: 'string' }, cache: { type: 'string' }, questions: { type: 'string' }, cold: { type: 'boolean' }, dump: { type: 'string' }, compare: { type: 'string' } } as const;
const values = scriptOptions(process.argv.slice(2), options, usage, ['data', 'cache', 'questions']);
if (!existsSync(values.questions)) {
  console.error(`skipped: the questions are missing (${values.questions}); ../shared must be beside the checkout`);
  process.exit(0);
}
const dataDir = path.resolve(values.data);
const cacheDir = path.resolve(values.cache);
// Cold means nothing cached: a folder that exists may hold the model's embeddings (and is someone's), so it is refused.
if (values.cold && existsSync(cacheDir)) {
  console.error(`--cold needs a cache folder that does not exist yet (${cacheDir} does)`);
  process.exit(2);
}
const models = await loadBenchModel(cacheDir);
const { embedder } = models;
const key = await folderKey(dataDir, embedder.id, DEFAULT_MAX_FILE_BYTES);
const file = snapshotPath(cacheDir, dataDir);
let index: SearchIndex;
if (values.cold) {
  const folder = await readDataFolder(dataDir, DEFAULT_MAX_FILE_BYTES);
  index = await buildSearchIndex(folder.articles, embedder);
  await embedder.flush({ compact: true });
  await writeSnapshot(file, key, index, folder.errors);
} else {
  const stored = await readSnapshot(file, key);
  if (!stored) throw new Error(`no snapshot in ${cacheDir}: run with --cold first`);
  index = stored.index;
}
const questions = parseQuestions(readFileSync(values.questions, 'utf8'));
const b64 = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
const stages = ['terms', 'candidates', 'features', 'ranker', 'crossEncoder', 'confidence', 'quotes'] as const;
const outcomes: Record<(typeof stages)[number], string>[] = [];
for (const q of questions) {
  const { retrieval, ranked, ranking, confidence, quotes } = await traceQuestion(index, models, q.question, 5);
  outcomes.push({
    terms: JSON.stringify(retrieval.terms),
    candidates: JSON.stringify(retrieval.candidates),
    features: b64(ranked.features ?? new Float32Array(0)),
    ranker: JSON.stringify(ranked.ranked.map((c) => [c.sentence, c.score])),
    crossEncoder: JSON.stringify(ranking.ranked.map((c) => [c.sentence, c.score])) + b64(ranking.crossEncoder ?? new Float32Array(0)),
    confidence: String(confidence),
    quotes: JSON.stringify(quotes.map((x) => x.quote)),
  });
}
if (values.dump) writeFileSync(values.dump, outcomes.map((o) => JSON.stringify(o)).join('\n') + '\n');
if (values.compare) {
  const before = readFileSync(values.compare, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
  if (before.length !== outcomes.length) throw new Error(`the dump holds ${before.length} questions, this run ${outcomes.length}`);
  const differ = Object.fromEntries(stages.map((s) => [s, 0]));
  outcomes.forEach((now, i) => {
    const changed = stages.filter((s) => before[i][s] !== now[s]);
    for (const s of changed) differ[s]++;
    if (changed.length) print(`question ${i} (${questions[i].question}): differs from ${changed[0]} on (${changed.join(', ')})`);
  });
  console.log(`${questions.length} questions; differing per stage: ${JSON.stringify(differ)}`);
}
