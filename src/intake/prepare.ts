/**
 * Bytes → the article file to write, checked before anything touches the disk: size, type (from the bytes),
 * charset, extraction for HTML, and finally the engine's own reader, which must find at least one servable
 * sentence in exactly the text that will be written (so every later quote is verbatim from the saved file).
 */
import path from 'node:path';
import type { Article } from '../engine/corpus/articles';
import { tooLargeReason } from '../engine/corpus/too-large';
import { decodeContent } from './decode';
import { readArticleText } from './engine-reader';
import { IntakeError } from './errors';
import type { ExtractedPage } from './extract-html';
import { slugify } from './store';
import { extractInWorker, readInWorker } from './workers';

/**
 * Files up to this size are read by the engine's reader on this thread: ~50–90 ms a MB here (≤ ~60 ms of held-up
 * answers), where a reading worker costs ~0.1 s of start-up and reads ~2× slower, its JIT cold. Bigger ones (up to
 * `MAX_FILE_MB`: 0.3–0.5 s here) go to a worker, which holds this thread ~30–120 ms, taking in the result.
 */
export const READ_HERE_MAX_BYTES = 1 << 20;

export interface IntakeInput {
  bytes: Uint8Array;
  /** The uploaded file's name: tells a Markdown from a plain-text layout (the type comes from the bytes), and names an untitled text. */
  fileName?: string | null;
  /** A fetched page's Content-Type header, for its declared charset. */
  contentType?: string | null;
  /** Where a fetched page came from (after redirects). */
  pageUrl?: string | null;
}

export interface PrepareOptions {
  maxFileBytes: number;
  /** Recorded in the file as `added_by` (a `.md` file; a `.txt` file is kept as sent). */
  addedBy: string;
  /** Recorded as `added_at`; default now. */
  addedAt?: Date;
}

export interface PreparedArticle {
  /** `html` pages and Markdown become `.md` files; a plain-text upload is kept in the scraped `.txt` layout. */
  layout: 'html' | 'markdown' | 'text';
  extension: '.md' | '.txt';
  /** Exactly what will be written (UTF-8). */
  text: string;
  /** The engine's reading of `text`: title, url, outlet, date, servable sentences. */
  article: Article;
}

/**
 * Checks and converts one upload or fetched page. Throws `IntakeError` with a one-line reason. HTML is extracted
 * in a worker thread (`extractInWorker`), and a file over `READ_HERE_MAX_BYTES` read by the engine's reader in one
 * (`readInWorker`), so the bot keeps answering meanwhile.
 * @example (await prepareArticle({ bytes, fileName: 'page.html' }, { maxFileBytes: 5 << 20, addedBy: 'Ana (123)' })).article.title
 */
export async function prepareArticle(input: IntakeInput, options: PrepareOptions): Promise<PreparedArticle> {
  const { bytes } = input;
  if (bytes.length > options.maxFileBytes) throw tooLarge(options.maxFileBytes, bytes.length);
  if (bytes.length === 0) throw new IntakeError('not-an-article', 'not an article: the file is empty');
  const charset = /charset\s*=\s*"?([\w.:-]+)/i.exec(input.contentType ?? '')?.[1] ?? null;
  const { kind, text } = decodeContent(bytes, charset);
  const added = { added_by: oneLine(options.addedBy), added_at: (options.addedAt ?? new Date()).toISOString() };

  let layout: PreparedArticle['layout'];
  let out: string;
  if (kind === 'html') {
    layout = 'html';
    out = renderMarkdownArticle(await extractInWorker(text, input.pageUrl ?? null), added, input.pageUrl ?? null);
  } else if (/^\uFEFF?---[ \t]*\r?\n/.test(text) || /\.(md|markdown)$/i.test(input.fileName ?? '')) {
    layout = 'markdown';
    out = withFrontMatter(text, added);
  } else {
    layout = 'text';
    out = text;
  }
  const extension = layout === 'text' ? '.txt' : '.md';
  const encoded = new TextEncoder().encode(out);
  if (encoded.length > options.maxFileBytes) throw tooLarge(options.maxFileBytes, encoded.length);
  const file = `${nameToReadUnder(input)}${extension}`;
  const article = encoded.length > READ_HERE_MAX_BYTES ? await readInWorker(file, encoded) : readArticleText(file, encoded);
  return { layout, extension, text: out, article };
}

