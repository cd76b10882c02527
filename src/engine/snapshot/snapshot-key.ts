/**
 * What a snapshot is checked against: the data folder's key (every file's stamp, from one listing and a `stat` per file),
 * and, for a file modified near the moment the key was taken, its bytes.
 */
import { takeAlreadyRead } from '../corpus/already-read';
import { isArticleFile, readOutcome } from '../corpus/articles';
import { inBatches } from '../corpus/in-batches';
import { fileStamps, isRacy, listFiles, sameSizeAndTime, sameStamp } from '../corpus/list-files';
import type { ArticleMeta } from '../retrieval/sentence-table';
import type { FileError, FileStamp } from '../types';

/** What a build depends on: a snapshot serves only a folder whose key is equal. */
export interface SnapshotKey {
  dataDir: string;
  model: string;
  maxFileBytes: number;
  /**
   * Every listed file: path relative to the data folder, size, modification time, change time (both in ms) and inode
   * (all -1 if it vanished). Size and modification time tell a changed file; a change time or inode that differs
   * under the same two has its bytes compared (a replacement whose modification time was set back, or a mere chmod).
   * The last two were added within version 10, before its release: a key without them has every file compared.
   */
  files: Array<[file: string, size: number, mtimeMs: number, ctimeMs: number, ino: number]>;
  /** Entries the listing could not read (folders, link loops). */
  listing: FileError[];
  /** When the stamps were taken (ms since the epoch, before the listing): a stamp near it may hide a rewrite (`isRacy`). */
  takenAt: number;
}

/**
 * The key of the data folder as it is now: a listing and a `stat` per file, nothing read.
 * @example const key = await folderKey('data', embedder.id, 5 * 1024 * 1024)
 */
export async function folderKey(dataDir: string, model: string, maxFileBytes: number): Promise<SnapshotKey> {
  // Before the listing: a file rewritten after its stat is rewritten after this.
  const takenAt = Date.now();
  const { files, errors } = await listFiles(dataDir);
  const stamps = await fileStamps(dataDir, files);
  return { dataDir, model, maxFileBytes, files: files.map((f, i) => [f, ...stampFields(stamps[i])]), listing: errors, takenAt };
}

const stampFields = (s: FileStamp | null): [number, number, number, number] => (s ? [s.size, s.mtimeMs, s.ctimeMs, s.ino] : [-1, -1, -1, -1]);

/** The stamp `key` records of each of its files, by path. */
export function keyStamps(key: Pick<SnapshotKey, 'files'>): Map<string, FileStamp> {
  return new Map(key.files.map(([file, size, mtimeMs, ctimeMs, ino]) => [file, { size, mtimeMs, ctimeMs, ino }]));
}

/**
 * Whether a file whose size and modification time are what `before` recorded may still hold other bytes: its stamp was
 * taken near when `takenAt` (`isRacy`), or its change time or inode moved since (replaced, its time set back).
 */
export function unvouched(before: FileStamp, now: FileStamp | undefined, takenAt: number): boolean {
  return isRacy(before.mtimeMs, takenAt) || !sameStamp(before, now);
}

/** Why two keys differ, for the warning ("3 files changed, added or removed"), or null when they are equal. */
export function keyDifference(stored: SnapshotKey, now: SnapshotKey): string | null {
  if (stored.model !== now.model) return 'it was built with another embedding model';
  if (stored.dataDir !== now.dataDir) return 'it was built from another data folder';
  if (stored.maxFileBytes !== now.maxFileBytes) return 'it was built with another file size limit';
  const before = keyStamps(stored);
  let differ = Math.abs(stored.files.length - now.files.length);
  for (const [file, stamp] of keyStamps(now)) if (!sameSizeAndTime(before.get(file), stamp)) differ++;
  if (differ > 0) return `the data folder changed since (${differ} file${differ === 1 ? '' : 's'} added, changed or removed)`;
  if (JSON.stringify(stored.listing) !== JSON.stringify(now.listing)) return 'the data folder changed since (its sub-folders)';
  return null;
}

/** Racy files compared at a time: each is read whole (up to the size limit) and hashed. */
const COMPARE_BATCH = 64;

/**
 * How many of the stored key's article files its stamps cannot vouch for (`unvouched`: modified near when it was
 * taken, or replaced since under the same size and modification time) no longer give what its build got from them, to
 * be called after the keys are found equal. Only those files are read: a folder written moments before its snapshot
 * costs their reads at the next start, not a rebuild. An article is compared by its bytes (the fingerprint: a read and
 * a hash); a file the build could not read, read again, must fail for the same reason. Any other file is never read by
 * a build, so never matters.
 */
export async function racyChanged(stored: SnapshotKey, now: SnapshotKey, articles: readonly ArticleMeta[], errors: readonly FileError[]): Promise<number> {
  const current = keyStamps(now);
  const racy = [...keyStamps(stored)].filter(([file, stamp]) => isArticleFile(file) && unvouched(stamp, current.get(file), stored.takenAt)).map(([file]) => file);
  if (racy.length === 0) return 0;
  const { dataDir, maxFileBytes } = stored;
  const sameBytes = takeAlreadyRead(dataDir, articles, maxFileBytes);
  const failed = new Map(errors.map((e) => [e.file, e.reason]));
  const same = async (file: string) => {
    if (!failed.has(file)) return !!(await sameBytes(file));
    const now = await readOutcome(dataDir, file, maxFileBytes);
    return 'reason' in now && now.reason === failed.get(file);
  };
  return (await inBatches(racy, COMPARE_BATCH, same)).filter((ok) => !ok).length;
}
