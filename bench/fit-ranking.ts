/**
 * Fits the linear fusion's parameters (weights and its abstention model) on the SQuAD dev questions: the defaults
 * for an embedding model without a trained ranker of its own (models/…/quotebot.json, see training/).
 * Not a test: a script to run after a change to retrieval, whose output goes into docs/measurements.md and issue notes.
 *
 *   npx tsx bench/fit-ranking.ts [--no-dense] [--model ID] [--keep-weights] [--ranking-only]
 *   (--keep-weights: keep the fusion weights and fit abstention only; --ranking-only: skip abstention)
 *
 * Answerable: the dev questions over an index of all 48 articles (their answers are in the even-numbered ones).
 * Unanswerable: the same questions over an index of the odd-numbered articles (where they are not).
 * Weights are chosen on the questions of half the articles and reported on the other half, so no figure is
 * measured on what it was fitted to.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readDataFolder } from '../src/engine/corpus/articles';
import type { Embedder } from '../src/engine/encoders/embedder';
import { DEFAULT_RANKING, fuse, type RankingParameters } from '../src/engine/ranking/ranking';
import { buildSearchIndex, type Retrieval, type SearchIndex } from '../src/engine/retrieval/search-index';
import { gatherCandidates } from '../src/engine/answer';
import { analyseQuestion } from '../src/engine/question/question';
import { outcome, parseQuestions, summarise, type EvalQuestion } from '../src/eval/scoring';
import { scriptOptions } from '../src/cli/args';
import { printError } from './print';

const usage = [
  'usage: npx tsx bench/fit-ranking.ts [--no-dense] [--model ID] [--keep-weights] [--ranking-only]',
  '  --no-dense: lexical signals only; --model: the embedding model (as EMBEDDING_MODEL, default the bundled one);',
  '  --keep-weights: keep the fusion weights and fit abstention only; --ranking-only: skip abstention',
].join('\n');
const args = scriptOptions(
  process.argv.slice(2),
  { 'no-dense': { type: 'boolean' }, model: { type: 'string' }, 'keep-weights': { type: 'boolean' }, 'ranking-only': { type: 'boolean' } },
  usage,
);
const dense = !args['no-dense'];
const modelArg = args.model;
const squad = path.resolve(import.meta.dirname, '../../shared/eval/squad');
if (!existsSync(squad)) {
  console.error(`skipped: fitting needs the SQuAD set at ${squad} (the shared data folder beside the checkout), which is absent`);
  process.exit(0);
}

async function buildIndex(files: string[], embedder: Embedder | null): Promise<SearchIndex> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fit-'));
  for (const f of files) symlinkSync(path.join(squad, 'data', f), path.join(dir, f));
  return buildSearchIndex((await readDataFolder(dir)).articles, embedder);
}

const retrieveFor = (index: SearchIndex, e: Embedder | null, q: string) => gatherCandidates(index, e, analyseQuestion(index, q));

const t0 = performance.now();
const embedder = dense ? await (await import('../src/engine/encoders/embedder')).loadEmbedder({ model: modelArg, cacheDir: path.resolve('.cache'), warn: printError }) : null;
const all = readdirSync(path.join(squad, 'data')).sort();
const even = all.filter((_, i) => i % 2 === 0);
const odd = all.filter((_, i) => i % 2 === 1);
const inCorpus = await buildIndex(all, embedder);
const offCorpus = await buildIndex(odd, embedder);
const questions = parseQuestions(readFileSync(path.join(squad, 'questions-dev.jsonl'), 'utf8'));
console.error(`indexes built in ${Math.round(performance.now() - t0)} ms; ${inCorpus.sentenceCount} + ${offCorpus.sentenceCount} sentences`);

async function retrieveAll(index: SearchIndex): Promise<Retrieval[]> {
  const out: Retrieval[] = [];
  for (const q of questions) out.push(await retrieveFor(index, embedder, q.question));
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
      return outcome(questions[i] as EvalQuestion, false, top.map((c) => ({ quote: inCorpus.text(c.sentence), file: inCorpus.articles[inCorpus.articleOf(c.sentence)].file })));
    }),
  );
}

// Coordinate ascent over the fusion weights (BM25 of the sentence fixed at 1), two rounds.
const WEIGHTS = ['paragraph', 'dense', 'coverage', 'phrase', 'titleCoverage'] as const;
const VALUES = [0, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3];
let best: RankingParameters = { ...DEFAULT_RANKING, sentence: 1 };
const objective = (p: RankingParameters) => {
  const s = rankingQuality(p, fitSet);
  return s.recallAt1 + s.mrrAt5;
};
let bestScore = objective(best);
for (let round = 0; round < (args['keep-weights'] ? 0 : 2); round++) {
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
console.log('  BM25 only   :', show(rankingQuality({ ...best, paragraph: 0, dense: 0, coverage: 0, phrase: 0, titleCoverage: 0 }, questions.map((_, i) => i))));

if (args['ranking-only']) process.exit(0);

// Abstention: logistic regression on the top candidate's absolute signals (coverage, cosine) and the corpus size.
// Large corpora: all articles (answerable) vs the odd-numbered ones (not). Small ones: a question over its own
// article alone (answerable) vs over one other article (not), so the model sees how size changes chance matches.
const single = new Map<string, SearchIndex>();
for (const f of all) single.set(f, await buildIndex([f], embedder));
type Example = { x: [number, number, number]; y: number; small: boolean };
const features = (r: Retrieval): [number, number, number] => {
  const top = fuse(r, best)[0];
  return top ? [top.coverage, Math.max(0, top.cosine), Math.log10(r.corpusSize)] : [0, 0, Math.log10(r.corpusSize)];
};
async function examples(ids: number[]): Promise<Example[]> {
  const out: Example[] = [];
  for (const i of ids) {
    const q = questions[i];
    out.push({ x: features(answerable[i]), y: 1, small: false }, { x: features(unanswerable[i]), y: 0, small: false });
    const other = odd[(even.indexOf(q.file!) + i) % odd.length];
    out.push({ x: features(await retrieveFor(single.get(q.file!)!, embedder, q.question)), y: 1, small: true });
    out.push({ x: features(await retrieveFor(single.get(other)!, embedder, q.question)), y: 0, small: true });
  }
  return out;
}
const train = await examples(fitSet);
const beta = [0, 0, 0, 0];
const predict = (x: number[]) => 1 / (1 + Math.exp(-(beta[0] + beta[1] * x[0] + beta[2] * x[1] + beta[3] * x[2])));
for (let epoch = 0; epoch < 4000; epoch++) {
  const g = [0, 0, 0, 0];
  for (const { x, y } of train) {
    const e = predict(x) - y;
    g[0] += e;
    g[1] += e * x[0];
    g[2] += e * x[1];
    g[3] += e * x[2];
  }
  for (let k = 0; k < 4; k++) beta[k] -= (4 / train.length) * g[k];
}
console.log('abstention model', JSON.stringify({ abstainBias: +beta[0].toFixed(3), abstainCoverage: +beta[1].toFixed(3), abstainCosine: +beta[2].toFixed(3), abstainCorpus: +beta[3].toFixed(3) }));
const test = await examples(testSet);
for (const threshold of [0.1, 0.2, 0.3, 0.4, 0.5]) {
  const line = [false, true].map((small) => {
    const rows = test.filter((t) => t.small === small);
    const pos = rows.filter((t) => t.y === 1);
    const neg = rows.filter((t) => t.y === 0);
    const answered = pos.filter((t) => predict(t.x) >= threshold).length / pos.length;
    const abstained = neg.filter((t) => predict(t.x) < threshold).length / neg.length;
    return `${small ? 'one article' : 'whole corpus'}: answers ${answered.toFixed(3)} of answerable, abstains on ${abstained.toFixed(3)} of unanswerable`;
  });
  console.log(`  threshold ${threshold} (held-out): ${line.join('; ')}`);
}
console.error(`took ${Math.round(performance.now() - t0)} ms`);
