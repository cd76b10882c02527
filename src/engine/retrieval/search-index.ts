/**
 * The in-memory index of one build of the data folder: sentences with their offsets, BM25 over sentences and
 * over paragraphs, the vocabulary lookup (FlexSearch), and one embedding per sentence. Immutable once built,
 * so a question in flight keeps the index it started with while a reload builds the next one aside.
 */
import type { Article } from '../corpus/articles';
import { Bm25Index } from './bm25';
import { compact, DenseIndex, type CompactVectors } from './dense-index';
import type { QueryTerm, WordVectors } from './query';
import { listOf, metaOf, servedArticles, type ParagraphTable, type SentenceTable, type TermLists } from './sentence-table';
import { termWordsOf, tokenising, type IndexedSentence, type Tokenised } from './tokenise';
import { compactSentenceVectors, embedTermWords } from './index-vectors';
import { WordLookup } from './word-lookup';
import { commonWords } from './dictionary';
import { runInSlices, type Sliced } from '../slices';

export type { IndexedSentence };

/** What retrieval knows about one candidate sentence; the linear fusion and the ranker score it. */
export interface Candidate {
  sentence: number;
  /** BM25 of the sentence, and of its paragraph, for the question's terms. */
  bm25: number;
  paragraphBm25: number;
  /** Share of the question's IDF mass that the sentence matches (0..1): how much of the question it covers. */
  coverage: number;
  /** Cosine similarity of the sentence and question embeddings. */
  cosine: number;
  /** Share of the question's adjacent term pairs that stand together in the sentence (copied phrases). */
  phrase: number;
  /** Share of the question's IDF mass found in the article's title (the question names the article's topic). */
  titleCoverage: number;
}

export interface Retrieval {
  terms: QueryTerm[];
  candidates: Candidate[];
  /** Highest BM25 and paragraph BM25 over all sentences, for normalisation. */
  maxBm25: number;
  maxParagraphBm25: number;
  /** How many sentences were searched: chance matches grow with it, so abstention weighs it. */
  corpusSize: number;
  /** The question's cosine to a sentence, computed when asked (null without a question embedding). */
  cosine: ((sentence: number) => number) | null;
  /** Embeddings of the question words the corpus lacks (for word alignment). */
  unknown: WordVectors;
}

const LEXICAL_CANDIDATES = 200;
const DENSE_CANDIDATES = 100;

/** What building an index needs of the embedding model. */
export interface IndexEmbedder {
  readonly dim: number;
  embed(
    texts: string[],
    options?: { onProgress?: (done: number, total: number) => void; onComputed?: (count: number) => void; inSlices?: boolean },
  ): Promise<Float32Array>;
}

export interface BuildOptions {
  onProgress?: (phase: 'embedding' | 'indexing', done: number, total: number) => void;
  /** From how many sentences on the dense candidates come from an approximate index (default `APPROXIMATE_FROM`; tests set it low). */
  approximateFrom?: number;
  /** Sentences the model computed (not found in its cache), as they are; vocabulary words are not counted. */
  onComputed?: (count: number) => void;
}

/**
 * Builds the index of `articles`: tokenises them, embeds their sentences and their vocabulary's words (for
 * expanding question words the corpus lacks, and for word alignment). Without an embedder the index is lexical only.
 * @example const index = await buildSearchIndex(articles, embedder)
 */
export async function buildSearchIndex(articles: Article[], embedder: IndexEmbedder | null, options: BuildOptions = {}): Promise<SearchIndex> {
  // In two steps, so the tokens and the float32 vectors are garbage before the approximate index is built (the
  // peak of a cold build at a million sentences).
  const { vectors, ...parts } = await lexicalAndVectors(articles, embedder, options);
  const dense = await DenseIndex.fromCompact(vectors, parts.dim, {
    approximateFrom: options.approximateFrom,
    onProgress: (done, total) => options.onProgress?.('indexing', done, total),
  });
  return new SearchIndex({ ...parts, dense });
}

