/** What a reload takes from the build before it instead of reading a file again. */
import { takeAlreadyRead } from './corpus/already-read';
import { isRacy } from './corpus/list-files';
import type { SnapshotKey } from './snapshot/snapshot';
import type { Article } from './types';

/**
 * The previous build's article of a file whose size and modification time are what they were then (what the
 * snapshot key trusts too): not read again. One whose modification time was near the moment the previous build took
 * its stamps may have been rewritten since under the same stamp (`isRacy`): taken only while its bytes still have the
 * article's fingerprint (a read and a hash, not the parse).
 */
export function unchangedSince(
  previous: { key: SnapshotKey; articles: readonly Article[] },
  key: SnapshotKey,
): (file: string) => Article | undefined | Promise<Article | undefined> {
  const stamp = (files: SnapshotKey['files']) => new Map(files.map(([file, size, mtime]) => [file, { size, mtime }]));
  const then = stamp(previous.key.files);
  const now = stamp(key.files);
  const articles = new Map(previous.articles.map((a) => [a.file, a]));
  const sameBytes = takeAlreadyRead(key.dataDir, previous.articles, key.maxFileBytes);
  return (file) => {
    const [before, after] = [then.get(file), now.get(file)];
    if (!before || !after || before.size !== after.size || before.mtime !== after.mtime) return undefined;
    return isRacy(before.mtime, previous.key.takenAt) ? sameBytes(file) : articles.get(file);
  };
}
