/**
 * The engine at scale: cold build, warm start, peak memory, time per question and SQuAD dev R@1 inside a big
 * corpus (bench/make-corpus.ts: SQuAD train paragraphs in varied copies + the SQuAD dev articles) against the same
 * questions over the dev articles alone. Each measurement runs in its own process, so peak RSS is that step's own.
 *
 *   npx tsx bench/scale.ts --sentences 100000 [--limit 2000]      # makes /tmp/quotebot-corpus-100k if missing
 *   npx tsx bench/scale.ts --data /tmp/quotebot-corpus-1m --limit 1000
 *   npx tsx bench/scale.ts --data /tmp/quotebot-corpus-1m --cache /tmp/my-cache-1m --warm-only   # reuse a build
 *
 * `--sentences N` sizes the corpus this script makes; `--data DIR` measures a corpus as it stands, whose size is its
 * own: the two together are refused (exit 2) rather than one silently ignored.
 *
 * By default both corpora are built in fresh temporary cache folders, removed afterwards. `--cache DIR` keeps the
 * big corpus's cache (embeddings, snapshot) in DIR, so a second run starts warm; `--warm-only` skips the cold build.
 *
 * Needs ../shared (the SQuAD files); without it, says so and exits 0.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { countOption, refuseUsage, scriptOptions } from '../src/cli/args';
import { openEngine } from '../src/engine';
import { outcome, parseQuestions, summarise, type EvalOutcome } from '../src/eval/scoring';
import { percentile } from '../src/percentiles';
import { DEV_DATA, makeCorpus, TRAIN_FILE } from './make-corpus';
import { print, printError } from './print';

const usage = 'usage: npm run bench:scale -- [--sentences N | --data DIR] [--limit N] [--cache DIR] [--warm-only]';
const values = scriptOptions(
  process.argv.slice(2),
  {
    sentences: { type: 'string' },
    data: { type: 'string' },
    limit: { type: 'string', default: '2000' },
    cache: { type: 'string' },
    'warm-only': { type: 'boolean' },
    // Internal: one step in a child process.
    step: { type: 'string' },
  },
  usage,
);
const limit = countOption(values.limit, '--limit', usage, 2000);
const corpusSentences = countOption(values.sentences, '--sentences', usage, 100_000);
if (values.sentences !== undefined && values.data !== undefined) {
  refuseUsage('--sentences sizes the corpus this script makes; --data DIR is measured as it stands: give one or the other', usage);
}
const QUESTIONS = path.join(DEV_DATA, '..', 'questions-dev.jsonl');

interface StepResult {
  openMs: number;
  sentences: number;
  articles: number;
  maxRssMb: number;
  r1?: number;
  p50?: number;
  p95?: number;
  questions?: number;
}

/** One step: open the engine (cold or warm, depending on the cache), then optionally ask the questions. */
async function step(dataDir: string, cacheDir: string, ask: boolean): Promise<StepResult> {
  const t = performance.now();
  const engine = await openEngine({ dataDir, cacheDir, warn: (m) => printError(`warning: ${m}`) });
  const openMs = performance.now() - t;
  const { sentences, articles } = engine.status();
  const result: StepResult = { openMs, sentences, articles, maxRssMb: 0 };
  if (ask) {
    const questions = parseQuestions(readFileSync(QUESTIONS, 'utf8')).slice(0, limit);
    const outcomes: EvalOutcome[] = [];
    const times: number[] = [];
    for (const q of questions) {
      const s = performance.now();
      const answer = await engine.ask(q.question, { top: 5 });
      times.push(performance.now() - s);
      outcomes.push(outcome(q, answer.abstained, answer.answers.map((a) => ({ quote: a.quote, file: a.source.file }))));
    }
    Object.assign(result, { r1: summarise(outcomes).recallAt1, p50: percentile(times, 50), p95: percentile(times, 95), questions: questions.length });
  }
  result.maxRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  return result;
}

function runStep(name: string, dataDir: string, cacheDir: string): StepResult {
  const out = execFileSync(process.execPath, [...process.execArgv, import.meta.filename, '--step', name, '--data', dataDir, '--cache', cacheDir, '--limit', values.limit], {
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 20,
  });
  return JSON.parse(String(out).trim().split('\n').at(-1)!) as StepResult;
}

if (values.step) {
  const result = await step(values.data!, values.cache!, values.step !== 'cold');
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}

if (!existsSync(TRAIN_FILE) || !existsSync(QUESTIONS)) {
  printError(`skipped: the SQuAD files are missing (${TRAIN_FILE}, ${QUESTIONS}); ../shared must be beside the checkout`);
  process.exit(0);
}
let dataDir = values.data;
if (!dataDir) {
  dataDir = `/tmp/quotebot-corpus-${corpusSentences >= 1e6 ? `${corpusSentences / 1e6}m` : `${Math.round(corpusSentences / 1000)}k`}`;
  if (!existsSync(dataDir)) printError(`made ${dataDir}: ${JSON.stringify(await makeCorpus({ sentences: corpusSentences, out: dataDir }))}`);
}
const cacheDir = values.cache ? path.resolve(values.cache) : mkdtempSync(path.join(os.tmpdir(), 'scale-cache-'));
const devCache = mkdtempSync(path.join(os.tmpdir(), 'scale-dev-cache-'));
try {
  const cold = values['warm-only'] ? null : runStep('cold', dataDir, cacheDir);
  if (cold) printError(`cold build done: ${(cold.openMs / 1000).toFixed(1)} s`);
  const warm = runStep('warm', dataDir, cacheDir);
  const alone = runStep('dev-alone', DEV_DATA, devCache);
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  print(`${path.basename(dataDir)}: ${warm.sentences.toLocaleString('en-US')} sentences in ${warm.articles} articles; ${warm.questions} SQuAD dev questions (top 5, abstention on); load average ${load}`);
  print('| corpus | sentences | cold build | warm start | peak RSS cold / warm | question p50 / p95 ms | SQuAD dev R@1 |');
  print('| --- | --- | --- | --- | --- | --- | --- |');
  print(`| big corpus | ${warm.sentences.toLocaleString('en-US')} | ${cold ? s(cold.openMs) : '–'} | ${s(warm.openMs)} | ${cold?.maxRssMb ?? '–'} / ${warm.maxRssMb} MB | ${warm.p50!.toFixed(1)} / ${warm.p95!.toFixed(1)} | ${warm.r1!.toFixed(3)} |`);
  print(`| dev articles alone | ${alone.sentences.toLocaleString('en-US')} | – | ${s(alone.openMs)} (cold) | – / ${alone.maxRssMb} MB | ${alone.p50!.toFixed(1)} / ${alone.p95!.toFixed(1)} | ${alone.r1!.toFixed(3)} |`);
} finally {
  if (!values.cache) rmSync(cacheDir, { recursive: true, force: true });
  rmSync(devCache, { recursive: true, force: true });
}