/** Everything but the dense index, and the sentence vectors in compact form. */
async function lexicalAndVectors(articles: Article[], embedder: IndexEmbedder | null, options: BuildOptions): Promise<Omit<IndexParts, 'dense'> & { vectors: CompactVectors }> {
  // In slices, as a reload's: the bot, logged in, answers "still starting" meanwhile (done at once, the tokens, the
  // texts to embed and the word lookup of a cold 250,000-sentence build held the thread 0.5-0.9 s each).
  const tokens = await runInSlices(tokenising(articles));
  const dim = embedder?.dim ?? 1;
  const count = tokens.sentences.article.length;
  let vectors: CompactVectors = compact(new Float32Array(count), 1);
  let termVectors: Float32Array | null = null;
  if (embedder) {
    vectors = await compactSentenceVectors(articles, tokens.sentences, count, embedder, options);
    options.onProgress?.('indexing', 0, articles.length);
    const termWords = termWordsOf(tokens.vocabulary, tokens.vocabularyWords);
    termVectors = new Float32Array(termWords.length * embedder.dim);
    await embedTermWords(termVectors, embedder, tokens.vocabularyWords, termWords, [...termWords.keys()].filter((t) => termWords[t] >= 0));
  }
  const lexical = await runInSlices(lexicalParts(articles, tokens));
  return { ...lexical, dim, vectors, termVectors, words: await runInSlices(WordLookup.building(tokens.vocabularyWords, commonWords())) };
}

/** What both builders (this one, `updateSearchIndex`) make the same way from tokenised articles. */
export function* lexicalParts(articles: readonly Article[], tokens: Tokenised): Sliced<Omit<IndexParts, 'dim' | 'dense' | 'termVectors' | 'words'>> {
  const { sentences, paragraphs } = tokens;
  // The served articles make their spans from the tables when asked: the read ones' span objects can go.
  const served = servedArticles(articles.map(metaOf), articles.map((a) => a.text), sentences, paragraphs);
  yield; // each part takes ~20–40 ms after a 5 MB upload: a reload gives a turn between them
  const sentenceBm25 = new Bm25Index(tokens.sentenceTerms, tokens.vocabulary.size);
  yield;
  const paragraphBm25 = new Bm25Index(tokens.paragraphTerms, tokens.vocabulary.size);
  return {
    articles: served,
    sentences,
    paragraphs,
    termNames: tokens.termNames,
    sentenceTerms: tokens.sentenceTerms,
    paragraphTerms: tokens.paragraphTerms,
    titleTerms: tokens.titleTerms,
    sentenceBm25,
    paragraphBm25,
    wordForms: tokens.wordForms,
  };
}

/** Everything an index is made of: built by `buildSearchIndex`, or read back from a snapshot (`snapshot.ts`). */
export interface IndexParts {
  articles: Article[];
  /** Every sentence's article, offsets and global paragraph; every paragraph's span (`sentence-table.ts`). */
  sentences: SentenceTable;
  paragraphs: ParagraphTable;
  /** Term id → term (stemmed). */
  termNames: string[];
  /** Term ids of each sentence, and of each global paragraph, in text order. */
  sentenceTerms: TermLists;
  paragraphTerms: TermLists;
  titleTerms: Set<number>[];
  dim: number;
  /**
   * One L2-normalised embedding per sentence, in article then sentence order, in compact form (zeros without a
   * model), and their nearest neighbours: an exact scan, or an approximate index for large corpora (`dense-index.ts`).
   */
  dense: DenseIndex;
  /** One embedding per term id (its commonest spelling's), for word alignment and expansion; null without a model. */
  termVectors: Float32Array | null;
  sentenceBm25: Bm25Index;
  paragraphBm25: Bm25Index;
  /** The vocabulary in FlexSearch, for completion and typo correction. */
  words: WordLookup;
  /** Every word as written with its occurrences (what `words` is made from), kept for the next reload. */
  wordForms: ReadonlyMap<string, number>;
}

/**
 * The index of one build. Immutable: a question in flight keeps the index it started with while a reload builds
 * the next one aside.
 */
export class SearchIndex {
  readonly articles: Article[];
  private readonly sentences: SentenceTable;
  /** Term → term id. */
  readonly vocabulary: Map<string, number>;
  /** Term id → term (stemmed). */
  readonly termNames: readonly string[];
  readonly words: WordLookup;
  readonly wordForms: ReadonlyMap<string, number>;
  private readonly sentenceBm25: Bm25Index;
  private readonly paragraphBm25: Bm25Index;
  private readonly paragraphOf: Int32Array;
  /** First sentence of each global paragraph, -1 for a paragraph without sentences. */
  private readonly paragraphFirst: Int32Array;
  private readonly sentenceTerms: TermLists;
  private readonly paragraphTerms: TermLists;
  private readonly titleTerms: Set<number>[];
  readonly dim: number;
  readonly termVectors: Float32Array | null;
  readonly dense: DenseIndex;
  /** Exact nearest terms over `termVectors` (a native scan: the vocabulary of a million sentences is ~10^5 words). */
  private readonly termIndex: DenseIndex | null;

