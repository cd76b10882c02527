/**
 * The in-memory index of one build of the data folder: sentences with their offsets, BM25 over sentences and
 * over paragraphs, the vocabulary lookup (FlexSearch), and one embedding per sentence. Immutable once built,
 * so a question in flight keeps the index it started with while a reload builds the next one aside.
 */
import type { Article } from './articles';
import { Bm25Index, topK } from './bm25';
import { termOf, words, normalizeWord } from './text';
import { WordLookup, type VocabularyWord } from './word-lookup';
import { commonWords } from './dictionary';

export interface IndexedSentence {
  article: number;
  start: number;
  end: number;
  /** Global paragraph number (across articles). */
  paragraph: number;
  /** Position of the sentence within its article's sentence list. */
  position: number;
}

/** What retrieval knows about one candidate sentence; `rank` in ranking.ts turns it into one score. */
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
  title: number;
}

/** A question term as used for scoring: corrected terms weigh less than typed ones. */
export interface QueryTerm {
  term: string;
  id: number;
  weight: number;
  /** A corpus word standing in for a question word the corpus lacks ("channel" → "CNN"), by word-vector similarity. */
  expansion?: boolean;
  /** For a question word the corpus lacks (and that is no typo of a corpus word): the word, normalised. */
  unknownWord?: string;
}

/** Embeddings of question words the corpus lacks, to find corpus words of similar meaning. */
export type WordVectors = Map<string, Float32Array>;

const HOW_MEASURES = new Set(['long', 'far', 'old', 'often', 'big', 'large', 'tall', 'high', 'soon', 'late', 'early', 'fast', 'wide', 'deep']);
const EXPANSIONS_PER_WORD = 2;
const EXPANSION_MIN_SIMILARITY = 0.5;
const EXPANSION_WEIGHT = 0.5;

export interface Retrieval {
  terms: QueryTerm[];
  candidates: Candidate[];
  /** Highest BM25 and paragraph BM25 over all sentences, for normalisation. */
  maxBm25: number;
  maxParagraphBm25: number;
  /** How many sentences were searched: chance matches grow with it, so abstention weighs it. */
  corpusSize: number;
}

const LEXICAL_CANDIDATES = 200;
const DENSE_CANDIDATES = 100;

export class SearchIndex {
  readonly sentences: IndexedSentence[] = [];
  readonly vocabulary = new Map<string, number>();
  private readonly termNames: string[] = [];
  readonly words: WordLookup;
  private readonly sentenceBm25: Bm25Index;
  private readonly paragraphBm25: Bm25Index;
  private readonly paragraphOf: Int32Array;
  private readonly sentenceTerms: Int32Array[];
  private readonly titleTerms: Set<number>[];
  /** One embedding per vocabulary word (`words.words` order) and its term id; set by `setWordVectors`. */
  private wordVectors: Float32Array | null = null;
  private wordTermIds: Int32Array | null = null;
  private vocabularyKeys: string[] | undefined;

  /**
   * @param articles parsed articles, in a stable order
   * @param vectors one L2-normalised embedding per sentence, in article then sentence order (n × dim)
   */
  constructor(
    readonly articles: Article[],
    readonly vectors: Float32Array,
    readonly dim: number,
  ) {
    const sentenceTerms: number[][] = [];
    const paragraphTerms: number[][] = [];
    const surface = new Map<string, number>(); // word as written -> occurrences
    articles.forEach((article, a) => {
      const paragraphBase = paragraphTerms.length;
      for (let p = 0; p < article.paragraphs.length; p++) paragraphTerms.push([]);
      article.sentences.forEach((s, position) => {
        const ids: number[] = [];
        for (const w of words(article.text.slice(s.start, s.end))) {
          const t = termOf(w.word);
          if (!t) continue;
          ids.push(this.termId(t));
          surface.set(w.word, (surface.get(w.word) ?? 0) + 1);
        }
        sentenceTerms.push(ids);
        paragraphTerms[paragraphBase + s.paragraph].push(...ids);
        this.sentences.push({ article: a, start: s.start, end: s.end, paragraph: paragraphBase + s.paragraph, position });
      });
    });
    if (vectors.length !== this.sentences.length * dim) {
      throw new Error(`embeddings do not match sentences (${vectors.length / dim} vectors for ${this.sentences.length})`);
    }
    this.sentenceTerms = sentenceTerms.map((t) => Int32Array.from(t));
    this.titleTerms = articles.map((a) => new Set(words(a.title).flatMap((w) => {
      const t = termOf(w.word);
      return t ? [this.termId(t)] : [];
    })));
    this.sentenceBm25 = new Bm25Index(sentenceTerms, this.vocabulary.size);
    this.paragraphBm25 = new Bm25Index(paragraphTerms, this.vocabulary.size);
    this.paragraphOf = Int32Array.from(this.sentences, (s) => s.paragraph);
    this.words = new WordLookup(vocabularyWords(surface), commonWords());
  }

