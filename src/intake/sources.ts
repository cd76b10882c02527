/**
 * What the sources already hold of an article about to be saved: the files from the same address (to be replaced)
 * and a file with the same quoted text under another address or name (refused: two copies quote each sentence twice
 * and weigh one article double). The data folder is the truth: a file saved but not yet loaded by a reload counts,
 * a loaded file already set aside does not, nor what a file held before it was replaced under its name.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { readArticle, type Article } from '../engine/corpus/articles';
import { fileStamps, listFiles, sameStamp } from '../engine/corpus/list-files';
import type { FileStamp } from '../engine/types';
import { IntakeError } from './errors';

/** A loaded article as the engine lists it (`engine.articles()`): what the folder's file held when it was loaded. */
export interface LoadedArticle {
  file: string;
  url: string | null;
  /** How many sentences it serves: only a file with as many can hold the same text. */
  sentences: number;
  /** The file as it was loaded: one whose stamp now differs (or with none) is read instead. */
  stamp?: FileStamp;
}

export interface InSources {
  /** Files from the same address (`sameArticleUrl`): the new article replaces them. */
  sameUrl: string[];
  /** A file from another address, or none, whose quoted text is the new article's. */
  sameText: string | null;
}

const ARTICLE_FILE = /\.(txt|md|markdown)$/i;

/**
 * Compares `article` with every article file in the data folder. A loaded file still as it was loaded (same stamp)
 * is judged by what the engine read (its address and sentence count), read again only when its address or sentence
 * count matches; any other file is read.
 * @example const { sameUrl, sameText } = await findInSources('data', prepared.article, engine.articles(), 5 << 20)
 */
export async function findInSources(dataDir: string, article: Article, loaded: readonly LoadedArticle[], maxFileBytes: number): Promise<InSources> {
  const { files } = await listFiles(dataDir).catch((err: Error) => {
    throw new IntakeError('read-only', `cannot compare with the sources: ${err.message}; ask the bot's host to make it readable`);
  });
  const known = new Map(loaded.map((a) => [a.file, a]));
  const articleFiles = files.filter((f) => ARTICLE_FILE.test(path.extname(f)));
  const stampsNow = await stampsOf(dataDir, articleFiles.filter((f) => known.get(f)?.stamp));
  const found: InSources = { sameUrl: [], sameText: null };
  let hash: string | null = null;
  const fromSameUrl = (seen: { url: string | null }) => !!(article.url && seen.url && sameArticleUrl(seen.url, article.url));
  for (const file of articleFiles) {
    let read: Article | null | undefined;
    const readOnce = async () => (read === undefined ? (read = await readArticle(dataDir, file, maxFileBytes).catch(() => null)) : read);
    const readNow = () => readOnce().then((a) => a && { url: a.url, sentences: a.sentences.length });
    // Trusted while the file is as it was loaded: replaced under its name since, and its reload failed, it holds
    // another text than the list describes.
    const loadedAs = sameStamp(known.get(file)?.stamp, stampsNow.get(file)) ? known.get(file) : undefined;
    let seen = loadedAs ?? (await readNow());
    // A file rewritten at the same size within the file system's clock tick keeps its stamp: a replacement is
    // confirmed on its bytes.
    if (seen && loadedAs && fromSameUrl(seen)) seen = await readNow();
    if (!seen) continue; // not an article: the reload reports it
    if (fromSameUrl(seen)) found.sameUrl.push(file);
    else if (!found.sameText && seen.sentences === article.sentences.length) {
      const other = await readOnce();
      hash ??= quotedTextHash(article);
      if (other && quotedTextHash(other) === hash) found.sameText = file;
    }
  }
  return found;
}

/** The stamps of `files` now (none for a file that cannot be stat'ed). */
async function stampsOf(dataDir: string, files: readonly string[]): Promise<Map<string, FileStamp>> {
  const stamps = await fileStamps(dataDir, files);
  return new Map(files.flatMap((f, i) => (stamps[i] ? [[f, stamps[i]] as const] : [])));
}

/**
 * The sentences an article serves, hashed (spacing aside): the same text saved under another name, from another
 * link or with other front matter hashes the same. Also what marks an article being added (`being-added.ts`).
 */
export function quotedTextHash(article: Pick<Article, 'text' | 'sentences'>): string {
  const hash = createHash('sha1');
  for (const s of article.sentences) hash.update(article.text.slice(s.start, s.end).replace(/\s+/g, ' ')).update('\n');
  return hash.digest('hex');
}

/** Same article address: scheme, `www.`, fragment and a trailing slash do not count. */
export function sameArticleUrl(a: string, b: string): boolean {
  const key = (u: string) => {
    try {
      const url = new URL(u);
      return `${url.hostname.replace(/^www\./, '')}:${url.port}${url.pathname.replace(/\/+$/, '')}${url.search}`;
    } catch {
      return u;
    }
  };
  return key(a) === key(b);
}
