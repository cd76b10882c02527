/**
 * Reading the data folder: each file becomes an article with its metadata and its servable sentences,
 * or a per-file error with a reason a moderator can act on. One bad file never stops the others.
 *
 * Two layouts are read:
 * - `.txt`, raw scraped news as it comes: title on the first line, paragraphs split by blank lines,
 *   captions and related-story headlines mixed in, and an `Article source:` trailer with a URL or nothing.
 * - `.md`, with a front-matter block (`title`, `url`, `source` (the outlet), `published`) and a Markdown body.
 */
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { decodeArticleText, TextDecodeError } from './decode-text';
import { inBatches } from './in-batches';
import { fsReason, listFiles, specialKind } from './list-files';
import { readCapped } from './read-capped';
import { tooLargeReason } from './too-large';
import { capSentence, splitSentences, trimSpan, type Span } from './sentences';
import { runAtOnce, runInSlices, YIELD_EVERY, type Sliced } from '../slices';
import { wordSoupReason } from './word-soup';
import type { Article, FileError, SentenceSpan } from '../types';

export type { Article, SentenceSpan } from '../types';

export const DEFAULT_MAX_FILE_BYTES = 5 * 1024 * 1024;
const ARTICLE_EXTENSIONS = new Set(['.txt', '.md', '.markdown']);
const MIN_SENTENCE_WORDS = 3;
const READ_BATCH = 64;
/** A first line ending like a sentence and at least this long is prose, not a headline. */
const UNTITLED_MIN_WORDS = 12;
/** In a file with no sentence-ending block at all, blocks at least this long are served as passages. */
const UNPUNCTUATED_MIN_WORDS = 8;

/** A file that is not a readable article; `message` is the reason shown to moderators. */
export class ArticleError extends Error {
  override name = 'ArticleError';
}

export interface DataFolder {
  articles: Article[];
  errors: FileError[];
  /** Article files read and parsed here; the others were taken as `known` gave them. */
  filesRead: number;
  /**
   * Entries in `errors` that hold no article: files not named as one, special files (not a folder or link that may
   * hold articles: `listFiles`' `unreached`). A folder of only these holds no article yet.
   */
  notArticles: number;
}

/**
 * Reads every article file under `dataDir` (recursively, hidden files skipped, linked folders followed). Entries
 * that cannot be read as an article (bad files, unreadable sub-folders, link loops, FIFOs) are reported by name in
 * `errors`; it throws only when `dataDir` itself cannot be read.
 * @example const { articles, errors } = await readDataFolder('data')
 */
export async function readDataFolder(
  dataDir: string,
  maxFileBytes = DEFAULT_MAX_FILE_BYTES,
  /** An article already read from the file (known unchanged by a reload, or read already: `takeAlreadyRead`), taken instead of reading it again. */
  known?: (file: string) => Article | undefined | Promise<Article | undefined>,
): Promise<DataFolder> {
  const { files, errors: listing, unreached } = await listFiles(dataDir);
  let filesRead = 0;
  let notArticles = listing.filter((e) => !isArticleFile(e.file) && !unreached.has(e.file)).length;
  const read = async (file: string): Promise<Article | FileError> => {
    const article = await known?.(file);
    if (article) return article;
    if (!isArticleFile(file)) {
      notArticles++;
      return { file, reason: 'not an article file (expected .txt or .md)' };
    }
    filesRead++;
    return readOutcome(dataDir, file, maxFileBytes);
  };
  const results = await inBatches(files, READ_BATCH, read);
  const articles = results.filter((r): r is Article => 'sentences' in r);
  const errors = [...listing, ...results.filter((r): r is FileError => 'reason' in r)].sort((a, b) => a.file.localeCompare(b.file));
  return { articles, errors, filesRead, notArticles };
}

/** An article file read: its article, or why it is none (as the build reports it). */
export async function readOutcome(dataDir: string, file: string, maxFileBytes: number): Promise<Article | FileError> {
  try {
    return await readArticle(dataDir, file, maxFileBytes);
  } catch (err) {
    return { file, reason: err instanceof ArticleError ? err.message : `could not be read: ${fsReason(err)}` };
  }
}

