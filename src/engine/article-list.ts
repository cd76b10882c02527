/**
 * What `engine.articles()` lists: each loaded article without its text, and with its file's stamp as the build found
 * it; made once a build.
 */
import { isRacy } from './corpus/list-files';
import { keyStamps, type SnapshotKey } from './snapshot/snapshot-key';
import type { Article, ArticleInfo, FileStamp } from './types';

/**
 * `articles()` of a build: each article with its file's stamp in the build's key; none for a file modified near the
 * moment the key was taken (`isRacy`), which may have been rewritten since under the same stamp: a caller reads it.
 */
export function listArticles(articles: readonly Article[], key: SnapshotKey): readonly ArticleInfo[] {
  const stamps = new Map([...keyStamps(key)].filter(([, stamp]) => !isRacy(stamp.mtimeMs, key.takenAt)));
  return Object.freeze(articles.map((a) => articleInfo(a, stamps.get(a.file))));
}

/** What `articles()` lists of an article (bench/sources-pages.ts times it). */
export function articleInfo(a: Article, stamp: FileStamp | undefined): ArticleInfo {
  return {
    id: a.id,
    title: a.title,
    file: a.file,
    url: a.url,
    outlet: a.outlet,
    published: a.published,
    sentences: a.sentences.length,
    addedBy: a.addedBy ?? null,
    addedAt: a.addedAt ?? null,
    stamp,
  };
}
