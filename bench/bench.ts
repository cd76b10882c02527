/**
 * `npm run bench`: build time, answer quality and query latency on the SQuAD corpus (48 articles, ~10,000
 * sentences, 5,345 dev questions), for this engine and, on the same sentences and questions, for MiniSearch and
 * for FlexSearch alone. A script, not a test: its figures go into docs/measurements.md.
 *
 *   npm run bench [-- --limit N] [--model ID]
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import FlexSearch from 'flexsearch';
import MiniSearch from 'minisearch';
import { openEngine } from '../src/engine';
import { readDataFolder } from '../src/engine/corpus/articles';
import { outcome, parseQuestions, summarise, type EvalOutcome } from '../src/eval/scoring';
import { countOption, scriptOptions } from '../src/cli/args';
import { percentile } from '../src/percentiles';
import { printError } from './print';

const usage = 'usage: npm run bench [-- --limit N] [--model ID]';
const values = scriptOptions(process.argv.slice(2), { limit: { type: 'string' }, model: { type: 'string' } }, usage);
const limit = countOption(values.limit, '--limit', usage, Infinity);
const squad = path.resolve(import.meta.dirname, '../../shared/eval/squad');
if (!existsSync(squad)) {
  console.error(`skipped: the benchmark needs the SQuAD set at ${squad} (the shared data folder beside the checkout), which is absent`);
  process.exit(0);
}
const dataDir = path.join(squad, 'data');
const model = values.model ?? process.env.EMBEDDING_MODEL;
const questions = parseQuestions(readFileSync(path.join(squad, 'questions-dev.jsonl'), 'utf8')).slice(0, limit);

interface Row {
  system: string;
  build: string;
  r1: number;
  r3: number;
  mrr: number;
  p50: number;
  p95: number;
  mean: number;
}
const rows: Row[] = [];
const mb = (n: number) => `${Math.round(n / 1024 / 1024)} MB`;

async function measure(system: string, build: string, ask: (q: string) => Promise<Array<{ quote: string; file: string }>> | Array<{ quote: string; file: string }>) {
  const outcomes: EvalOutcome[] = [];
  const times: number[] = [];
  for (const q of questions) {
    const t = performance.now();
    const quotes = await ask(q.question);
    times.push(performance.now() - t);
    outcomes.push(outcome(q, quotes.length === 0, quotes));
  }
  const s = summarise(outcomes);
  rows.push({ system, build, r1: s.recallAt1, r3: s.recallAt3, mrr: s.mrrAt5, p50: percentile(times, 50) ?? NaN, p95: percentile(times, 95) ?? NaN, mean: times.reduce((a, b) => a + b, 0) / times.length });
  console.error(`${system}: done`);
}

// --- this engine: cold build (empty cache), warm build (cache filled), then the questions
const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'bench-cache-'));
let t = performance.now();
const engine = await openEngine({ dataDir, cacheDir, model, warn: (m) => printError(`warning: ${m}`) });
const cold = performance.now() - t;
t = performance.now();
const warmEngine = await openEngine({ dataDir, cacheDir, model, warn: () => {} });
const warm = performance.now() - t;
const status = warmEngine.status();
await measure(`this engine (${status.model})`, `cold ${(cold / 1000).toFixed(1)} s, warm ${(warm / 1000).toFixed(1)} s`, async (q) =>
  (await engine.ask(q, { top: 5 })).answers.map((a) => ({ quote: a.quote, file: a.source.file })),
);
const engineRss = process.memoryUsage().rss;
rmSync(cacheDir, { recursive: true, force: true });

// --- the same sentences for the baselines
const { articles } = await readDataFolder(dataDir);
const sentences = articles.flatMap((a) => a.sentences.map((s) => ({ quote: a.text.slice(s.start, s.end), file: a.file })));

t = performance.now();
const mini = new MiniSearch<{ id: number; text: string }>({ fields: ['text'], storeFields: [] });
mini.addAll(sentences.map((s, id) => ({ id, text: s.quote })));
const miniBuild = performance.now() - t;
await measure('MiniSearch 7 (defaults)', `${(miniBuild / 1000).toFixed(1)} s`, (q) =>
  mini.search(q).slice(0, 5).map((r) => sentences[r.id as number]),
);

t = performance.now();
const flex = new FlexSearch.Index({ preset: 'match' });
sentences.forEach((s, id) => flex.add(id, s.quote));
const flexBuild = performance.now() - t;
await measure('FlexSearch 0.8 alone (preset match)', `${(flexBuild / 1000).toFixed(1)} s`, (q) =>
  (flex.search(q, { limit: 5, suggest: true }) as number[]).map((id) => sentences[id]),
);

console.log(`SQuAD dev: ${questions.length} questions over ${articles.length} articles, ${sentences.length} sentences`);
console.log(`load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
console.log('| system | build | R@1 | R@3 | MRR@5 | p50 ms | p95 ms | mean ms |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const r of rows) {
  console.log(`| ${r.system} | ${r.build} | ${r.r1.toFixed(3)} | ${r.r3.toFixed(3)} | ${r.mrr.toFixed(3)} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.mean.toFixed(1)} |`);
}
console.log(`resident memory after the engine's questions: ${mb(engineRss)}; at the end: ${mb(process.memoryUsage().rss)}`);