/**
 * The name (no extension) a text is read under, which an untitled text takes its title from (and the saved file its
 * name, `slugify`d from that title): the uploaded file's, else the link's last path part (a folder's, before a
 * trailing slash), else its host's, else "article". Read as `article.txt`, every untitled upload was titled
 * "article", "article 2"… in answers and /sources.
 * @example nameToReadUnder({ bytes, fileName: 'Pier closure.txt' }) // 'pier-closure'
 */
export function nameToReadUnder(input: Pick<IntakeInput, 'fileName' | 'pageUrl'>): string {
  // Not `path.parse(p).name`: an upload named `.txt` is untitled, not "txt".
  const last = (p: string) => path.posix.basename(p).replace(/\.[^.]*$/, '');
  if (input.fileName) return slugify(last(input.fileName));
  if (!input.pageUrl) return 'article';
  const url = new URL(input.pageUrl);
  const part = last(url.pathname) || url.hostname.replace(/^www\./, '');
  try {
    return slugify(decodeURIComponent(part));
  } catch {
    return slugify(part); // a stray "%" in the path
  }
}

/** `tooLargeReason` as the intake's refusal, its arguments in the same order (the limit first). */
export function tooLarge(limit: number, size: number): IntakeError {
  return new IntakeError('too-large', tooLargeReason(limit, size));
}

/**
 * The saved form of an extracted page: front matter the engine reads (`title`, `url`, `source`, `published`;
 * `author`, `added_by`, `added_at` are kept for people and `/sources`), then one paragraph per block.
 */
export function renderMarkdownArticle(page: ExtractedPage, added: Record<string, string>, pageUrl: string | null): string {
  const source = page.siteName ?? hostName(page.url ?? pageUrl);
  const fields: Record<string, string | null> = {
    title: page.title,
    url: page.url,
    source,
    author: page.byline,
    published: page.published,
    ...added,
  };
  return `${frontMatter(fields)}\n${page.paragraphs.join('\n\n')}\n`;
}

function frontMatter(fields: Record<string, string | null>): string {
  const lines = Object.entries(fields)
    .filter((e): e is [string, string] => !!e[1])
    .map(([key, value]) => `${key}: ${frontMatterValue(value)}`);
  return `---\n${lines.join('\n')}\n---\n`;
}

/**
 * One line; quoted when the reader would otherwise strip its quotes (it removes one matching pair around the
 * whole value, so wrapping any value in double quotes reads back exactly).
 */
export function frontMatterValue(value: string): string {
  const v = oneLine(value);
  return /^["']|["']$/.test(v) ? `"${v}"` : v;
}

function oneLine(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}

/** A Markdown upload with `added_by` / `added_at` set in its front matter (a block is added when it has none). */
export function withFrontMatter(text: string, added: Record<string, string>): string {
  const lines = Object.entries(added).map(([key, value]) => `${key}: ${frontMatterValue(value)}`);
  const open = /^\uFEFF?---[ \t]*\r?\n/.exec(text);
  if (!open) return `---\n${lines.join('\n')}\n---\n${text}`;
  const start = open[0].length;
  const close = /(^|\r?\n)---[ \t]*(\r?\n|$)/.exec(text.slice(start));
  if (!close) return text; // left for the reader to refuse with its own message
  const keys = new Set(Object.keys(added));
  const kept = text
    .slice(start, start + close.index)
    .split(/\r?\n/)
    .filter((line) => line.trim() && !keys.has(/^([A-Za-z_][\w-]*)\s*:/.exec(line)?.[1]?.toLowerCase() ?? ''));
  const rest = text.slice(start + close.index).replace(/^\r?\n/, '');
  return `---\n${[...kept, ...lines].join('\n')}\n${rest}`;
}

function hostName(url: string | null): string | null {
  if (!url) return null;
  try {
    return new URL(url).hostname.replace(/^www\./, '');
  } catch {
    return null;
  }
}
