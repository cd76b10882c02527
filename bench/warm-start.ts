/**
 * Where a warm start's time goes, and what a start costs end to end (time, peak RSS). A script, not a test.
 *
 *   npx tsx bench/warm-start.ts --data DIR [--cache DIR] [--phases]
 *
 * Without `--phases`: one `openEngine` on DIR with the cache folder as it is (run it twice: the first run fills
 * the caches), then the time to the first answer and the peak resident memory. With `--phases`: the build's steps
 * one by one (reading and splitting, tokenising, BM25, the FlexSearch vocabulary, sentence and word embeddings).
 */
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { scriptOptions } from '../src/cli/args';
import { openEngine } from '../src/engine';
import { readDataFolder } from '../src/engine/corpus/articles';
import { Bm25Index } from '../src/engine/retrieval/bm25';
import { commonWords } from '../src/engine/retrieval/dictionary';
import { loadEmbedder } from '../src/engine/encoders/embedder';
import { sentenceTexts } from '../src/engine/retrieval/sentence-table';
import { normalizeWord } from '../src/engine/corpus/text';
import { tokenise } from '../src/engine/retrieval/tokenise';
import { WordLookup } from '../src/engine/retrieval/word-lookup';
import { printError } from './print';

const usage = 'usage: npx tsx bench/warm-start.ts --data DIR [--cache DIR] [--phases]';
const values = scriptOptions(process.argv.slice(2), { data: { type: 'string' }, cache: { type: 'string' }, phases: { type: 'boolean' } }, usage, ['data']);
const dataDir = path.resolve(values.data);
const cacheDir = path.resolve(values.cache ?? path.join(os.tmpdir(), 'quotebot-warm-start-cache'));
mkdirSync(cacheDir, { recursive: true });
const warn = (m: string) => printError(`warning: ${m}`);
const mb = (n: number) => Math.round(n / 1024 / 1024);
const secs = (ms: number) => (ms / 1000).toFixed(2);
let peak = 0;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 50);

if (values.phases) {
  const times: Array<[string, number]> = [];
  const time = async <T>(name: string, f: () => T | Promise<T>): Promise<T> => {
    const t = performance.now();
    const out = await f();
    times.push([name, performance.now() - t]);
    return out;
  };
  const embedder = await time('model load', () => loadEmbedder({ cacheDir, warn }));
  const { articles } = await time('reading + splitting', () => readDataFolder(dataDir));
  const tokens = await time('tokenising', () => tokenise(articles));
  await time('BM25 (sentences + paragraphs)', () => {
    new Bm25Index(tokens.sentenceTerms, tokens.vocabulary.size);
    new Bm25Index(tokens.paragraphTerms, tokens.vocabulary.size);
  });
  await time('FlexSearch vocabulary', () => new WordLookup(tokens.vocabularyWords, commonWords()));
  const texts = sentenceTexts(articles, tokens.sentences, Array.from(tokens.sentences.article.keys()));
  await time('sentence embeddings (cache)', () => embedder.embed(texts));
  await time('word vectors (cache)', () => embedder.embed(tokens.vocabularyWords.map((w) => normalizeWord(w.word))));
  await embedder.flush();
  const total = times.reduce((s, [, ms]) => s + ms, 0);
  console.log(`${tokens.sentences.article.length} sentences, ${articles.length} articles, ${tokens.vocabulary.size} terms, ${tokens.vocabularyWords.length} words`);
  for (const [name, ms] of times) console.log(`${name.padEnd(32)} ${secs(ms).padStart(7)} s  ${((100 * ms) / total).toFixed(0).padStart(3)}%`);
} else {
  const t = performance.now();
  const engine = await openEngine({ dataDir, cacheDir, warn });
  const opened = performance.now() - t;
  await engine.ask('Who founded the university?');
  const answered = performance.now() - t;
  const { sentences, articles } = engine.status();
  peak = Math.max(peak, process.memoryUsage.rss());
  console.log(`${sentences} sentences, ${articles} articles: start ${secs(opened)} s, first answer ${secs(answered)} s, peak RSS ${mb(peak)} MB`);
}
clearInterval(sampler);
