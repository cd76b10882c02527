/**
 * A reload's index made from the previous one: only what the added and changed articles touch is computed. An
 * article reused unchanged (the same `Article` object as in the previous build) keeps its term ids (renumbered
 * into the new vocabulary), its sentence vectors and, above the dense index's threshold, its place in the
 * approximate graph; statistics (IDF, BM25 lengths, word counts) are recomputed over the whole new corpus. The
 * result answers exactly as `buildSearchIndex` over the same articles would (index-update.test.ts). Its long steps
 * run in slices (`runInSlices`): questions go on meanwhile, answered from the previous index, which nothing here
 * changes in a way it can see.
 */
import type { Article } from '../corpus/articles';
import { compact, type CompactVectors } from './dense-index';
import { embedTermWords } from './index-vectors';
import { lexicalParts, SearchIndex, type BuildOptions, type IndexEmbedder } from './search-index';
import { sentenceTexts } from './sentence-table';
import { termWordsOf, tokenising, type Tokenised } from './tokenise';
import type { VocabularyWord } from './word-lookup';
import { runInSlices, YIELD_EVERY, type Sliced } from '../slices';

/**
 * @param articles the new build's articles, in folder order; those unchanged are the previous build's objects
 * @example const next = await updateSearchIndex(index, [...index.articles.slice(1), freshlyRead], embedder)
 */
export async function updateSearchIndex(previous: SearchIndex, articles: Article[], embedder: IndexEmbedder | null, options: BuildOptions = {}): Promise<SearchIndex> {
  const tokens = await runInSlices(tokenising(articles, previous));
  const { dim } = previous;
  if (embedder && embedder.dim !== dim) throw new Error(`the embedder's dimension ${embedder.dim} is not the index's ${dim}`);

  // Sentence vectors: the previous build's rows for reused articles (their int8 codes and scales, copied as they
  // are), the model (through its cache) for the rest.
  const oldArticle = new Map(previous.articles.map((a, i) => [a, i]));
  const oldFirst = previous.parts.sentences.articleFirst;
  const { articleFirst } = tokens.sentences;
  const count = articleFirst[articles.length];
  const old = previous.dense.vectors;
  const vectors: CompactVectors = { codes: new Int8Array(count * dim), scales: new Float32Array(count) };
  const rowOf = new Int32Array(previous.sentenceCount).fill(-1);
  const added: number[] = [];
  articles.forEach((article, a) => {
    const [row, end] = [articleFirst[a], articleFirst[a + 1]];
    const was = oldArticle.get(article);
    if (was === undefined) for (let s = row; s < end; s++) added.push(s);
    else {
      const from = oldFirst[was];
      vectors.codes.set(old.codes.subarray(from * dim, (from + end - row) * dim), row * dim);
      vectors.scales.set(old.scales.subarray(from, from + end - row), row);
      for (let s = row; s < end; s++) rowOf[from + s - row] = s;
    }
  });
  let termVectors: Float32Array | null = null;
  let termWords: string[] | null = null;
  if (embedder) {
    const embedded = await embedder.embed(sentenceTexts(articles, tokens.sentences, added), {
      onProgress: (done, total) => options.onProgress?.('embedding', done, total),
      onComputed: options.onComputed,
      inSlices: true,
    });
    await runInSlices(compactRows(vectors, embedded, added, dim));
    options.onProgress?.('indexing', 0, articles.length);
    termVectors = await updatedTermVectors(previous, tokens, embedder, (words) => (termWords = words));
  }
  const dense = await previous.dense.updated(vectors, rowOf, Int32Array.from(added), {
    approximateFrom: options.approximateFrom,
    onProgress: (done, total) => options.onProgress?.('indexing', done, total),
  });
  const lexical = await runInSlices(lexicalParts(articles, tokens));
  // It adds the new words to the FlexSearch indexes the previous build shares: nothing that may fail comes after.
  const words = await runInSlices(previous.words.updating(tokens.vocabularyWords, tokens.vocabularyKeys));
  const index = new SearchIndex({ ...lexical, dim, dense, termVectors, words });
  if (termWords) termWordsCache.set(index, termWords);
  return index;
}

/**
 * The computed rows (`embedded`, in the order of `rows`) compacted into their places in `into`: row by row, as a fresh
 * build compacts them, so the same codes; `YIELD_EVERY` rows at a time (30,000 rows take ~0.1 s).
 */
function* compactRows(into: CompactVectors, embedded: Float32Array, rows: readonly number[], dim: number): Sliced<void> {
  for (let from = 0; from < rows.length; from += YIELD_EVERY) {
    const to = Math.min(rows.length, from + YIELD_EVERY);
    const some = compact(embedded.subarray(from * dim, to * dim), dim);
    for (let i = from; i < to; i++) {
      into.codes.set(some.codes.subarray((i - from) * dim, (i - from + 1) * dim), rows[i] * dim);
      into.scales[rows[i]] = some.scales[i - from];
    }
    yield;
  }
}

/** A file read again with the very same bytes (touched, copied over itself) is the previous build's article. */
export function sameObjects(articles: Article[], previous: readonly Article[]): Article[] {
  const byFile = new Map(previous.map((a) => [a.file, a]));
  return articles.map((a) => {
    const old = byFile.get(a.file);
    return old && old.fingerprint === a.fingerprint ? old : a;
  });
}

/** Each index's term → the word its vector is of ('' for none), kept for the reload after it. */
const termWordsCache = new WeakMap<SearchIndex, string[]>();

function wordOfTerm(vocabulary: ReadonlyMap<string, number>, words: readonly VocabularyWord[]): string[] {
  return Array.from(termWordsOf(vocabulary, words), (w) => (w < 0 ? '' : words[w].word));
}

/**
 * Term vectors: a term whose word (its commonest spelling) is the same as before keeps its vector; the rest are
 * embedded. Gives the new index's term words to `remember`.
 */
async function updatedTermVectors(previous: SearchIndex, tokens: Tokenised, embedder: IndexEmbedder, remember: (termWords: string[]) => void): Promise<Float32Array> {
  const { dim } = embedder;
  const termWords = termWordsOf(tokens.vocabulary, tokens.vocabularyWords);
  remember(Array.from(termWords, (w) => (w < 0 ? '' : tokens.vocabularyWords[w].word)));
  const oldTermWords = termWordsCache.get(previous) ?? wordOfTerm(previous.vocabulary, previous.words.words);
  const out = new Float32Array(termWords.length * dim);
  const embed: number[] = [];
  termWords.forEach((w, t) => {
    if (w < 0) return;
    const old = previous.vocabulary.get(tokens.termNames[t]);
    if (previous.termVectors && old !== undefined && oldTermWords[old] === tokens.vocabularyWords[w].word) {
      out.set(previous.termVectors.subarray(old * dim, (old + 1) * dim), t * dim);
    } else embed.push(t);
  });
  if (embed.length) await embedTermWords(out, embedder, tokens.vocabularyWords, termWords, embed, true);
  return out;
}
