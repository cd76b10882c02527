/**
 * What a reload of one changed article costs. A script, not a test.
 *
 *   npx tsx bench/reload.ts --data DIR [--cache DIR] [--runs 3]
 *
 * Opens the engine on DIR (from its snapshot when there is one), then, `--runs` times: appends a sentence to one
 * article (a different one each run), reloads, checks that the new sentence is the first answer to a question
 * about it, and puts the file back (reloading again). DIR must be writable and is left as it was found; use a copy
 * of a shared corpus. Prints each reload's time, CPU time and the peak RSS.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseCommandLine } from '../src/cli/args';
import { openEngine } from '../src/engine';

const usage = 'usage: npx tsx bench/reload.ts --data DIR [--cache DIR] [--runs N]';
const { values } = parseCommandLine(
  process.argv.slice(2),
  { data: { type: 'string' }, cache: { type: 'string' }, runs: { type: 'string' } },
  usage,
);
if (!values.data) {
  console.error(usage);
  process.exit(2);
}
const dataDir = path.resolve(values.data);
const cacheDir = path.resolve(values.cache ?? path.join(os.tmpdir(), 'quotebot-reload-cache'));
const runs = Number(values.runs ?? 3);
let peak = 0;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 50);
const secs = (ms: number) => (ms / 1000).toFixed(2);

const t0 = performance.now();
const engine = await openEngine({ dataDir, cacheDir, warn: (m) => console.error(`warning: ${m}`) });
const { sentences, articles, lastReload } = engine.status();
console.log(`${sentences} sentences, ${articles} articles: opened in ${secs(performance.now() - t0)} s (${lastReload?.fromSnapshot ? 'from the snapshot' : 'built'})`);

const files = readdirSync(dataDir, { recursive: true, encoding: 'utf8' }).filter((f) => /\.(txt|md)$/.test(f)).sort();
/** Times one reload: wall and CPU milliseconds. */
async function timedReload(): Promise<{ ms: number; cpuMs: number; report: Awaited<ReturnType<typeof engine.reload>> }> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const report = await engine.reload();
  const used = process.cpuUsage(cpu);
  if (!report.ok) throw new Error(`reload failed: ${report.error}`);
  return { ms: performance.now() - start, cpuMs: (used.user + used.system) / 1000, report };
}

for (let run = 0; run < runs; run++) {
  const file = path.join(dataDir, files[Math.floor(((run + 0.5) * files.length) / runs)]);
  const original = readFileSync(file);
  const marker = `quartermaster${run}`;
  try {
    writeFileSync(file, Buffer.concat([original, Buffer.from(`\n\nThe ${marker} counted ${17 + run} crates of marmalade on the pier.\n`)]));
    const changed = await timedReload();
    const answer = await engine.ask(`How many crates of marmalade did the ${marker} count?`);
    const found = answer.answers[0]?.quote.includes(marker) ?? false;
    writeFileSync(file, original);
    const restored = await timedReload();
    console.log(
      `run ${run + 1}: ${path.relative(dataDir, file)} changed: reload ${secs(changed.ms)} s (CPU ${secs(changed.cpuMs)} s, ${changed.report.embedded} embedded, ` +
        `changed ${changed.report.changed.length}), new sentence first: ${found}; put back: reload ${secs(restored.ms)} s (CPU ${secs(restored.cpuMs)} s)`,
    );
  } finally {
    writeFileSync(file, original);
  }
}
clearInterval(sampler);
console.log(`peak RSS ${Math.round(Math.max(peak, process.memoryUsage.rss()) / 1024 / 1024)} MB; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