/** True when `file` is named as an article file (.txt, .md); a folder (`news/`) never is. */
export function isArticleFile(file: string): boolean {
  return !file.endsWith('/') && ARTICLE_EXTENSIONS.has(path.extname(file).toLowerCase());
}

/** Reads and parses one article file; throws `ArticleError` with the reason when it is not one. */
export async function readArticle(dataDir: string, file: string, maxFileBytes = DEFAULT_MAX_FILE_BYTES): Promise<Article> {
  const full = path.join(dataDir, file);
  const info = await stat(full);
  if (!info.isFile()) throw new ArticleError(`not a regular file (${specialKind(info)})`);
  const size = info.size;
  if (size > maxFileBytes) throw new ArticleError(tooLargeReason(maxFileBytes, size));
  const bytes = await readCapped(full, size, maxFileBytes);
  if (!bytes) throw new ArticleError(tooLargeReason(maxFileBytes));
  // In slices: a 5 MB file takes ~0.35 s to parse, and a reload reads while questions are answered.
  return runInSlices(parsing(file, bytes));
}

/** Parses an article from its bytes (`file` decides the layout by its extension); word soup is refused. */
export function parseArticle(file: string, bytes: Uint8Array): Article {
  return runAtOnce(parsing(file, bytes));
}

/** The article its layout reads, before the word-soup check (for measuring that check). */
export function parseArticleLayout(file: string, bytes: Uint8Array): Article {
  return runAtOnce(parsingLayout(file, bytes));
}

/** `parseArticle` as sliced work. */
function* parsing(file: string, bytes: Uint8Array): Sliced<Article> {
  const article = yield* parsingLayout(file, bytes);
  yield;
  const soup = wordSoupReason(article.text, article.paragraphs);
  if (soup) throw new ArticleError(soup);
  return article;
}

/** `parseArticleLayout` as sliced work: it yields every `YIELD_EVERY` blocks and paragraphs. */
function* parsingLayout(file: string, bytes: Uint8Array): Sliced<Article> {
  const text = decode(bytes);
  yield;
  if (!text.trim()) throw new ArticleError('empty file');
  const fingerprint = createHash('sha1').update(bytes).digest('hex');
  yield;
  const isMarkdown = /\.(md|markdown)$/i.test(file);
  const parsed = isMarkdown ? yield* parseMarkdown(text) : yield* parseScraped(text, file);
  const sentences: SentenceSpan[] = [];
  for (let paragraph = 0; paragraph < parsed.paragraphs.length; paragraph++) {
    const p = parsed.paragraphs[paragraph];
    for (const s of splitSentences(text, p.start, p.end).flatMap((whole) => capSentence(text, whole))) {
      if (countWords(text.slice(s.start, s.end)) >= MIN_SENTENCE_WORDS) sentences.push({ ...s, paragraph });
    }
    if (paragraph % YIELD_EVERY === 0) yield;
  }
  if (sentences.length === 0) throw new ArticleError('no prose sentences found');
  return { id: file, file, fingerprint, text, sentences, ...parsed };
}

function decode(bytes: Uint8Array): string {
  try {
    return decodeArticleText(bytes);
  } catch (err) {
    throw err instanceof TextDecodeError ? new ArticleError(err.message) : err;
  }
}

interface ParsedLayout {
  title: string;
  url: string | null;
  outlet: string | null;
  published: string | null;
  paragraphs: Span[];
  addedBy?: string | null;
  addedAt?: string | null;
}

/** Blocks of text separated by blank lines, as trimmed spans. */
function blocks(text: string, from: number, to: number): Span[] {
  const out: Span[] = [];
  const re = /\r?\n[ \t]*\r?\n/g;
  re.lastIndex = from;
  let start = from;
  for (let m = re.exec(text); m && m.index < to; m = re.exec(text)) {
    out.push(trimSpan(text, { start, end: m.index }));
    start = m.index + m[0].length;
  }
  out.push(trimSpan(text, { start, end: to }));
  return out.filter((b) => b.end > b.start);
}

