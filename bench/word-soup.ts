/**
 * The word-soup signal (src/engine/corpus/word-soup.ts) over real sources and generated soups: per source, the
 * determiners directly followed by a word, the share of them followed by a function word, and the worst share in
 * any window of W consecutive determiners. What the rule's window and threshold were chosen from.
 *
 *   npx tsx bench/word-soup.ts [--shared ../shared] [--windows 50,100,200] [--train]
 *   npx tsx bench/word-soup.ts --write /tmp/corpus/soup.txt --megabytes 4.5   (one soup file, one paragraph, seed 7)
 *
 * Real: every source of data/, the seed files, the SQuAD dev articles, the news passages (read in place, nothing
 * written) and, with --train, the SQuAD train articles. Soups (test/word-soup.ts, seeded): random words of the seed
 * articles at several sizes, each real article's sentences with their words shuffled, word runs of 2 and 3 shuffled,
 * and a seed article with a soup appended. Folders that do not exist are skipped with a message.
 */
import { createReadStream, existsSync } from 'node:fs';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { refuseUsage, scriptOptions } from '../src/cli/args';
import { parseArticleLayout } from '../src/engine/corpus/articles';
import { determinerFollowers, SOUP_MIN_FOLLOWED, SOUP_WINDOW, wordSoupReason, worstWindow } from '../src/engine/corpus/word-soup';
import { percentile } from '../src/percentiles';
import { randomWordSoup, shuffledRuns, shuffledSentences } from '../test/word-soup';

const usage = 'usage: npx tsx bench/word-soup.ts [--shared DIR] [--windows 50,100,200] [--train] | --write FILE [--megabytes 4.5]';
const options = scriptOptions(process.argv.slice(2), {
  shared: { type: 'string' },
  windows: { type: 'string' },
  train: { type: 'boolean' },
  write: { type: 'string' },
  megabytes: { type: 'string' },
}, usage);
const SHARED = path.resolve(options.shared ?? path.join(import.meta.dirname, '../../shared'));
const WINDOWS = (options.windows ?? '50,100,200').split(',').map(Number);
if (WINDOWS.some((w) => !Number.isInteger(w) || w < 1)) refuseUsage(`--windows takes whole numbers from 1, comma-separated, not '${options.windows}'`, usage);

interface Source {
  name: string;
  text: string;
  /** `.txt` or `.md`: how the engine's reader lays it out. */
  file: string;
}

interface Measured {
  determiners: number;
  share: number;
  /** Worst window share per window size, null when too few determiners to fill one. */
  worst: Array<number | null>;
  /** Judged word soup by the engine's rule (`wordSoupReason`). */
  soup: boolean;
}

function measure(source: Source): Measured | null {
  let article;
  try {
    article = parseArticleLayout(source.file, new TextEncoder().encode(source.text));
  } catch {
    return null; // not an article at all (refused for another reason)
  }
  const flags = determinerFollowers(article.text, article.paragraphs);
  const hits = flags.reduce((a, b) => a + b, 0);
  return {
    determiners: flags.length,
    share: flags.length ? hits / flags.length : 0,
    worst: WINDOWS.map((w) => {
      const n = worstWindow(flags, w);
      return n === null ? null : n.followed / w;
    }),
    soup: wordSoupReason(article.text, article.paragraphs) !== null,
  };
}

async function folder(dir: string): Promise<Source[]> {
  if (!existsSync(dir)) {
    process.stdout.write(`${dir}: skipped (not found)\n`);
    return [];
  }
  const names = (await readdir(dir)).filter((n) => /\.(txt|md)$/.test(n)).sort();
  return Promise.all(names.map(async (n) => ({ name: n, file: n, text: await readFile(path.join(dir, n), 'utf8') })));
}

async function squadTrain(): Promise<Source[]> {
  const file = path.join(SHARED, 'train/squad-train.jsonl.gz');
  if (!existsSync(file)) return [];
  const byTitle = new Map<string, string[]>();
  for await (const line of createInterface({ input: createReadStream(file).pipe(createGunzip()), crlfDelay: Infinity })) {
    if (!line.trim()) continue;
    const { title, context } = JSON.parse(line) as { title: string; context: string };
    byTitle.set(title, [...(byTitle.get(title) ?? []), context.trim()]);
  }
  return [...byTitle].map(([title, paragraphs]) => ({ name: title, file: 'a.txt', text: `${title}\n\n${paragraphs.join('\n\n')}\n` }));
}

const f = (x: number | null) => (x === null ? '–' : x.toFixed(3));

