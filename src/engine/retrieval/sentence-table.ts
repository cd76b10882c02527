/**
 * The index's sentences, paragraphs and term lists as flat typed arrays with offsets: a million sentences cost a
 * few arrays, not a million objects (memory, and the time a start spends making them). The articles the index
 * serves keep the `Article` shape; their sentence and paragraph spans are made from the arrays when first asked for.
 *
 * @example
 * const lists = termLists([[3, 1], [], [7]]);
 * listOf(lists, 0) // Int32Array [3, 1] (a view, not a copy)
 */
import type { Article, SentenceSpan } from '../corpus/articles';

type Span = Article['paragraphs'][number];

/** Every sentence of the index, in article then text order, as columns. */
export interface SentenceTable {
  /** Article of each sentence. */
  article: Int32Array;
  /** Offsets of each sentence in its article's text (UTF-16 units). */
  start: Int32Array;
  end: Int32Array;
  /** Global paragraph (across articles) of each sentence. */
  paragraph: Int32Array;
  /** First sentence of each article, and the sentence count at the end (articles + 1 entries). */
  articleFirst: Int32Array;
}

/** Every global paragraph's span in its article's text, and where each article's paragraphs begin. */
export interface ParagraphTable {
  /** Start and end of paragraph p at 2p and 2p + 1. */
  spans: Int32Array;
  /** First global paragraph of each article, and the paragraph count at the end (articles + 1 entries). */
  articleFirst: Int32Array;
}

/** Lists of term ids: list i is `flat[ends[i - 1] .. ends[i])` (from 0 for the first). */
export interface TermLists {
  flat: Int32Array;
  ends: Uint32Array;
}

/** List `i` of `lists`, as a view into the flat array. */
export function listOf(lists: TermLists, i: number): Int32Array {
  return lists.flat.subarray(i === 0 ? 0 : lists.ends[i - 1], lists.ends[i]);
}

/** `lists` packed into one flat array and its end offsets. */
export function termLists(lists: ArrayLike<number>[]): TermLists {
  const ends = new Uint32Array(lists.length);
  let n = 0;
  lists.forEach((l, i) => (ends[i] = n += l.length));
  const flat = new Int32Array(n);
  lists.forEach((l, i) => flat.set(l, ends[i] - l.length));
  return { flat, ends };
}

/** A build's tables with the articles they are of (what a reload copies unchanged articles' rows from). */
export interface PreviousTables {
  readonly articles: readonly Article[];
  readonly sentences: SentenceTable;
  readonly paragraphs: ParagraphTable;
}

/**
 * The sentence and paragraph tables of `articles`, from their spans (numbering paragraphs globally). An article
 * of `previous` (the same object) has its rows copied from there: its span objects are never made.
 */
