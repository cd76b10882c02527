/**
 * What a reload of one changed article costs. A script, not a test.
 *
 *   npx tsx bench/reload.ts --data DIR [--cache DIR] [--runs 3] [--index-only]
 *
 * Opens the engine on DIR (from its snapshot when there is one), then, `--runs` times: appends a sentence to one
 * article (a different one each run), reloads, checks that the new sentence is the first answer to a question
 * about it, and puts the file back (reloading again). DIR must be writable and is left as it was found; use a copy
 * of a shared corpus. Prints each reload's time, CPU time and the peak RSS; through the engine, also how long each
 * reload's snapshot took to write in the background after it and the longest the event loop was blocked meanwhile
 * (questions wait that long: the approximate index is saved in one native call).
 *
 * `--index-only` does what a reload does below the engine (list and stat the folder, read the changed file,
 * `updateSearchIndex`) on an index built with the exact dense scan: above 200,000 sentences the engine's first
 * build also makes the approximate graph (about 10 minutes at a million), which a reload then only filters and
 * extends (`DenseIndex.updated`), so the graph changes nothing in what is measured here but the wait before it.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { countOption, scriptOptions } from '../src/cli/args';
import { openEngine } from '../src/engine';
import { answerQuestion } from '../src/engine/answer';
import { DEFAULT_MAX_FILE_BYTES, readDataFolder } from '../src/engine/corpus/articles';
import { loadEmbedder } from '../src/engine/encoders/embedder';
import { updateSearchIndex } from '../src/engine/retrieval/index-update';
import { loadModelParameters } from '../src/engine/ranking/parameters';
import { buildSearchIndex } from '../src/engine/retrieval/search-index';
import { folderKey } from '../src/engine/snapshot/snapshot';
import { unchangedSince } from '../src/engine/unchanged-since';
import { printError } from './print';

const usage = 'usage: npx tsx bench/reload.ts --data DIR [--cache DIR] [--runs N] [--index-only]';
const values = scriptOptions(
  process.argv.slice(2),
  { data: { type: 'string' }, cache: { type: 'string' }, runs: { type: 'string' }, 'index-only': { type: 'boolean' } },
  usage,
  ['data'],
);
const dataDir = path.resolve(values.data);
const cacheDir = path.resolve(values.cache ?? path.join(os.tmpdir(), 'quotebot-reload-cache'));
const runs = countOption(values.runs, '--runs', usage, 3);
let peak = 0;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 50);
const secs = (ms: number) => (ms / 1000).toFixed(2);

type Reloaded = { ok: boolean; error?: string; embedded: number; changed: string[] };
interface Opened {
  reload(): Promise<Reloaded>;
  ask(question: string): Promise<string | undefined>;
  /** Waits for the snapshot written after a reload (the engine's); null without one. */
  snapshotWritten: (() => Promise<boolean>) | null;
}
/** The engine, or the same steps below it (`--index-only`). */
async function open(): Promise<Opened> {
  const t0 = performance.now();
  const warn = (m: string) => printError(`warning: ${m}`);
  if (!values['index-only']) {
    const engine = await openEngine({ dataDir, cacheDir, warn });
    const { sentences, articles, lastReload } = engine.status();
    console.log(`${sentences} sentences, ${articles} articles: opened in ${secs(performance.now() - t0)} s (${lastReload?.fromSnapshot ? 'from the snapshot' : 'built'})`);
    return { reload: () => engine.reload(), ask: async (q) => (await engine.ask(q)).answers[0]?.quote, snapshotWritten: () => engine.snapshotWritten(600_000) };
  }
  const embedder = await loadEmbedder({ cacheDir, warn });
  const parameters = loadModelParameters(embedder.folder, embedder.model, warn);
  const maxFileBytes = DEFAULT_MAX_FILE_BYTES;
  let key = await folderKey(dataDir, embedder.id, maxFileBytes);
  let index = await buildSearchIndex((await readDataFolder(dataDir, maxFileBytes)).articles, embedder, { approximateFrom: Infinity });
  await embedder.flush();
  console.log(`${index.sentenceCount} sentences, ${index.articles.length} articles: built in ${secs(performance.now() - t0)} s (index only, exact dense scan)`);
  return {
    async reload() {
      let embedded = 0;
      const now = await folderKey(dataDir, embedder.id, maxFileBytes);
      const { articles } = await readDataFolder(dataDir, maxFileBytes, unchangedSince({ key, articles: index.articles }, now));
      const changed = articles.filter((a) => !index.articles.includes(a)).map((a) => a.file);
      index = await updateSearchIndex(index, articles, embedder, { approximateFrom: Infinity, onComputed: (n) => (embedded += n) });
      key = now;
      return { ok: true, embedded, changed };
    },
    ask: async (q) => (await answerQuestion(index, { embedder, parameters, crossEncoder: null }, q, 3)).quotes[0]?.quote,
    snapshotWritten: null,
  };
}
const engine = await open();

const files = readdirSync(dataDir, { recursive: true, encoding: 'utf8' }).filter((f) => /\.(txt|md)$/.test(f)).sort();
/** Times one reload: wall and CPU milliseconds; then its snapshot's writing, and the event loop's longest block meanwhile. */
async function timedReload(): Promise<{ ms: number; cpuMs: number; report: Reloaded; snapshot: string }> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const report = await engine.reload();
  const used = process.cpuUsage(cpu);
  if (!report.ok) throw new Error(`reload failed: ${report.error}`);
  const ms = performance.now() - start;
  let snapshot = '';
  if (engine.snapshotWritten) {
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const written = performance.now();
    await engine.snapshotWritten();
    delay.disable();
    snapshot = `, snapshot ${secs(performance.now() - written)} s (event loop blocked up to ${Math.round(delay.max / 1e6)} ms)`;
  }
  return { ms, cpuMs: (used.user + used.system) / 1000, report, snapshot };
}

for (let run = 0; run < runs; run++) {
  const file = path.join(dataDir, files[Math.floor(((run + 0.5) * files.length) / runs)]);
  const original = readFileSync(file);
  const marker = `quartermaster${run}`;
  let restored = false;
  try {
    writeFileSync(file, Buffer.concat([original, Buffer.from(`\n\nThe ${marker} counted ${17 + run} crates of marmalade on the pier.\n`)]));
    const changed = await timedReload();
    const found = (await engine.ask(`How many crates of marmalade did the ${marker} count?`))?.includes(marker) ?? false;
    writeFileSync(file, original);
    restored = true;
    const back = await timedReload();
    console.log(
      `run ${run + 1}: ${path.relative(dataDir, file)} changed: reload ${secs(changed.ms)} s (CPU ${secs(changed.cpuMs)} s, ${changed.report.embedded} embedded, ` +
        `changed ${changed.report.changed.length}${changed.snapshot}), new sentence first: ${found}; put back: reload ${secs(back.ms)} s (CPU ${secs(back.cpuMs)} s${back.snapshot})`,
    );
  } finally {
    if (!restored) writeFileSync(file, original);
  }
}
clearInterval(sampler);
console.log(`peak RSS ${Math.round(Math.max(peak, process.memoryUsage.rss()) / 1024 / 1024)} MB; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
