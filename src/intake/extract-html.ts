/**
 * HTML page → article: Mozilla's Readability (the Firefox Reader View extractor) over a linkedom DOM finds the
 * main text and the page's metadata (`og:*`, `article:published_time`, JSON-LD); we only turn its result into
 * plain paragraphs, the form the engine's `.md` reader serves, so every quote is verbatim from the saved file.
 */
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { IntakeError } from './errors';

export interface ExtractedPage {
  title: string;
  /** The author(s) as the page states them. */
  byline: string | null;
  /** The outlet ("The Coastal Ledger"), from `og:site_name` or JSON-LD. */
  siteName: string | null;
  /** As the page states it (usually ISO 8601). */
  published: string | null;
  /** The page's canonical link when it is on the same host, else the address it was fetched from. */
  url: string | null;
  /** The article's text blocks, whitespace collapsed; sub-headings start with `## ` (never served as quotes). */
  paragraphs: string[];
}

/**
 * Extracts the article from a page; throws `IntakeError('not-an-article')` when the page has no article text.
 * @example extractArticle('<html>…</html>', 'https://ledger.example/news/bridge').paragraphs[0]
 */
export function extractArticle(html: string, pageUrl: string | null = null): ExtractedPage {
  checkTagCount(html);
  const { document } = parseHTML(withBody(html));
  checkSize(document.documentElement);
  // Read before Readability rewrites the tree.
  const canonical =
    document.querySelector('link[rel~="canonical"]')?.getAttribute('href') ??
    document.querySelector('meta[property="og:url"]')?.getAttribute('content') ??
    null;
  const timeTag = document.querySelector('time[datetime]')?.getAttribute('datetime') ?? null;
  removeAds(document);

  const result = new Readability<DomNode>(document, { serializer: (node: DomNode) => node }).parse();
  const paragraphs: string[] = [];
  if (result?.content) collectBlocks(result.content, paragraphs);
  const title = clean(result?.title ?? '') || clean(document.querySelector('title')?.textContent ?? '');
  // Headings before the first paragraph are the headline and its kickers, already in the title.
  while (paragraphs[0]?.startsWith('## ')) paragraphs.shift();
  if (!result || paragraphs.length === 0) throw new IntakeError('not-an-article', 'not an article: no article text found on the page');
  if (!title) throw new IntakeError('not-an-article', 'not an article: the page has no title');
  return {
    title,
    byline: clean(result.byline ?? '') || null,
    siteName: clean(result.siteName ?? '') || null,
    published: clean(result.publishedTime ?? '') || timeTag?.trim() || null,
    url: pickUrl(canonical, pageUrl),
    paragraphs,
  };
}

/**
 * linkedom builds the tree as written, without HTML5's implied `<html>`/`<body>` (a fragment or a minimal page
 * such as `<!doctype html><title>…</title><p>…`); Readability needs a body, so a page without one gets it.
 */
function withBody(html: string): string {
  if (/<body[\s>]/i.test(html)) return html;
  // [^<>] rather than [^>]: an unfinished `<!doctype` or `<head ` would otherwise scan to the page's end, each one.
  return `<!DOCTYPE html><html><body>${html.replace(/<!doctype[^<>]*>|<\/?(html|head)(\s[^<>]*)?>/gi, '')}</body></html>`;
}

/**
 * Readability's time grows far faster than the page when elements nest deeply (2,000 nested divs, 22 KB: about
 * 100 s), so such pages are refused before it, naming why, rather than left to the extraction worker's time limit
 * (workers.ts). News pages nest a few dozen deep and hold a few thousand elements. Within these limits
 * the slowest page found, a chain of 125 divs around 46,000 paragraphs (5 MB), takes ~9–10 s in the worker; its
 * time grows with the depth (192: ~13 s, 256: ~16 s, near the 20 s limit), so the depth stays at 128 although old
 * pages of never-closed `<a name>`/`<font>` can nest past it (docs/measurements.md, "Raising the depth bound").
 */
const MAX_DEPTH = 128;
const MAX_ELEMENTS = 50_000;

const tooManyElements = () => new IntakeError('not-an-article', `not an article: the page has more than ${MAX_ELEMENTS.toLocaleString('en-US')} elements`);

/**
 * The parser's own time grows far faster than the page on unclosed tags (100,000 unclosed `<b>`, 300 KB: ~5 s;
 * a 5 MB page of them: minutes), so the start tags are counted in the text first; each opens at most one element.
 */
function checkTagCount(html: string): void {
  const startTag = /<[a-z]/gi;
  let tags = 0;
  while (startTag.test(html)) if (++tags > MAX_ELEMENTS) throw tooManyElements();
}

