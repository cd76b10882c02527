/**
 * A deterministic corpus for benchmarks at scale: about N sentences of article files built from the SQuAD train
 * paragraphs (`../shared/train/squad-train.jsonl.gz`) in varied copies, plus the 48 SQuAD dev articles unchanged,
 * so the dev questions can be asked inside a big corpus and against their own articles alone.
 *
 *   npx tsx bench/make-corpus.ts --sentences 100000 --out /tmp/quotebot-corpus-100k
 *
 * Layout: the dev articles at the top of the folder under their own names (so the questions' `file` still
 * matches), the train copies under `train/cNN/<article>.txt`. Copy 0 is the train text as is; each later copy swaps
 * capitalised words (names, places) for others of the corpus and shifts numbers, deterministically per copy, so
 * copies are near-duplicates that differ where a quiz question would look (who, where, how many), not identical
 * files. The same N always gives the same files. Sentences are counted with the engine's splitter, so "about N"
 * is close to what the engine indexes (headline-less or caption-like paragraphs make a small difference).
 */
import { createReadStream, existsSync } from 'node:fs';
import { cp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { countOption, scriptOptions } from '../src/cli/args';
import { splitSentences } from '../src/engine/corpus/sentences';

const SHARED = path.resolve(import.meta.dirname, '../../shared');
export const TRAIN_FILE = path.join(SHARED, 'train/squad-train.jsonl.gz');
export const DEV_DATA = path.join(SHARED, 'eval/squad/data');

/** FNV-1a over a string, seeded: the only source of "randomness", so every run gives the same corpus. */
function hash(text: string, seed: number): number {
  let h = (2166136261 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  return h;
}

interface TrainArticle {
  title: string;
  paragraphs: string[];
}

async function readTrain(file: string): Promise<TrainArticle[]> {
  const byTitle = new Map<string, string[]>();
  const lines = createInterface({ input: createReadStream(file).pipe(createGunzip()), crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line.trim()) continue;
    const { title, context } = JSON.parse(line) as { title: string; context: string };
    const list = byTitle.get(title) ?? [];
    list.push(context.replace(/\s+/g, ' ').trim());
    byTitle.set(title, list);
  }
  return [...byTitle].map(([title, paragraphs]) => ({ title: title.replace(/_/g, ' '), paragraphs }));
}

const CAPITALISED = /\b[A-Z][a-z]{2,}\b/g;

/** Rewrites text for copy `c`: about half the capitalised words swapped for others of the pool, numbers shifted. */
function vary(text: string, c: number, pool: string[]): string {
  if (c === 0) return text;
  return text
    .replace(CAPITALISED, (w) => {
      const h = hash(w, c);
      return h & 1 ? pool[(h >>> 1) % pool.length] : w;
    })
    .replace(/\b\d{1,6}\b/g, (d) => String(Number(d) + c));
}

function slug(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'article';
}

const sentenceCount = (text: string) => splitSentences(text).length;

/**
 * Writes the corpus; returns how many sentences (by the engine's splitter) and files it holds.
 * @example await makeCorpus({ sentences: 100_000, out: '/tmp/quotebot-corpus-100k' }) // { sentences: 100012, files: … }
 */
export async function makeCorpus(options: { sentences: number; out: string }): Promise<{ sentences: number; files: number; copies: number }> {
  const { out } = options;
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  let total = 0;
  let files = 0;
  for (const f of (await readdir(DEV_DATA)).sort()) {
    await cp(path.join(DEV_DATA, f), path.join(out, f));
    const text = await readFile(path.join(DEV_DATA, f), 'utf8');
    total += sentenceCount(text.slice(text.indexOf('\n') + 1));
    files++;
  }
  const train = await readTrain(TRAIN_FILE);
  const pool = [...new Set(train.flatMap((a) => a.paragraphs.flatMap((p) => p.match(CAPITALISED) ?? [])))].sort();
  let copy = 0;
  for (; total < options.sentences; copy++) {
    const dir = path.join(out, 'train', `c${String(copy).padStart(2, '0')}`);
    await mkdir(dir, { recursive: true });
    for (const [i, article] of train.entries()) {
      if (total >= options.sentences) break;
      const paragraphs: string[] = [];
      for (const p of article.paragraphs) {
        if (total >= options.sentences) break;
        const varied = vary(p, copy, pool);
        paragraphs.push(varied);
        total += sentenceCount(varied);
      }
      const title = copy === 0 ? article.title : `${vary(article.title, copy, pool)} (${copy})`;
      await writeFile(path.join(dir, `${String(i).padStart(3, '0')}-${slug(article.title)}.txt`), `${title}\n\n${paragraphs.join('\n\n')}\n`);
      files++;
    }
  }
  return { sentences: total, files, copies: copy };
}

if (import.meta.filename === process.argv[1] || process.argv[1]?.endsWith('make-corpus.ts')) {
  const usage = 'usage: npx tsx bench/make-corpus.ts [--sentences 100000] [--out DIR]';
  const values = scriptOptions(process.argv.slice(2), { sentences: { type: 'string', default: '100000' }, out: { type: 'string' } }, usage);
  const sentences = countOption(values.sentences, '--sentences', usage, 100_000);
  if (!existsSync(TRAIN_FILE) || !existsSync(DEV_DATA)) {
    console.error(`skipped: ${TRAIN_FILE} or ${DEV_DATA} is missing (../shared must be beside the checkout)`);
    process.exit(0);
  }
  const out = values.out ?? `/tmp/quotebot-corpus-${sentences >= 1e6 ? `${sentences / 1e6}m` : `${Math.round(sentences / 1000)}k`}`;
  const t = performance.now();
  const made = await makeCorpus({ sentences, out });
  console.error(`${out}: ${made.sentences.toLocaleString('en-US')} sentences in ${made.files} files (${made.copies} train copies) in ${((performance.now() - t) / 1000).toFixed(1)} s`);
}
