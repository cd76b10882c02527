/**
 * How two cross-encoders score one question's candidates where the engine asks them: the learned ranker's best
 * `top` (the cross-encoder stage's shortlist, answer.ts `traceQuestion`'s `ranked`). Prints each candidate's ranker
 * rank and, per cross-encoder, its score and rank among the shortlist; to see whether a sentence holding the asked
 * kind ("… met for 90 minutes" for "How long …?") is placed above ones that only share the question's words.
 *
 *   npx tsx bench/ce-question.ts --data data --question 'How long did Obama and Putin meet?' [--question …] \
 *     [--cross-encoder DIR] [--top 20] [--cache DIR]
 *
 * The first column set is the shipped cross-encoder (models/cross-encoder-squad), the second `--cross-encoder`.
 */
import path from 'node:path';
import { countOption, scriptOptions } from '../src/cli/args';
import { traceQuestion } from '../src/engine/answer';
import { CROSS_ENCODER_MODEL, loadCrossEncoder } from '../src/engine/encoders/cross-encoder';
import { print } from './print';
import { loadBenchModel, snapshotIndex } from './snapshot-index';

const usage = 'usage: npx tsx bench/ce-question.ts --data DIR --question TEXT [--question TEXT …] [--cross-encoder DIR] [--top 20] [--cache DIR]';
const options = {
  data: { type: 'string' },
  question: { type: 'string', multiple: true },
  'cross-encoder': { type: 'string' },
  top: { type: 'string', default: '20' },
  cache: { type: 'string' },
} as const;
const values = scriptOptions(process.argv.slice(2), options, usage, ['data', 'question']);
const top = countOption(values.top, '--top', usage, 20); // Number('x') would be NaN: an empty table, no message
const cacheDir = path.resolve(values.cache ?? '.cache');
const models = await loadBenchModel(cacheDir);
const index = await snapshotIndex(path.resolve(values.data), cacheDir, models.embedder);
// The shipped cross-encoder is the one the bench model already loaded for the engine's stage: no second copy.
const encoders = [models.crossEncoder ?? (await loadCrossEncoder(CROSS_ENCODER_MODEL, { threads: 1 }))];
if (values['cross-encoder']) encoders.push(await loadCrossEncoder(path.resolve(values['cross-encoder']), { threads: 1 }));

/** 1-based ranks of `scores` (highest first, ties by position). */
function ranks(scores: Float32Array): number[] {
  const order = Array.from(scores.keys()).sort((a, b) => scores[b] - scores[a] || a - b);
  const out = new Array<number>(scores.length);
  order.forEach((i, r) => (out[i] = r + 1));
  return out;
}

for (const text of values.question) {
  const { ranked } = await traceQuestion(index, { ...models, crossEncoder: null }, text, 1);
  const sentences = ranked.ranked.slice(0, top).map((c) => index.text(c.sentence));
  const scored = await Promise.all(encoders.map((e) => e.score(text, sentences)));
  const rankLists = scored.map(ranks);
  print(`${text}\n  ranker | ${encoders.map((_, k) => (k === 0 ? 'shipped score (rank)' : 'new score (rank)')).join(' | ')} | sentence`);
  sentences.forEach((s, i) => {
    const cells = scored.map((sc, k) => `${sc[i].toFixed(2).padStart(6)} (${String(rankLists[k][i]).padStart(2)})`);
    print(`  ${String(i + 1).padStart(6)} | ${cells.join(' | ')} | ${s.length > 90 ? `${s.slice(0, 90)}…` : s}`);
  });
}
for (const e of encoders) await e.release();
