/**
 * A reload's index made from the previous one: only what the added and changed articles touch is computed. An
 * article reused unchanged (the same `Article` object as in the previous build) keeps its term ids (renumbered
 * into the new vocabulary), its sentence vectors and, above the dense index's threshold, its place in the
 * approximate graph; statistics (IDF, BM25 lengths, word counts) are recomputed over the whole new corpus. The
 * result answers exactly as `buildSearchIndex` over the same articles would (index-update.test.ts).
 */
import type { Article } from './articles';
import type { DenseIndex } from './dense-index';
import { assembleIndex, embedTermWords, type BuildOptions, type IndexEmbedder, type SearchIndex } from './search-index';
import { termWordsOf, tokenise, type Tokenised } from './tokenise';
import type { VocabularyWord } from './word-lookup';

/**
 * @param articles the new build's articles, in folder order; those unchanged are the previous build's objects
 * @example const next = await updateSearchIndex(index, [...index.articles.slice(1), freshlyRead], embedder)
 */
export async function updateSearchIndex(previous: SearchIndex, articles: Article[], embedder: IndexEmbedder | null, options: BuildOptions = {}): Promise<SearchIndex> {
  const tokens = tokenise(articles, previous);
  const { dim } = previous;
  if (embedder && embedder.dim !== dim) throw new Error(`the embedder's dimension ${embedder.dim} is not the index's ${dim}`);

  // Sentence vectors: the previous build's rows for reused articles, the model (through its cache) for the rest.
  const oldArticle = new Map(previous.articles.map((a, i) => [a, i]));
  const oldFirst = firstSentences(previous.articles);
  const vectors = new Float32Array(tokens.sentences.length * dim);
  const rowOf = new Int32Array(previous.sentences.length).fill(-1);
  const added: number[] = [];
  let row = 0;
  for (const article of articles) {
    const old = oldArticle.get(article);
    const count = article.sentences.length;
    if (old === undefined) for (let i = 0; i < count; i++) added.push(row + i);
    else {
      vectors.set(previous.vectors.subarray(oldFirst[old] * dim, (oldFirst[old] + count) * dim), row * dim);
      for (let i = 0; i < count; i++) rowOf[oldFirst[old] + i] = row + i;
    }
    row += count;
  }
  let termVectors: Float32Array | null = null;
  let termWords: string[] | null = null;
  if (embedder) {
    const texts = added.map((s) => articles[tokens.sentences[s].article].text.slice(tokens.sentences[s].start, tokens.sentences[s].end));
    const embedded = await embedder.embed(texts, {
      onProgress: (done, total) => options.onProgress?.('embedding', done, total),
      onComputed: options.onComputed,
    });
    added.forEach((s, i) => vectors.set(embedded.subarray(i * dim, (i + 1) * dim), s * dim));
    options.onProgress?.('indexing', 0, articles.length);
    termVectors = await updatedTermVectors(previous, tokens, embedder, (words) => (termWords = words));
  }
  const dense = await previous.dense.updated(vectors, rowOf, Int32Array.from(added), {
    approximateFrom: options.approximateFrom,
    onProgress: (done, total) => options.onProgress?.('indexing', done, total),
  });
  const index = assembleIndex(articles, tokens, {
    vectors,
    dim,
    dense,
    termVectors,
    // It adds the new words to the FlexSearch indexes the previous build shares: nothing that may fail comes after.
    words: previous.words.updated(tokens.vocabularyWords, tokens.vocabularyKeys),
  });
  if (termWords) termWordsCache.set(index, termWords);
  return index;
}

/** The dense index of `vectors` (rows of `articles`' sentences), from the previous index's: the same file with the same bytes has the same rows. */
export function denseFromPrevious(previous: SearchIndex, vectors: Float32Array, articles: Article[]): Promise<DenseIndex> {
  const old = new Map(previous.articles.map((a, i) => [`${a.file}\0${a.fingerprint}`, i]));
  const first = firstSentences(previous.articles);
  const rowOf = new Int32Array(previous.sentences.length).fill(-1);
  const added: number[] = [];
  let row = 0;
  for (const a of articles) {
    const i = old.get(`${a.file}\0${a.fingerprint}`);
    for (let s = 0; s < a.sentences.length; s++) {
      if (i === undefined) added.push(row + s);
      else rowOf[first[i] + s] = row + s;
    }
    row += a.sentences.length;
  }
  return previous.dense.updated(vectors, rowOf, Int32Array.from(added));
}

/** A file read again with the very same bytes (touched, copied over itself) is the previous build's article. */
export function sameObjects(articles: Article[], previous: readonly Article[]): Article[] {
  const byFile = new Map(previous.map((a) => [a.file, a]));
  return articles.map((a) => {
    const old = byFile.get(a.file);
    return old && old.fingerprint === a.fingerprint ? old : a;
  });
}

/** Each article's first sentence in the index's numbering. */
function firstSentences(articles: readonly Article[]): Int32Array {
  const out = new Int32Array(articles.length);
  for (let a = 1; a < articles.length; a++) out[a] = out[a - 1] + articles[a - 1].sentences.length;
  return out;
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
  if (embed.length) await embedTermWords(out, embedder, tokens.vocabularyWords, termWords, embed);
  return out;
}