  /** Use `buildSearchIndex` (or `readSnapshot`). */
  constructor(readonly parts: IndexParts) {
    ({ articles: this.articles, sentences: this.sentences, termNames: this.termNames, words: this.words, wordForms: this.wordForms } = parts);
    ({ sentenceBm25: this.sentenceBm25, paragraphBm25: this.paragraphBm25, titleTerms: this.titleTerms } = parts);
    ({ sentenceTerms: this.sentenceTerms, paragraphTerms: this.paragraphTerms } = parts);
    ({ dim: this.dim, termVectors: this.termVectors, dense: this.dense } = parts);
    if (this.dense.size !== this.sentenceCount || this.dense.dim !== this.dim) {
      throw new Error(`embeddings do not match sentences (${this.dense.size} vectors of dimension ${this.dense.dim} for ${this.sentenceCount})`);
    }
    this.vocabulary = new Map(this.termNames.map((term, id) => [term, id]));
    this.termIndex = this.termVectors ? DenseIndex.exact(this.termVectors, this.dim) : null;
    this.paragraphOf = this.sentences.paragraph;
    this.paragraphFirst = new Int32Array(this.paragraphTerms.ends.length).fill(-1);
    for (let i = this.sentenceCount - 1; i >= 0; i--) this.paragraphFirst[this.paragraphOf[i]] = i;
  }

  get sentenceCount(): number {
    return this.sentences.article.length;
  }

  /** One sentence's article, offsets, global paragraph and position in its article (made when asked). */
  sentence(sentence: number): IndexedSentence {
    const { article, start, end, paragraph, articleFirst } = this.sentences;
    const a = article[sentence];
    return { article: a, start: start[sentence], end: end[sentence], paragraph: paragraph[sentence], position: sentence - articleFirst[a] };
  }

  /** The article a sentence stands in. */
  articleOf(sentence: number): number {
    return this.sentences.article[sentence];
  }

  /** How many sentences an article has. */
  sentencesIn(article: number): number {
    return this.sentences.articleFirst[article + 1] - this.sentences.articleFirst[article];
  }

  /** Term ids of a sentence in text order (a view: do not change it). */
  sentenceTermsOf(sentence: number): Int32Array {
    return listOf(this.sentenceTerms, sentence);
  }

  /** Term ids of a global paragraph in text order (a view: do not change it). */
  paragraphTermsOf(paragraph: number): Int32Array {
    return listOf(this.paragraphTerms, paragraph);
  }

  /** The exact text of a sentence. */
  text(sentence: number): string {
    const { article, start, end } = this.sentences;
    return this.articles[article[sentence]].text.slice(start[sentence], end[sentence]);
  }

  /** The sentences of a global paragraph (they are consecutive). */
  paragraphSentences(paragraph: number): number[] {
    const out: number[] = [];
    let first = this.paragraphFirst[paragraph];
    if (first < 0) return out;
    while (first < this.sentenceCount && this.paragraphOf[first] === paragraph) out.push(first++);
    return out;
  }

  /** How many sentences of its paragraph stand before this one. */
  positionInParagraph(sentence: number): number {
    return sentence - this.paragraphFirst[this.paragraphOf[sentence]];
  }

  /** Inverse document frequency of a term over sentences. */
  idf(term: number): number {
    return this.sentenceBm25.idf(term);
  }

  /**
   * Corpus terms closest in meaning to a word's embedding (at least `minSimilarity`), best first.
   * @example index.nearestTerms(await embedder.embed(['truce']), 2, 0.5) // [{ term: 'ceasefir', … }]
   */
  nearestTerms(vector: Float32Array, k: number, minSimilarity: number): Array<{ term: string; id: number; similarity: number }> {
    const terms = this.termIndex;
    if (!terms) return [];
    // A few more than k, re-scored in double precision: the scan ranks by float32 similarities.
    return terms
      .search(vector, k + 2)
      .map((hit) => ({ term: this.termNames[hit.id], id: hit.id, similarity: terms.similarity(vector, hit.id) }))
      .filter((t) => t.similarity >= minSimilarity)
      .sort((a, b) => b.similarity - a.similarity || a.id - b.id)
      .slice(0, k);
  }

