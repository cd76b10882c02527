/**
 * Articles already read from files in the data folder (an `/article add`'s reading of its saved file:
 * `ReloadOptions.alreadyRead`), taken by a reload instead of parsing those files again.
 */
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Article } from './articles';
import { readCapped } from './read-capped';

/**
 * The article already read from `file`, taken while the file's bytes are still the ones read (same fingerprint):
 * checking costs a read and a hash, not the parse (~0.35 s for 5 MB).
 * @example await readDataFolder('data', maxFileBytes, takeAlreadyRead('data', options.alreadyRead, maxFileBytes))
 */
export function takeAlreadyRead<A extends Pick<Article, 'file' | 'fingerprint'>>(
  dataDir: string,
  alreadyRead: readonly A[],
  maxFileBytes: number,
): (file: string) => Promise<A | undefined> {
  const byFile = new Map(alreadyRead.map((a) => [a.file, a]));
  return async (file) => {
    const article = byFile.get(file);
    if (!article) return undefined;
    const full = path.join(dataDir, file);
    // Sized first, and read no further than the limit, as the reader does: a file swapped for a huge one (or a /proc
    // file, stat'ed at 0) is not read whole to be hashed.
    const info = await stat(full).catch(() => null);
    if (!info?.isFile() || info.size > maxFileBytes) return undefined;
    const bytes = await readCapped(full, info.size, maxFileBytes).catch(() => null);
    if (!bytes || createHash('sha1').update(bytes).digest('hex') !== article.fingerprint) return undefined;
    return article;
  };
}
