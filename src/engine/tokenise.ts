/**
 * Turning articles into what an index is built from: each sentence's and paragraph's term ids, the vocabulary (each
 * distinct word in its commonest spelling, for FlexSearch and for embedding), and a vector per term.
 */
import type { Article } from './articles';
import { termOf, words, normalizeWord } from './text';
import type { VocabularyWord } from './word-lookup';

export interface IndexedSentence {
  article: number;
  start: number;
  end: number;
  /** Global paragraph number (across articles). */
  paragraph: number;
  /** Position of the sentence within its article's sentence list. */
  position: number;
}

/** The articles tokenised into term ids: what an index is built from, before any embedding. */
export interface Tokenised {
  sentences: IndexedSentence[];
  vocabulary: Map<string, number>;
  termNames: string[];
  sentenceTerms: number[][];
  paragraphTerms: number[][];
  titleTerms: Set<number>[];
  /** Each distinct word, in its commonest spelling, with its count: the FlexSearch vocabulary. */
  vocabularyWords: VocabularyWord[];
}

export function tokenise(articles: Article[]): Tokenised {
  const t: Tokenised = { sentences: [], vocabulary: new Map(), termNames: [], sentenceTerms: [], paragraphTerms: [], titleTerms: [], vocabularyWords: [] };
  const termId = (term: string): number => {
    let id = t.vocabulary.get(term);
    if (id === undefined) {
      id = t.vocabulary.size;
      t.vocabulary.set(term, id);
      t.termNames.push(term);
    }
    return id;
  };
  const surface = new Map<string, number>(); // word as written -> occurrences
  articles.forEach((article, a) => {
    const paragraphBase = t.paragraphTerms.length;
    for (let p = 0; p < article.paragraphs.length; p++) t.paragraphTerms.push([]);
    article.sentences.forEach((s, position) => {
      const ids: number[] = [];
      for (const w of words(article.text.slice(s.start, s.end))) {
        const term = termOf(w.word);
        if (!term) continue;
        ids.push(termId(term));
        surface.set(w.word, (surface.get(w.word) ?? 0) + 1);
      }
      t.sentenceTerms.push(ids);
      t.paragraphTerms[paragraphBase + s.paragraph].push(...ids);
      t.sentences.push({ article: a, start: s.start, end: s.end, paragraph: paragraphBase + s.paragraph, position });
    });
  });
  t.titleTerms = articles.map((a) => new Set(words(a.title).flatMap((w) => {
    const term = termOf(w.word);
    return term ? [termId(term)] : [];
  })));
  t.vocabularyWords = vocabularyWords(surface);
  return t;
}

/** One vector per term: that of its commonest spelling ("meeting" for meet/met/meetings). */
export function termVectorsOf(tokens: Tokenised, wordVectors: Float32Array, dim: number): Float32Array {
  const words = tokens.vocabularyWords;
  if (wordVectors.length !== words.length * dim) throw new Error('word vectors do not match the vocabulary');
  const out = new Float32Array(tokens.vocabulary.size * dim);
  const bestCount = new Float64Array(tokens.vocabulary.size);
  words.forEach((w, i) => {
    const term = termOf(w.word);
    const id = term === null ? undefined : tokens.vocabulary.get(term);
    if (id === undefined || w.count <= bestCount[id]) return;
    bestCount[id] = w.count;
    out.set(wordVectors.subarray(i * dim, (i + 1) * dim), id * dim);
  });
  return out;
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
