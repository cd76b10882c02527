/** What a reload takes from the build before it instead of reading a file again. */
import { takeAlreadyRead } from './corpus/already-read';
import { sameSizeAndTime } from './corpus/list-files';
import { keyStamps, unvouched, type SnapshotKey } from './snapshot/snapshot-key';
import type { Article } from './types';

/**
 * The previous build's article of a file whose size and modification time are what they were then (what the
 * snapshot key trusts too): not read again. One whose modification time was near the moment the previous build took
 * its stamps (`isRacy`), or whose change time or inode moved (replaced with its time set back), may hold other bytes
 * under the same two (`unvouched`): taken only while its bytes still have the article's fingerprint (a read and a
 * hash, not the parse).
 */
export function unchangedSince(
  previous: { key: SnapshotKey; articles: readonly Article[] },
  key: SnapshotKey,
): (file: string) => Article | undefined | Promise<Article | undefined> {
  const then = keyStamps(previous.key);
  const now = keyStamps(key);
  const articles = new Map(previous.articles.map((a) => [a.file, a]));
  const sameBytes = takeAlreadyRead(key.dataDir, previous.articles, key.maxFileBytes);
  return (file) => {
    const [before, after] = [then.get(file), now.get(file)];
    if (!before || !sameSizeAndTime(before, after)) return undefined;
    return unvouched(before, after, previous.key.takenAt) ? sameBytes(file) : articles.get(file);
  };
}