export function tablesOf(articles: readonly Article[], previous?: PreviousTables): { sentences: SentenceTable; paragraphs: ParagraphTable } {
  const old = new Map(previous?.articles.map((a, i) => [a, i]));
  const counts = (a: Article, first: Int32Array | undefined, count: (a: Article) => number) => {
    const i = old.get(a);
    return i === undefined ? count(a) : first![i + 1] - first![i];
  };
  const sentenceCount = articles.reduce((n, a) => n + counts(a, previous?.sentences.articleFirst, (x) => x.sentences.length), 0);
  const paragraphCount = articles.reduce((n, a) => n + counts(a, previous?.paragraphs.articleFirst, (x) => x.paragraphs.length), 0);
  const sentences: SentenceTable = {
    article: new Int32Array(sentenceCount),
    start: new Int32Array(sentenceCount),
    end: new Int32Array(sentenceCount),
    paragraph: new Int32Array(sentenceCount),
    articleFirst: new Int32Array(articles.length + 1),
  };
  const paragraphs: ParagraphTable = { spans: new Int32Array(2 * paragraphCount), articleFirst: new Int32Array(articles.length + 1) };
  let s = 0;
  let p = 0;
  articles.forEach((a, i) => {
    sentences.articleFirst[i] = s;
    paragraphs.articleFirst[i] = p;
    const was = old.get(a);
    if (was !== undefined) {
      const from = previous!.sentences;
      const [first, end] = [from.articleFirst[was], from.articleFirst[was + 1]];
      sentences.article.fill(i, s, s + end - first);
      sentences.start.set(from.start.subarray(first, end), s);
      sentences.end.set(from.end.subarray(first, end), s);
      const shift = p - previous!.paragraphs.articleFirst[was];
      for (let x = first; x < end; x++) sentences.paragraph[s++] = from.paragraph[x] + shift;
      const [pFirst, pEnd] = [previous!.paragraphs.articleFirst[was], previous!.paragraphs.articleFirst[was + 1]];
      paragraphs.spans.set(previous!.paragraphs.spans.subarray(2 * pFirst, 2 * pEnd), 2 * p);
      p += pEnd - pFirst;
      return;
    }
    for (const x of a.sentences) {
      sentences.article[s] = i;
      sentences.start[s] = x.start;
      sentences.end[s] = x.end;
      sentences.paragraph[s++] = p + x.paragraph;
    }
    for (const x of a.paragraphs) {
      paragraphs.spans[2 * p] = x.start;
      paragraphs.spans[2 * p++ + 1] = x.end;
    }
  });
  sentences.articleFirst[articles.length] = s;
  paragraphs.articleFirst[articles.length] = p;
  return { sentences, paragraphs };
}

/** The texts of the sentences `rows` of `table` (rows of `articles`' sentences). */
export function sentenceTexts(articles: readonly Article[], table: SentenceTable, rows: ArrayLike<number>): string[] {
  return Array.from(rows, (s) => articles[table.article[s]].text.slice(table.start[s], table.end[s]));
}

/** What an article is without its text and spans: what a snapshot stores as JSON. */
export type ArticleMeta = Omit<Article, 'text' | 'paragraphs' | 'sentences'>;

const NOT_META = new Set(['text', 'paragraphs', 'sentences']);

/** The metadata of `article`: every field but its text and spans (which are not computed). */
export function metaOf(article: Article): ArticleMeta {
  const meta: Record<string, unknown> = {};
  for (const key of Object.keys(article)) if (!NOT_META.has(key)) meta[key] = article[key as keyof Article];
  return meta as unknown as ArticleMeta;
}

/**
 * The articles an index serves: their metadata and text, with `sentences` and `paragraphs` made from the tables
 * when first read (for the few articles a question quotes from, or a reload that reuses them), then kept.
 */
export function servedArticles(metas: ArticleMeta[], texts: string[], sentences: SentenceTable, paragraphs: ParagraphTable): Article[] {
  return metas.map((meta, a) => {
    let sentenceSpans: SentenceSpan[] | null = null;
    let paragraphSpans: Span[] | null = null;
    const article = { ...meta, text: texts[a] } as Article;
    Object.defineProperties(article, {
      sentences: {
        enumerable: true,
        get: (): SentenceSpan[] => {
          if (sentenceSpans) return sentenceSpans;
          const base = paragraphs.articleFirst[a];
          sentenceSpans = [];
          for (let s = sentences.articleFirst[a]; s < sentences.articleFirst[a + 1]; s++) {
            sentenceSpans.push({ start: sentences.start[s], end: sentences.end[s], paragraph: sentences.paragraph[s] - base });
          }
          return sentenceSpans;
        },
      },
      paragraphs: {
        enumerable: true,
        get: (): Span[] => {
          if (paragraphSpans) return paragraphSpans;
          paragraphSpans = [];
          for (let p = paragraphs.articleFirst[a]; p < paragraphs.articleFirst[a + 1]; p++) {
            paragraphSpans.push({ start: paragraphs.spans[2 * p], end: paragraphs.spans[2 * p + 1] });
          }
          return paragraphSpans;
        },
      },
    });
    return article;
  });
}
