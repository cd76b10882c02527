/**
 * Fits the ranking parameters (fusion weights and the abstention model) on the SQuAD dev questions.
 * Not a test: a script to run after a change to retrieval, whose output goes into the README and issue notes.
 *
 *   npx tsx bench/fit-ranking.ts [--no-dense] [--model ID]
 *
 * Answerable: the dev questions over an index of all 48 articles (their answers are in the even-numbered ones).
 * Unanswerable: the same questions over an index of the odd-numbered articles (where they are not).
 * Weights are chosen on the questions of half the articles and reported on the other half, so no figure is
 * measured on what it was fitted to.
 */
import { mkdtempSync, readFileSync, readdirSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readDataFolder } from '../src/engine/articles';
import type { Embedder } from '../src/engine/embedder';
import { DEFAULT_RANKING, fuse, type RankingParameters } from '../src/engine/ranking';
import { SearchIndex, type Retrieval } from '../src/engine/search-index';
import { outcome, parseQuestions, summarise, type EvalQuestion } from '../src/eval/scoring';

const args = process.argv.slice(2);
const dense = !args.includes('--no-dense');
const modelArg = args.includes('--model') ? args[args.indexOf('--model') + 1] : undefined;
const squad = path.resolve(import.meta.dirname, '../../shared/eval/squad');

async function buildIndex(files: string[], embedder: Embedder | null): Promise<SearchIndex> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fit-'));
  for (const f of files) symlinkSync(path.join(squad, 'data', f), path.join(dir, f));
  const { articles } = await readDataFolder(dir);
  const texts = articles.flatMap((a) => a.sentences.map((s) => a.text.slice(s.start, s.end)));
  const vectors = embedder ? await embedder.embed(texts) : new Float32Array(texts.length);
  return new SearchIndex(articles, vectors, embedder ? embedder.dim : 1);
}

const t0 = performance.now();
const embedder = dense ? await (await import('../src/engine/embedder')).loadEmbedder({ model: modelArg, cacheDir: path.resolve('.cache'), warn: console.error }) : null;
const all = readdirSync(path.join(squad, 'data')).sort();
const even = all.filter((_, i) => i % 2 === 0);
const odd = all.filter((_, i) => i % 2 === 1);
const inCorpus = await buildIndex(all, embedder);
const offCorpus = await buildIndex(odd, embedder);
const questions = parseQuestions(readFileSync(path.join(squad, 'questions-dev.jsonl'), 'utf8'));
console.error(`indexes built in ${Math.round(performance.now() - t0)} ms; ${inCorpus.sentences.length} + ${offCorpus.sentences.length} sentences`);

async function retrieveAll(index: SearchIndex): Promise<Retrieval[]> {
  const out: Retrieval[] = [];
  for (const q of questions) {
    const v = embedder ? await embedder.embed([q.question], { cache: false }) : null;
    out.push(index.retrieve(q.question, v && v.some((x) => x !== 0) ? v : null));
  }
  return out;
}
const answerable = await retrieveAll(inCorpus);
const unanswerable = await retrieveAll(offCorpus);

// Split by article: fit on the questions of one half of the articles, report on the other.
const fitSet = questions.map((q, i) => i).filter((i) => even.indexOf(questions[i].file!) % 2 === 0);
const testSet = questions.map((q, i) => i).filter((i) => even.indexOf(questions[i].file!) % 2 === 1);

function rankingQuality(p: RankingParameters, ids: number[]) {
  const noAbstain = { ...p, abstainThreshold: 0, relativeFloor: 0 };
  return summarise(
    ids.map((i) => {
      // Plain fused order (no near-duplicate folding, which SQuAD never triggers): fast enough for a grid.
      const top = fuse(answerable[i], noAbstain).slice(0, 5);
      return outcome(questions[i] as EvalQuestion, false, top.map((c) => ({ quote: inCorpus.text(c.sentence), file: inCorpus.articles[inCorpus.sentences[c.sentence].article].file })));
    }),
  );
}