function checkSize(root: DomNode | null): void {
  let elements = 0;
  const stack: Array<[DomNode, number]> = root ? [[root, 0]] : [];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (depth > MAX_DEPTH) throw new IntakeError('not-an-article', `not an article: the page is nested more than ${MAX_DEPTH} elements deep`);
    if (++elements > MAX_ELEMENTS) throw tooManyElements();
    for (const child of Array.from(node.childNodes)) if (child.nodeType === 1) stack.push([child, depth + 1]);
  }
}

/** The few DOM members used here (the project compiles without the DOM library types). */
interface DomNode {
  nodeType: number;
  nodeName: string;
  textContent: string | null;
  childNodes: ArrayLike<DomNode>;
  getAttribute?(name: string): string | null;
  remove?(): void;
}

/**
 * Readability keeps ad slots that sit inside the story body (they hold text). They are marked by convention in
 * class names and ids ("ad-slot", "advertisement", "sponsored-content", "leaderboard-ad"); whole tokens only, so
 * "header", "shadow" or "load-more" never match.
 */
const AD_TOKEN = /^(ads?|advert\w*|sponsor\w*|promo\w*|dfp|adsbygoogle)([-_].*)?$|[-_](ads?|advert\w*)$/i;

function removeAds(document: { querySelectorAll(selector: string): ArrayLike<DomNode> }): void {
  for (const el of Array.from(document.querySelectorAll('[class], [id], [aria-label], [hidden]'))) {
    const tokens = [...(el.getAttribute?.('class') ?? '').split(/\s+/), el.getAttribute?.('id') ?? ''];
    const label = el.getAttribute?.('aria-label') ?? '';
    if (tokens.some((t) => t && AD_TOKEN.test(t)) || /advert/i.test(label) || el.getAttribute?.('hidden') != null) el.remove?.();
  }
}

const HEADINGS = new Set(['H1', 'H2', 'H3', 'H4', 'H5', 'H6']);
/** Not prose: left out whole (a caption or a table is never a quote). */
const SKIPPED = new Set(['TITLE', 'FIGURE', 'FIGCAPTION', 'PRE', 'TABLE', 'SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'BUTTON', 'FORM', 'IFRAME', 'SVG', 'NAV', 'ASIDE', 'IMG', 'VIDEO', 'AUDIO', 'PICTURE']);
const BLOCKS = new Set([
  'P', 'DIV', 'SECTION', 'ARTICLE', 'MAIN', 'HEADER', 'FOOTER', 'BLOCKQUOTE', 'UL', 'OL', 'LI', 'DL', 'DT', 'DD',
  'ADDRESS', 'DETAILS', 'SUMMARY', 'CENTER', 'HR',
]);

/** Walks the article element: each block (paragraph, list item, quote) becomes one line of plain text. */
function collectBlocks(root: DomNode, out: string[]): void {
  let inline: string[] = [];
  const flush = () => {
    const text = clean(inline.join(''));
    inline = [];
    if (text) out.push(text);
  };
  const walk = (node: DomNode) => {
    for (const child of Array.from(node.childNodes)) {
      if (child.nodeType === 3) {
        inline.push(child.textContent ?? '');
        continue;
      }
      if (child.nodeType !== 1) continue;
      const tag = child.nodeName.toUpperCase();
      if (tag === 'BR') inline.push(' ');
      else if (SKIPPED.has(tag)) flush();
      else if (HEADINGS.has(tag)) {
        flush();
        const heading = clean(child.textContent ?? '');
        if (heading) out.push(`## ${heading}`);
      } else if (BLOCKS.has(tag)) {
        flush();
        walk(child);
        flush();
      } else walk(child);
    }
  };
  walk(root);
  flush();
}

/** Collapses whitespace (line breaks, no-break spaces) and drops invisible characters. */
function clean(text: string): string {
  return text.replace(/[\u00AD\u200B-\u200D\u2060\uFEFF]/g, '').replace(/\s+/g, ' ').trim();
}

function pickUrl(canonical: string | null, pageUrl: string | null): string | null {
  const page = httpUrl(pageUrl);
  const stated = httpUrl(canonical, page ?? undefined);
  if (stated && (!page || new URL(stated).host === new URL(page).host)) return stated;
  return page;
}

function httpUrl(value: string | null, base?: string): string | null {
  if (!value) return null;
  try {
    const url = new URL(value.trim(), base);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    url.hash = '';
    return url.href;
  } catch {
    return null;
  }
}
