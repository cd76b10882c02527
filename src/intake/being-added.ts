/**
 * Articles being added now, from the call until the caller has loaded the saved file (its reload). The sources
 * check (`findInSources`) cannot see an article still on its way, so two adds of one article at once (the same link
 * twice, two links to one page, one file uploaded under two names) would both save. Each add holds a mark: a link's
 * from the call (refused before its download), and once prepared its article's address and quoted text
 * (`quotedTextHash`), and once saved its file (`isBeingAdded`: /article remove cannot take it before it is loaded).
 * This process's only: under sharding each shard has its own, like the workers' turns.
 */
import path from 'node:path';
import type { Article } from '../engine/corpus/articles';
import { IntakeError } from './errors';
import { quotedTextHash, sameArticleUrl } from './sources';

export interface BeingAdded {
  /** The link a moderator gave, or null for an upload. */
  link: string | null;
  /** The uploaded file's name, for an upload. */
  upload: string | null;
  /** Once prepared: the article's address and its quoted text's hash. */
  url: string | null;
  textHash: string | null;
  /** Once saved: its file's absolute path, marked as the name is taken (`saveArticle`'s `onNamed`). */
  file: string | null;
}

const beingAdded = new Set<BeingAdded>();

/**
 * Marks a link as being added, or refuses it ('being-added') when the same address is already. No await between
 * the check and the mark, so two adds at once cannot both pass.
 */
export function markLink(link: string): BeingAdded {
  for (const other of beingAdded) {
    if ((other.link && sameArticleUrl(other.link, link)) || (other.url && sameArticleUrl(other.url, link))) {
      throw new IntakeError('being-added', 'this link is already being added; it will be quoted once that finishes');
    }
  }
  return mark({ link, upload: null, url: null, textHash: null, file: null });
}

/** Marks an upload as being added; its article is checked once prepared (`markArticle`). */
export function markUpload(name: string): BeingAdded {
  return mark({ link: null, upload: name, url: null, textHash: null, file: null });
}

/**
 * Adds the prepared article's address and text to its mark, or refuses it ('being-added', naming the first) when
 * another add holds the same address or the same quoted text. No await between the check and the mark.
 */
export function markArticle(own: BeingAdded, article: Pick<Article, 'url' | 'text' | 'sentences'>): void {
  const { url } = article;
  const textHash = quotedTextHash(article);
  for (const other of beingAdded) {
    if (other === own) continue;
    const sameUrl = url !== null && [other.link, other.url].some((u) => u !== null && sameArticleUrl(u, url));
    if (sameUrl || other.textHash === textHash) {
      const first = other.link ? `from ${other.link}` : `as ${other.upload}`;
      throw new IntakeError('being-added', `the same article is being added already, ${first}; it will be quoted once that finishes`);
    }
  }
  own.url = url;
  own.textHash = textHash;
}

/** Adds the saved file (`file` in `dataDir`) to its mark, as its name is taken: no moment has it saved and unmarked. */
export function markFile(own: BeingAdded, dataDir: string, file: string): void {
  own.file = path.resolve(dataDir, file);
}

/**
 * Whether an add has saved `file` (relative to `dataDir`) and not yet loaded it (its caller's reload runs).
 * @example isBeingAdded('data', 'market-hall-reopens.txt') // true while its add's reload runs
 */
export function isBeingAdded(dataDir: string, file: string): boolean {
  const wanted = path.resolve(dataDir, file);
  for (const own of beingAdded) if (own.file === wanted) return true;
  return false;
}

/** Ends a mark, whatever the add's outcome (saved and loaded, refused, timed out, thrown), so it can be added again. */
export function unmark(own: BeingAdded): void {
  beingAdded.delete(own);
}

function mark(own: BeingAdded): BeingAdded {
  beingAdded.add(own);
  return own;
}