// Coordinate ascent over the fusion weights (BM25 of the sentence fixed at 1), two rounds.
const WEIGHTS = ['paragraph', 'dense', 'coverage', 'phrase', 'title'] as const;
const VALUES = [0, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3];
let best: RankingParameters = { ...DEFAULT_RANKING, sentence: 1 };
const objective = (p: RankingParameters) => {
  const s = rankingQuality(p, fitSet);
  return s.recallAt1 + s.mrrAt5;
};
let bestScore = objective(best);
for (let round = 0; round < 2; round++) {
  for (const w of WEIGHTS) {
    if (w === 'dense' && !dense) continue;
    for (const v of VALUES) {
      const p = { ...best, [w]: v };
      const score = objective(p);
      if (score > bestScore + 1e-9) [best, bestScore] = [p, score];
    }
  }
  console.error(`round ${round + 1}: ${JSON.stringify(best)} -> ${bestScore.toFixed(4)}`);
}
const show = (s: ReturnType<typeof summarise>) =>
  `R@1 ${s.recallAt1.toFixed(3)}  R@3 ${s.recallAt3.toFixed(3)}  MRR@5 ${s.mrrAt5.toFixed(3)}  (${s.answerable} q)`;
console.log('fusion weights', JSON.stringify(Object.fromEntries(['sentence', ...WEIGHTS].map((w) => [w, best[w as keyof RankingParameters]]))));
console.log('  fitted half :', show(rankingQuality(best, fitSet)));
console.log('  held-out    :', show(rankingQuality(best, testSet)));
console.log('  all         :', show(rankingQuality(best, questions.map((_, i) => i))));
console.log('  BM25 only   :', show(rankingQuality({ ...best, paragraph: 0, dense: 0, coverage: 0, phrase: 0, title: 0 }, questions.map((_, i) => i))));

// Abstention: logistic regression on the top candidate's absolute signals (coverage, cosine).
type Example = { x: [number, number]; y: number };
const examples = (ids: number[]): Example[] =>
  ids.flatMap((i) => {
    const out: Example[] = [];
    for (const [r, y] of [[answerable[i], 1], [unanswerable[i], 0]] as const) {
      const top = fuse(r, best)[0];
      out.push({ x: top ? [top.coverage, Math.max(0, top.cosine)] : [0, 0], y });
    }
    return out;
  });
const train = examples(fitSet);
let [b0, b1, b2] = [0, 0, 0];
for (let epoch = 0; epoch < 3000; epoch++) {
  let [g0, g1, g2] = [0, 0, 0];
  for (const { x, y } of train) {
    const p = 1 / (1 + Math.exp(-(b0 + b1 * x[0] + b2 * x[1])));
    g0 += p - y;
    g1 += (p - y) * x[0];
    g2 += (p - y) * x[1];
  }
  const lr = 2 / train.length;
  b0 -= lr * g0 * 4;
  b1 -= lr * g1 * 4;
  b2 -= lr * g2 * 4;
}
console.log('abstention model', JSON.stringify({ abstainBias: +b0.toFixed(3), abstainCoverage: +b1.toFixed(3), abstainCosine: +b2.toFixed(3) }));
const test = examples(testSet);
for (const threshold of [0.3, 0.4, 0.5, 0.6]) {
  let answeredA = 0, abstainedU = 0;
  for (const { x, y } of test) {
    const p = 1 / (1 + Math.exp(-(b0 + b1 * x[0] + b2 * x[1])));
    if (y === 1 && p >= threshold) answeredA++;
    if (y === 0 && p < threshold) abstainedU++;
  }
  console.log(`  threshold ${threshold}: held-out answered ${(answeredA / (test.length / 2)).toFixed(3)} of answerable, abstained ${(abstainedU / (test.length / 2)).toFixed(3)} of unanswerable`);
}
console.error(`took ${Math.round(performance.now() - t0)} ms`);