  /**
   * Candidates from BM25 and from the embeddings, with the signals the linear fusion uses.
   * @param terms the question's terms, expanded (`expandTerms`)
   * @param queryVector the question's embedding, or null (lexical only)
   * @param unknown embeddings of the question words the corpus lacks, kept for word alignment
   */
  retrieve(terms: QueryTerm[], queryVector: Float32Array | null, unknown: WordVectors = new Map()): Retrieval {
    const known = terms.filter((t) => t.id >= 0);
    const knownIds = known.map((t) => t.id);
    const weights = known.map((t) => t.weight);
    // The best sentences by BM25 (pruned, exact), and the best paragraph's score for normalising; the other
    // candidates' scores are computed from their own terms.
    const lexical = this.sentenceBm25.top(knownIds, weights, LEXICAL_CANDIDATES);
    const maxBm25 = lexical[0]?.score ?? 0;
    const maxParagraphBm25 = this.paragraphBm25.top(knownIds, weights, 1)[0]?.score ?? 0;
    const sentenceScores = new Map(lexical.map((s) => [s.doc, s.score]));
    const paragraphScores = new Map<number, number>();
    const paragraphScore = (paragraph: number): number => {
      let score = paragraphScores.get(paragraph);
      if (score === undefined) {
        score = this.paragraphBm25.scoreOf(paragraph, this.paragraphTermsOf(paragraph), knownIds, weights);
        paragraphScores.set(paragraph, score);
      }
      return score;
    };

    const pool = new Set<number>(sentenceScores.keys());
    // Exact below DenseIndex's threshold, approximate (usearch) above it; every cosine is from the compact vectors.
    const cosine = queryVector ? (sentence: number) => this.dense.similarity(queryVector, sentence) : null;
    if (queryVector) for (const hit of this.dense.search(queryVector, DENSE_CANDIDATES)) pool.add(hit.id);

    const idfOf = (t: QueryTerm) => this.sentenceBm25.idf(t.id) * t.weight;
    // Expansions can add to what a sentence covers, never to what the question asks.
    const totalIdf = terms.reduce((sum, t) => sum + (t.expansion ? 0 : idfOf(t)), 0);
    const pairs = adjacentPairs(terms);
    const titleMatch = new Map<number, number>();
    const candidates: Candidate[] = [];
    for (const sentence of pool) {
      const ids = this.sentenceTermsOf(sentence);
      const article = this.sentences.article[sentence];
      let title = titleMatch.get(article);
      if (title === undefined) {
        const set = this.titleTerms[article];
        title = totalIdf > 0 ? known.reduce((sum, t) => sum + (set.has(t.id) ? idfOf(t) : 0), 0) / totalIdf : 0;
        titleMatch.set(article, title);
      }
      let matched = 0;
      for (const t of known) if (ids.includes(t.id)) matched += idfOf(t);
      candidates.push({
        sentence,
        bm25: sentenceScores.get(sentence) ?? this.sentenceBm25.scoreOf(sentence, ids, knownIds, weights),
        paragraphBm25: paragraphScore(this.paragraphOf[sentence]),
        coverage: totalIdf > 0 ? Math.min(1, matched / totalIdf) : 0,
        cosine: cosine ? cosine(sentence) : 0,
        phrase: pairs.length ? pairs.filter(([a, b]) => hasPair(ids, a, b)).length / pairs.length : 0,
        titleCoverage: title,
      });
    }
    return { terms, candidates, maxBm25, maxParagraphBm25, corpusSize: this.sentenceCount, cosine, unknown };
  }
}

/** Consecutive known question terms, as id pairs ("Super Bowl" → [super, bowl]). */
function adjacentPairs(terms: QueryTerm[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let i = 0; i + 1 < terms.length; i++) {
    if (terms[i].id >= 0 && terms[i + 1].id >= 0) out.push([terms[i].id, terms[i + 1].id]);
  }
  return out;
}

/** Whether `b` follows `a` in the sentence's terms, next or next but one (stopwords are already out). */
function hasPair(ids: Int32Array, a: number, b: number): boolean {
  for (let i = 0; i < ids.length; i++) {
    if (ids[i] !== a) continue;
    if (ids[i + 1] === b || ids[i + 2] === b) return true;
  }
  return false;
}