const TRAILER = /^(article\s+)?source\s*:\s*(.*)$/is;
const URL_RE = /https?:\/\/\S+/;
/** A front-matter `url`: the whole value one link, so no script address or prose rides in with one further on. */
const WHOLE_URL = new RegExp(`^${URL_RE.source}$`);

function* parseScraped(text: string, file: string): Sliced<ParsedLayout> {
  const all = blocks(text, 0, text.length);
  const [first, ...rest] = all;
  const titleSpan = headline(text, first);
  if (!titleSpan) return { ...(yield* parseBody(text, all)), title: titleFromFileName(file) };
  const body = titleSpan.end < first.end ? [trimSpan(text, { start: titleSpan.end, end: first.end }), ...rest] : rest;
  return { ...(yield* parseBody(text, body)), title: text.slice(titleSpan.start, titleSpan.end) };
}

/**
 * A scraped text's title: the first line of its first block, unless that line is plainly prose (a long sentence) or
 * shows nothing: a passage saved without a headline (null). Its title then comes from the file name, and the line is served.
 */
function headline(text: string, first: Span): Span | null {
  const firstLineEnd = text.indexOf('\n', first.start);
  const span = trimSpan(text, { start: first.start, end: firstLineEnd === -1 || firstLineEnd > first.end ? first.end : firstLineEnd });
  const line = text.slice(span.start, span.end);
  return !shown(line) || (isProse(line) && countWords(line) >= UNTITLED_MIN_WORDS) ? null : span;
}

/**
 * `article`'s bytes as read under another name of the same layout (the intake reads a file before it has its name):
 * only an untitled text's title comes from the name. Costs the first block's scan, not a parse.
 */
export function renamedArticle(article: Article, file: string): Article {
  const isMarkdown = (f: string) => /\.(md|markdown)$/i.test(f);
  if (isMarkdown(file) !== isMarkdown(article.file)) throw new Error(`${article.file} and ${file} are read in different layouts`);
  const title = !isMarkdown(file) && !headline(article.text, firstBlock(article.text)) ? titleFromFileName(file) : article.title;
  return { ...article, id: file, file, title };
}

/** `blocks(text, 0, text.length)[0]` without splitting the rest (a text holds one, or it was refused as empty). */
function firstBlock(text: string): Span {
  const re = /\r?\n[ \t]*\r?\n/g;
  for (let start = 0; ; ) {
    const m = re.exec(text);
    const block = trimSpan(text, { start, end: m ? m.index : text.length });
    if (block.end > block.start || !m) return block;
    start = m.index + m[0].length;
  }
}

/** "news/2016-09-05_obama-putin.txt" → "2016-09-05 obama putin". */
function titleFromFileName(file: string): string {
  return path.basename(file, path.extname(file)).replace(/[_-]+/g, ' ').trim() || file;
}

/** Prose paragraphs and the `Article source:` trailer of a scraped body. */
function* parseBody(text: string, body: Span[]): Sliced<Omit<ParsedLayout, 'title'>> {
  let url: string | null = null;
  let outlet: string | null = null;
  const paragraphs: Span[] = [];
  const unpunctuated: Span[] = [];
  for (const [i, block] of body.entries()) {
    if (i % YIELD_EVERY === 0) yield;
    const content = text.slice(block.start, block.end);
    const trailer = TRAILER.exec(content);
    if (trailer) {
      const value = trailer[2].trim();
      const link = URL_RE.exec(value);
      if (link) url = link[0];
      else if (value && value.length < 80) outlet = value;
      continue;
    }
    if (isProse(content)) paragraphs.push(block);
    else if (countWords(content) >= UNPUNCTUATED_MIN_WORDS) unpunctuated.push(block);
  }
  // A file where no block ends like a sentence is a list of passages whose stops were lost (quiz evidence,
  // bullet summaries): its longer blocks are served rather than the whole file refused.
  return { url, outlet, published: null, paragraphs: paragraphs.length ? paragraphs : unpunctuated };
}