  private termId(term: string): number {
    let id = this.vocabulary.get(term);
    if (id === undefined) {
      id = this.vocabulary.size;
      this.vocabulary.set(term, id);
      this.termNames.push(term);
    }
    return id;
  }

  /** The exact text of a sentence. */
  text(sentence: number): string {
    const s = this.sentences[sentence];
    return this.articles[s.article].text.slice(s.start, s.end);
  }

  /** The vocabulary words to embed for `setWordVectors`, in order. */
  vocabularyWords(): string[] {
    this.vocabularyKeys ??= this.words.words.map((w) => normalizeWord(w.word));
    return this.vocabularyKeys;
  }

  /** Attaches the vocabulary's word embeddings (before the index serves), enabling expansion of unknown words. */
  setWordVectors(vectors: Float32Array): void {
    const words = this.vocabularyWords();
    if (vectors.length !== words.length * this.dim) throw new Error('word vectors do not match the vocabulary');
    this.wordVectors = vectors;
    this.wordTermIds = Int32Array.from(words, (w) => {
      const t = termOf(w);
      return t === null ? -1 : (this.vocabulary.get(t) ?? -1);
    });
  }

  /** Question words neither in the corpus nor a typo of a corpus word: the ones worth embedding for expansion. */
  unknownWords(terms: QueryTerm[]): string[] {
    if (!this.wordVectors) return [];
    return [...new Set(terms.flatMap((t) => (t.unknownWord ? [t.unknownWord] : [])))].slice(0, 3);
  }

  /** Corpus words closest in meaning to an unknown word, with their similarity. */
  private neighbours(vector: Float32Array): Array<{ id: number; similarity: number }> {
    const { wordVectors, wordTermIds, dim } = this;
    if (!wordVectors || !wordTermIds) return [];
    const best: Array<{ id: number; similarity: number }> = [];
    for (let w = 0, o = 0; w < wordTermIds.length; w++, o += dim) {
      if (wordTermIds[w] < 0) continue;
      let dot = 0;
      for (let j = 0; j < dim; j++) dot += wordVectors[o + j] * vector[j];
      if (dot < EXPANSION_MIN_SIMILARITY) continue;
      best.push({ id: wordTermIds[w], similarity: dot });
    }
    best.sort((a, b) => b.similarity - a.similarity);
    return best.slice(0, EXPANSIONS_PER_WORD);
  }

  /**
   * The question's terms: typed terms the corpus has, plus typo corrections (FlexSearch lookup) for those it has not.
   * @example index.queryTerms('How long did Obama and Ptuin meet?') // obama, putin (corrected), meet, long
   */
  queryTerms(question: string): QueryTerm[] {
    const out: QueryTerm[] = [];
    const seen = new Set<string>();
    const push = (term: string, weight: number, unknownWord?: string) => {
      if (seen.has(term)) return;
      seen.add(term);
      out.push({ term, id: this.vocabulary.get(term) ?? -1, weight, ...(unknownWord ? { unknownWord } : {}) });
    };
    let previous = '';
    for (const { word } of words(question)) {
      const term = termOf(word);
      // "How long", "how far": the adjective asks for a measure and seldom stands in the answer.
      const weight = previous === 'how' && HOW_MEASURES.has(normalizeWord(word)) ? 0.3 : 1;
      previous = normalizeWord(word);
      if (!term) continue;
      if (this.vocabulary.has(term)) {
        push(term, weight);
        continue;
      }
      const fixes = this.words.correct(word, 1);
      const fixed = fixes.length ? termOf(fixes[0].word) : null;
      if (fixed && this.vocabulary.has(fixed)) push(fixed, 0.8);
      else push(term, 1, normalizeWord(word)); // unknown to the corpus: counts against coverage
    }
    return out;
  }

