/**
 * What a reload queued behind a running one costs when articles are added while it waits. A script, not a test.
 *
 *   npx tsx bench/queued-reload.ts --data DIR [--cache DIR] [--runs 5] [--add-paragraphs 1]
 *
 * DIR is made when missing: the seed articles (data/) plus one small article per paragraph of a 30,000-sentence
 * corpus (bench/make-corpus.ts; a few thousand files). Each run: a moderator's /reload starts a build; once it has
 * read the folder, a second /reload queues behind it, then two /article adds save their files (each of
 * `--add-paragraphs` corpus paragraphs) and reload with their reading (`alreadyRead`), joining the queued build.
 * The running build is held in its read of a changed file (test/hold-file.ts: Linux, python3) until all have asked.
 * Prints the queued build's time and how many files it read and parsed; the adds are then taken away again.
 * The first run warms the embedding cache and is not counted.
 */
import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { countOption, scriptOptions } from '../src/cli/args';
import { openEngine, type ReloadReport } from '../src/engine';
import { readArticle } from '../src/engine/corpus/articles';
import { holdFile } from '../test/hold-file';
import { makeCorpus } from './make-corpus';
import { printError } from './print';

const usage = 'usage: npx tsx bench/queued-reload.ts --data DIR [--cache DIR] [--runs N] [--add-paragraphs N]';
const values = scriptOptions(
  process.argv.slice(2),
  { data: { type: 'string' }, cache: { type: 'string' }, runs: { type: 'string' }, 'add-paragraphs': { type: 'string' } },
  usage,
  ['data'],
);
const dataDir = path.resolve(values.data);
const cacheDir = path.resolve(values.cache ?? path.join(os.tmpdir(), 'quotebot-queued-reload-cache'));
const runs = countOption(values.runs, '--runs', usage, 5);
const addParagraphs = countOption(values['add-paragraphs'], '--add-paragraphs', usage, 1);

/** Paragraphs of the corpus files, each file's title line dropped. */
async function paragraphsOf(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const file of (await readdir(dir, { recursive: true })).sort()) {
    if (!file.endsWith('.txt')) continue;
    out.push(...(await readFile(path.join(dir, file), 'utf8')).split(/\n\s*\n/).slice(1).map((p) => p.trim()).filter(Boolean));
  }
  return out;
}

const corpus = path.join(os.tmpdir(), 'quotebot-queued-reload-corpus');
if (!existsSync(corpus)) await makeCorpus({ sentences: 30_000, out: corpus });
const paragraphs = await paragraphsOf(corpus);
if (!existsSync(dataDir)) {
  await cp(path.resolve(import.meta.dirname, '../data'), dataDir, { recursive: true });
  await mkdir(path.join(dataDir, 'small'));
  await Promise.all(paragraphs.map((p, i) => writeFile(path.join(dataDir, 'small', `p${String(i).padStart(5, '0')}.txt`), `Part ${i}\n\n${p}\n`)));
}
const added = ['added-a.txt', 'added-b.txt'];
const addedText = (k: number) => `Added article ${k}\n\n${paragraphs.slice(k * addParagraphs, (k + 1) * addParagraphs).join('\n\n')}\n`;
const removeAdded = () => Promise.all(added.map((f) => rm(path.join(dataDir, f), { force: true })));

await removeAdded();
const t0 = performance.now();
const engine = await openEngine({ dataDir, cacheDir, warn: (m) => printError(`warning: ${m}`) });
const { articles, sentences } = engine.status();
console.log(`${articles} articles, ${sentences} sentences: opened in ${((performance.now() - t0) / 1000).toFixed(1)} s; adds of ${addParagraphs} paragraph(s) each`);

const changed = path.join(dataDir, 'small', 'p00000.txt');
const changedText = await readFile(changed, 'utf8');
const times: number[] = [];
for (let run = 0; run <= runs; run++) {
  // The running build waits in its read of a changed file (held: test/hold-file.ts), its folder key already taken.
  await writeFile(changed, `${changedText}\nRun ${run} of the queued reload bench.\n`);
  const hold = await holdFile(changed);
  const running = engine.reload({ requestedBy: { id: 'first', name: 'first' } });
  await hold.opened;
  const reloads: Promise<ReloadReport>[] = [engine.reload({ requestedBy: { id: 'second', name: 'second' } })];
  for (const [k, file] of added.entries()) {
    await writeFile(path.join(dataDir, file), addedText(k));
    reloads.push(engine.reload({ requestedBy: { id: `add ${k}`, name: `add ${k}` }, alreadyRead: [await readArticle(dataDir, file)] }));
  }
  hold.release();
  await running;
  const reports = await Promise.all(reloads);
  const queued = reports.at(-1)!;
  if (reports.some((r) => r.builtAt !== queued.builtAt)) throw new Error('the running build ended before the adds joined the queued one: use a larger folder');
  if (!queued.ok || queued.articles !== articles + added.length) throw new Error(`unexpected queued build: ${JSON.stringify(queued)}`);
  console.log(`run ${run}${run === 0 ? ' (warm-up)' : ''}: queued build ${queued.tookMs} ms, ${queued.filesRead} file(s) read and parsed, ${queued.embedded} sentences embedded`);
  if (run > 0) times.push(queued.tookMs);
  await removeAdded();
  await engine.reload();
}
times.sort((a, b) => a - b);
console.log(`queued build median ${times[Math.floor(times.length / 2)]} ms (min ${times[0]}, max ${times.at(-1)}) over ${times.length} runs`);
await writeFile(changed, changedText);
await engine.reload();
await engine.snapshotWritten(30_000);
