/**
 * Real sentence embeddings for the dense-index benchmark: every sentence of a corpus folder (see make-corpus.ts)
 * and the first Q SQuAD dev questions, embedded with the bundled offline model, written as raw float32 files
 * beside each other so the ANN benchmark (bench/dense-bench.ts) does not re-embed on every run.
 *
 *   npx tsx bench/dense-vectors.ts --data /tmp/quotebot-corpus-1m --out /tmp/quotebot-vectors-1m [--limit 1000]
 *
 * Writes `<out>.sentences.f32`, `<out>.questions.f32` and `<out>.json` ({ dim, sentences, questions }).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { countOption, scriptOptions } from '../src/cli/args';
import { readDataFolder } from '../src/engine/corpus/articles';
import { loadEmbedder } from '../src/engine/encoders/embedder';
import { parseQuestions } from '../src/eval/scoring';
import { printError } from './print';

const usage = 'usage: npx tsx bench/dense-vectors.ts --data DIR --out PREFIX [--limit N]';
const values = scriptOptions(process.argv.slice(2), { data: { type: 'string' }, out: { type: 'string' }, limit: { type: 'string', default: '1000' } }, usage, ['data', 'out']);
const limit = countOption(values.limit, '--limit', usage, 1000);
const questionsFile = path.resolve(import.meta.dirname, '../../shared/eval/squad/questions-dev.jsonl');

const t0 = performance.now();
const { articles } = await readDataFolder(values.data);
const texts = articles.flatMap((a) => a.sentences.map((s) => a.text.slice(s.start, s.end)));
console.error(`read ${texts.length} sentences in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
const questions = parseQuestions(readFileSync(questionsFile, 'utf8')).slice(0, limit).map((q) => q.question);

const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'dense-vectors-'));
const embedder = await loadEmbedder({ cacheDir, warn: printError });
const t1 = performance.now();
const sentenceVectors = await embedder.embed(texts, { cache: false });
console.error(`embedded ${texts.length} sentences in ${((performance.now() - t1) / 1000).toFixed(1)} s`);
const questionVectors = await embedder.embed(questions, { cache: false });
rmSync(cacheDir, { recursive: true, force: true });

writeFileSync(`${values.out}.sentences.f32`, new Uint8Array(sentenceVectors.buffer, sentenceVectors.byteOffset, sentenceVectors.byteLength));
writeFileSync(`${values.out}.questions.f32`, new Uint8Array(questionVectors.buffer, questionVectors.byteOffset, questionVectors.byteLength));
writeFileSync(`${values.out}.json`, JSON.stringify({ dim: embedder.dim, sentences: texts.length, questions: questions.length, model: embedder.model }));