/**
 * Prose ends like a sentence. Captions ("Putin (left) and Obama") and related-story headlines
 * ("China tries to keep G20 focus on global economy") do not, and are never served as answers.
 */
export function isProse(paragraph: string): boolean {
  const trimmed = paragraph.trim();
  const n = countWords(trimmed);
  if (n < MIN_SENTENCE_WORDS) return false;
  // Ends like a sentence, maybe followed by a citation mark ("[12]", "[citation needed]", ":12") or a colon.
  if (/([.!?…]["'”’)\]]*(\s*\[[^\]]{1,40}\]|:\d+(,\s*\d+)*)*|:)$/.test(trimmed)) return true;
  // A long block holding a sentence boundary is prose whose end the scrape lost.
  return n >= 25 && /[.!?]["'”’)]*\s+\p{Lu}/u.test(trimmed);
}

/** Runs of letters and digits, with the combining marks after one (a decomposed "Zürich" is one word, as the index's `words`). */
function countWords(s: string): number {
  return (s.match(/[\p{L}\p{N}][\p{L}\p{N}\p{M}]*/gu) ?? []).length;
}

/** A front-matter value without one pair of matching quotes around it. */
const unquote = (value: string): string => /^(["'])(.*)\1$/.exec(value)?.[2] ?? value;
/** `value` trimmed, or '' when it shows nothing (blank, or only zero-width and format characters): no title. */
const shown = (value: string): string => (/[^\s\p{Cc}\p{Cf}\u2800\u3164\uFFA0]/u.test(value) ? value.trim() : '');
const FRONT_MATTER_KEYS = new Set(['title', 'url', 'source', 'published', 'date', 'outlet', 'author', 'tags', 'added_by', 'added_at']);

function* parseMarkdown(text: string): Sliced<ParsedLayout> {
  let bodyStart = 0;
  const meta: Record<string, string> = {};
  const open = /^\uFEFF?---[ \t]*\r?\n/.exec(text);
  if (open) {
    const close = /\r?\n---[ \t]*(\r?\n|$)/.exec(text.slice(open[0].length));
    if (!close) throw new ArticleError('front matter is not closed (no line with --- after the opening ---)');
    const block = text.slice(open[0].length, open[0].length + close.index);
    bodyStart = open[0].length + close.index + close[0].length;
    block.split(/\r?\n/).forEach((line, n) => {
      if (!line.trim() || line.trim().startsWith('#')) return;
      const m = /^([A-Za-z_][\w-]*)\s*:\s*(.*)$/.exec(line);
      if (!m) throw new ArticleError(`front matter line ${n + 2} is not "key: value": ${JSON.stringify(line.slice(0, 60))}`);
      const key = m[1].toLowerCase();
      if (!FRONT_MATTER_KEYS.has(key)) return;
      meta[key] = shown(unquote(m[2].trim()));
    });
  }
  const paragraphs: Span[] = [];
  let heading: string | null = null;
  for (const [i, block] of blocks(text, bodyStart, text.length).entries()) {
    if (i % YIELD_EVERY === 0) yield;
    const content = text.slice(block.start, block.end);
    if (/^#{1,6}\s/.test(content)) {
      heading ??= shown(content.replace(/^#+\s*/, '').split('\n')[0]) || null;
      continue;
    }
    // Code, tables, images and HTML are not prose; block quotes and lists are quoted as written.
    if (/^(```|~~~|\||!\[|<)/.test(content)) continue;
    if (isProse(content)) paragraphs.push(block);
  }
  const title = meta.title || heading;
  if (!title) throw new ArticleError('no title: add `title:` to the front matter or a "# heading"');
  const url = meta.url && WHOLE_URL.test(meta.url) && URL.canParse(meta.url) ? meta.url : null;
  if (meta.url && !url) throw new ArticleError(`front matter url is not an http(s) link: ${JSON.stringify(meta.url.slice(0, 80))}`);
  return { title, url, outlet: meta.source || meta.outlet || null, published: meta.published || meta.date || null, paragraphs,
    addedBy: meta.added_by || null, addedAt: meta.added_at || null };
}
