/**
 * Dense retrieval alone: every sentence of SQuAD dev's and news dev's corpora embedded by an embedding model through
 * the engine's embedder (the real transformers.js pipeline), each question's sentences ranked by cosine, nothing
 * else. Measures what the embedding model itself brings. Not a test: its output goes into docs/measurements.md.
 *
 *   npx tsx bench/dense-only.ts [--model DIR] [--set squad|news|both]
 *
 * `--model` takes what `EMBEDDING_MODEL` takes (default: the bundled offline model). Hits follow src/eval/scoring.ts
 * (a news quote hits when it lies inside the gold passage). Neither question set is used to train anything.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { scriptOptions } from '../src/cli/args';
import { readDataFolder } from '../src/engine/corpus/articles';
import { loadEmbedder, type Embedder } from '../src/engine/encoders/embedder';
import { isHit, parseQuestions } from '../src/eval/scoring';
import { printError } from './print';

const opts = scriptOptions(process.argv.slice(2), { model: { type: 'string' }, set: { type: 'string', default: 'both' } }, 'usage: npx tsx bench/dense-only.ts [--model DIR] [--set squad|news|both]');
const shared = path.resolve(import.meta.dirname, '../../shared/eval');
if (!existsSync(shared)) {
  console.error(`bench/dense-only: ${shared} is missing (the evaluation sets sit beside the checkout); nothing measured.`);
  process.exit(0);
}

async function measure(embedder: Embedder, name: string): Promise<void> {
  const started = performance.now();
  const { articles } = await readDataFolder(path.join(shared, name, 'data'));
  const texts: string[] = [];
  const files: string[] = [];
  for (const a of articles) for (const s of a.sentences) {
    texts.push(a.text.slice(s.start, s.end));
    files.push(a.file);
  }
  const questions = parseQuestions(readFileSync(path.join(shared, name, 'questions-dev.jsonl'), 'utf8')).filter((q) => q.gold.length > 0);
  const dim = embedder.dim;
  const sentences = await embedder.embed(texts, { cache: false });
  const queries = await embedder.embed(questions.map((q) => q.question), { cache: false });
  let hit1 = 0, hit3 = 0, hit10 = 0, rr5 = 0;
  const scores = new Float32Array(texts.length);
  for (let qi = 0; qi < questions.length; qi++) {
    const q = queries.subarray(qi * dim, (qi + 1) * dim);
    for (let s = 0; s < texts.length; s++) {
      let dot = 0;
      for (let d = 0; d < dim; d++) dot += q[d] * sentences[s * dim + d];
      scores[s] = dot;
    }
    // The first hit's rank among the ten best (ties broken by sentence order).
    const best = [...scores.keys()].sort((a, b) => scores[b] - scores[a] || a - b).slice(0, 10);
    const rank = best.findIndex((s) => isHit(questions[qi], { quote: texts[s], file: files[s] }));
    if (rank === 0) hit1++;
    if (rank >= 0 && rank < 3) hit3++;
    if (rank >= 0) hit10++;
    if (rank >= 0 && rank < 5) rr5 += 1 / (rank + 1);
  }
  const n = questions.length;
  const f = (x: number) => (x / n).toFixed(3);
  console.log(`${name}: ${n} questions over ${texts.length} sentences; dense only R@1 ${f(hit1)} R@3 ${f(hit3)} R@10 ${f(hit10)} MRR@5 ${f(rr5)} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
}

const cacheDir = await mkdtemp(path.join(os.tmpdir(), 'dense-only-'));
try {
  const embedder = await loadEmbedder({ model: opts.model, cacheDir, warn: printError });
  console.log(`model: ${embedder.model}`);
  for (const name of opts.set === 'both' ? ['squad', 'news'] : [opts.set!]) await measure(embedder, name);
} finally {
  await rm(cacheDir, { recursive: true, force: true });
}