  /** The terms with, after each unknown word that has an embedding, the corpus words closest to it in meaning. */
  private expand(terms: QueryTerm[], unknown: WordVectors): QueryTerm[] {
    if (unknown.size === 0) return terms;
    const out: QueryTerm[] = [];
    const seen = new Set(terms.map((t) => t.term));
    for (const t of terms) {
      out.push(t);
      const vector = t.unknownWord ? unknown.get(t.unknownWord) : undefined;
      if (!vector) continue;
      for (const n of this.neighbours(vector)) {
        const term = this.termNames[n.id];
        if (seen.has(term)) continue;
        seen.add(term);
        out.push({ term, id: n.id, weight: n.similarity * EXPANSION_WEIGHT, expansion: true });
      }
    }
    return out;
  }

  /**
   * Candidates from BM25 and from the embeddings, with every feature the ranking uses.
   * @param questionTerms from `queryTerms`
   * @param unknown embeddings of `unknownWords(questionTerms)`, for expansion
   */
  retrieve(questionTerms: QueryTerm[], queryVector: Float32Array | null, unknown: WordVectors = new Map()): Retrieval {
    const terms = this.expand(questionTerms, unknown);
    const known = terms.filter((t) => t.id >= 0);
    const ids = known.map((t) => t.id);
    const weights = known.map((t) => t.weight);
    const sentenceScores = this.sentenceBm25.scores(ids, weights);
    const paragraphScores = this.paragraphBm25.scores(ids, weights);

    const pool = new Set<number>(topK(sentenceScores, LEXICAL_CANDIDATES).map((s) => s.doc));
    const cosines = queryVector ? this.cosines(queryVector) : null;
    if (cosines) for (const s of topIndices(cosines, DENSE_CANDIDATES)) pool.add(s);

    const idfOf = (t: QueryTerm) => this.sentenceBm25.idf(t.id) * t.weight;
    // Expansions can add to what a sentence covers, never to what the question asks.
    const totalIdf = terms.reduce((sum, t) => sum + (t.expansion ? 0 : idfOf(t)), 0);
    const pairs = adjacentPairs(terms);
    const titleMatch = new Map<number, number>();
    const candidates: Candidate[] = [];
    for (const sentence of pool) {
      const ids = this.sentenceTerms[sentence];
      const article = this.sentences[sentence].article;
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
        bm25: sentenceScores.get(sentence) ?? 0,
        paragraphBm25: paragraphScores.get(this.paragraphOf[sentence]) ?? 0,
        coverage: totalIdf > 0 ? Math.min(1, matched / totalIdf) : 0,
        cosine: cosines ? cosines[sentence] : 0,
        phrase: pairs.length ? pairs.filter(([a, b]) => hasPair(ids, a, b)).length / pairs.length : 0,
        title,
      });
    }
    let maxBm25 = 0;
    for (const v of sentenceScores.values()) maxBm25 = Math.max(maxBm25, v);
    let maxParagraphBm25 = 0;
    for (const v of paragraphScores.values()) maxParagraphBm25 = Math.max(maxParagraphBm25, v);
    return { terms, candidates, maxBm25, maxParagraphBm25, corpusSize: this.sentences.length };
  }

  /** Cosine of the query with every sentence (vectors are normalised, so a dot product). */
  private cosines(query: Float32Array): Float32Array {
    const { vectors, dim } = this;
    const n = this.sentences.length;
    const out = new Float32Array(n);
    for (let i = 0, o = 0; i < n; i++, o += dim) {
      let dot = 0;
      for (let j = 0; j < dim; j++) dot += vectors[o + j] * query[j];
      out[i] = dot;
    }
    return out;
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

/** Each normalised word once, spelt the way the articles spell it most, with its total count. */
function vocabularyWords(surface: Map<string, number>): VocabularyWord[] {
  // Normalising each distinct spelling once (not each occurrence) keeps this cheap on large corpora.
  const byKey = new Map<string, { best: string; bestScore: number; total: number }>();
  for (const [form, n] of surface) {
    const key = normalizeWord(form);
    if (!key) continue;
    // Prefer the lower-case spelling when it is common: "meeting", not the sentence-initial "Meeting".
    const score = n + (form === form.toLowerCase() ? 0.5 : 0);
    const entry = byKey.get(key);
    if (!entry) byKey.set(key, { best: form, bestScore: score, total: n });
    else {
      entry.total += n;
      if (score > entry.bestScore) [entry.best, entry.bestScore] = [form, score];
    }
  }
  return [...byKey.values()].map((e) => ({ word: e.best, count: e.total }));
}

function topIndices(values: Float32Array, k: number): number[] {
  if (values.length <= k) return Array.from(values.keys());
  const threshold = Float32Array.from(values).sort()[values.length - k]; // native numeric sort: fast
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) if (values[i] >= threshold) out.push(i);
  return out;
}