function report(group: string, sources: Source[]): void {
  const rows = sources.map((s) => ({ s, m: measure(s) })).filter((r): r is { s: Source; m: Measured } => r.m !== null);
  if (rows.length === 0) return;
  const dist = (values: number[]) =>
    values.length ? `min ${f(Math.min(...values))} p1 ${f(percentile(values, 1))} p50 ${f(percentile(values, 50))} p99 ${f(percentile(values, 99))} max ${f(Math.max(...values))}` : 'none';
  const dets = rows.map((r) => r.m.determiners);
  process.stdout.write(`${group}: ${rows.length} sources; determiners min ${Math.min(...dets)} p50 ${percentile(dets, 50)} max ${Math.max(...dets)}\n`);
  process.stdout.write(`  whole-source share: ${dist(rows.map((r) => r.m.share))}\n`);
  WINDOWS.forEach((w, i) => {
    const judged = rows.flatMap((r) => (r.m.worst[i] === null ? [] : [r.m.worst[i]!]));
    process.stdout.write(`  worst window of ${w}: judged ${judged.length}/${rows.length}; ${dist(judged)}\n`);
  });
  process.stdout.write(`  word soup by the rule (${SOUP_MIN_FOLLOWED} of ${SOUP_WINDOW}): ${rows.filter((r) => r.m.soup).length}/${rows.length}\n`);
}

if (options.write) {
  const seeds = await folder(path.join(import.meta.dirname, '../data'));
  const megabytes = Number(options.megabytes ?? '4.5');
  if (!(megabytes > 0 && megabytes <= 100)) refuseUsage(`--megabytes takes a number above 0 and up to 100, not '${options.megabytes}'`, usage);
  const bytes = megabytes * 1e6;
  await writeFile(options.write, soupOfBytes(seeds.map((s) => s.text), bytes, Infinity));
  process.stdout.write(`${options.write}: a random-word soup of the seed articles, ${(bytes / 1e6).toFixed(1)} MB\n`);
  process.exit(0);
}

const real: Array<[string, Source[]]> = [
  ['data/', await folder(path.join(import.meta.dirname, '../data'))],
  ['seeds', await folder(path.join(SHARED, 'seeds'))],
  ['SQuAD dev articles', await folder(path.join(SHARED, 'eval/squad/data'))],
  ['news files', await folder(path.join(SHARED, 'eval/news/data'))],
];
if (options.train) real.push(['SQuAD train articles', await squadTrain()]);
for (const [group, sources] of real) report(group, sources);

// The seed articles: ../shared/seeds, or data/ (the same files) on a clone without it.
const seedSources = real[1][1].length ? real[1][1] : real[0][1];
const seedTexts = seedSources.map((s) => s.text);
const squadDev = real[2][1];
const sizes = [200, 500, 1000, 2000, 5000, 20000, 100000];
for (const size of sizes) {
  const seeds = size <= 5000 ? 20 : 3;
  report(`random-word soup, ${size} words`, Array.from({ length: seeds }, (_, i) => ({ name: `${size}/${i}`, file: 'soup.txt', text: randomWordSoup(seedTexts, size, i + 1, 2000) })));
}
report('random-word soup, 4.5 MB', [{ name: '4.5MB', file: 'soup.txt', text: soupOfBytes(seedTexts, 4.5e6, 2000) }]);
for (const [group, sources] of real.slice(1)) {
  report(`${group}, words shuffled within each sentence`, sources.map((s, i) => ({ ...s, text: shuffledSentences(s.text, i + 1) })));
}
for (const run of [2, 3, 4]) {
  report(`seed + SQuAD dev, runs of ${run} words shuffled`, [...seedSources, ...squadDev].map((s, i) => ({ ...s, file: 'soup.txt', text: shuffledRuns([s.text], run, i + 1) })));
}
for (const size of [300, 1000, 3000]) {
  report(`seed article + ${size}-word soup appended`, seedSources.flatMap((s, i) =>
    Array.from({ length: 10 }, (_, k) => ({ ...s, text: `${s.text.trimEnd()}\n\n${randomWordSoup(seedTexts, size, 100 * i + k + 1, 2000).split('\n\n').slice(1).join('\n\n')}` })),
  ));
}

/** A random-word soup of `sources` of about `bytes` bytes (the size measured in docs/measurements.md), seed 7. */
function soupOfBytes(sources: string[], bytes: number, perParagraph: number): string {
  const sample = randomWordSoup(sources, 10000, 7, perParagraph);
  return randomWordSoup(sources, Math.round((10000 * bytes) / sample.length), 7, perParagraph);
}
