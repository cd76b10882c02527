/**
 * Articles read already from files in the data folder (an `/article add`'s reading of its saved file:
 * `ReloadOptions.alreadyRead`), taken by a reload instead of parsing those files again.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ArticleReading } from '../types';
import type { Article } from './articles';

/**
 * Each reading taken for its file while the file's bytes are still the ones read (same fingerprint): checking costs
 * a read and a hash, not the parse (~0.35 s for 5 MB).
 * @example await readDataFolder('data', maxFileBytes, stillRead('data', options.alreadyRead, maxFileBytes))
 */
export function stillRead(dataDir: string, readings: readonly ArticleReading[], maxFileBytes: number): (file: string) => Promise<Article | undefined> {
  // Only the reader's own Articles: the type lets a bare file and fingerprint in, which would index nothing for it.
  const byFile = new Map(readings.filter(isArticle).map((a) => [a.file, a]));
  return async (file) => {
    const article = byFile.get(file);
    if (!article) return undefined;
    const full = path.join(dataDir, file);
    // Sized first, as the reader does: a file swapped for a huge one is not read whole to be hashed.
    const info = await stat(full).catch(() => null);
    if (!info?.isFile() || info.size > maxFileBytes) return undefined;
    const bytes = await readFile(full).catch(() => null);
    if (!bytes || createHash('sha1').update(bytes).digest('hex') !== article.fingerprint) return undefined;
    return article;
  };
}

function isArticle(reading: ArticleReading): reading is Article {
  const a = reading as Partial<Article>;
  return typeof a.text === 'string' && typeof a.title === 'string' && Array.isArray(a.sentences) && Array.isArray(a.paragraphs);
}
