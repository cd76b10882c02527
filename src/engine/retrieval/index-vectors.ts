/**
 * The embeddings an index is built with: one compact vector per sentence, and one vector per term (its commonest
 * spelling's), shared by a fresh build (`search-index.ts`) and a reload's update (`index-update.ts`).
 */
import type { Article } from '../corpus/articles';
import { compact, type CompactVectors } from './dense-index';
import type { BuildOptions, IndexEmbedder } from './search-index';
import { sentenceTexts, type SentenceTable } from './sentence-table';
import { normalizeWord } from '../corpus/text';
import type { VocabularyWord } from './word-lookup';

/**
 * The first `count` sentences' vectors in compact form. A function of its own so that the sentence texts and the
 * float32 vectors are garbage when it returns, before the lexical structures are built (the cold build's peak).
 */
export async function compactSentenceVectors(
  articles: Article[],
  sentences: SentenceTable,
  count: number,
  embedder: IndexEmbedder,
  options: BuildOptions,
): Promise<CompactVectors> {
  const texts = sentenceTexts(articles, sentences, Array.from({ length: count }, (_, s) => s));
  const vectors = await embedder.embed(texts, {
    onProgress: (done, total) => options.onProgress?.('embedding', done, total),
    onComputed: options.onComputed,
    inSlices: true,
  });
  return compact(vectors, embedder.dim);
}

/** Fills the rows `terms` of `into` with the vectors of their words (`termWords`, from `termWordsOf`). */
export async function embedTermWords(
  into: Float32Array,
  embedder: IndexEmbedder,
  words: readonly VocabularyWord[],
  termWords: Int32Array,
  terms: number[],
  inSlices = false,
): Promise<void> {
  const { dim } = embedder;
  const vectors = await embedder.embed(
    terms.map((t) => normalizeWord(words[termWords[t]].word)),
    { inSlices },
  );
  terms.forEach((t, i) => into.set(vectors.subarray(i * dim, (i + 1) * dim), t * dim));
}
