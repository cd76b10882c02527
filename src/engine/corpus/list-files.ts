/**
 * Listing the data folder: every file under it (recursively, hidden entries skipped, linked folders followed), and
 * each entry that is no readable file or folder with a reason a moderator can act on.
 */
import type { Dirent, Stats } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { FileError, FileStamp } from '../types';
import { inBatches } from './in-batches';

/**
 * Where the kernel shows the running system as files: /proc/self/maps (the bot's memory layout and paths) read as
 * text, and a link to it in the data folder served it as an article to quote.
 */
const SYSTEM_FOLDER = /^(\/proc|\/sys)(?:\/|$)/;

/**
 * The files under `dataDir` (relative paths), and the entries that are no readable file or folder, with why (but a
 * fresh volume's `lost+found/` it may not read, left out); `unreached` names those among them that may hold article files:
 * a folder it could not read, a link it could not follow (a volume not mounted).
 */
export async function listFiles(dataDir: string): Promise<{ files: string[]; errors: FileError[]; unreached: Set<string> }> {
  const files: string[] = [];
  const errors: FileError[] = [];
  const unreached = new Set<string>();
  /**
   * @param above real paths of the folders from the data folder down to this one: a link to one of them loops
   * @param linked whether `sub` was reached through a link of its own (then it is where the owner pointed it)
   */
  const walk = async (sub: string, above: string[], linked = false): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(path.join(dataDir, sub), { withFileTypes: true });
    } catch (err) {
      if (!sub) throw err;
      // A fresh volume's lost+found/ (root's, mode 700) is no article anyone put there: not in every reload's report.
      // Only that: a link so named, or another failure (a disk's I/O error), is still told.
      if (path.basename(sub) === 'lost+found' && !linked && fsReason(err) === 'permission denied') return;
      errors.push({ file: `${sub}/`, reason: `folder could not be read: ${fsReason(err)}` });
      unreached.add(`${sub}/`);
      return;
    }
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name.startsWith('.')) continue;
      const rel = sub ? `${sub}/${entry.name}` : entry.name;
      const full = path.join(dataDir, rel);
      let kind: Dirent | Stats = entry;
      if (entry.isSymbolicLink()) {
        try {
          kind = await stat(full);
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          errors.push({ file: rel, reason: code === 'ENOENT' ? 'broken symbolic link (its target does not exist)' : fsReason(err) });
          unreached.add(rel);
          continue;
        }
      }
      // A folder reached through a link (one to "/" holds /proc) is checked as a link is.
      const real = entry.isSymbolicLink() || kind.isDirectory() ? await realpath(full).catch(() => full) : full;
      const system = SYSTEM_FOLDER.exec(real);
      if (system) errors.push({ file: rel, reason: `leads into ${system[1]}: a system file, not an article` });
      else if (kind.isDirectory()) {
        if (above.includes(real)) errors.push({ file: rel, reason: 'symbolic link loop (links back to a folder above it)' });
        else await walk(rel, [...above, real], entry.isSymbolicLink());
      } else if (kind.isFile()) files.push(rel);
      // Never opened: reading a FIFO blocks until someone writes to it.
      else errors.push({ file: rel, reason: `not a regular file (${specialKind(kind)})` });
    }
  };
  try {
    await walk('', [await realpath(dataDir)]);
  } catch (err) {
    throw new Error(`the data folder ${dataDir} cannot be read: ${fsReason(err)}`);
  }
  return { files, errors, unreached };
}

/** Files stat'ed at once (a reload's folder key, the intake's sources check). */
const STAT_BATCH = 64;

/**
 * Each file's stamp now, in order (null for one that cannot be stat'ed): what a reload trusts to tell a file unchanged
 * without reading it. The device is left out (as git leaves it out): a network or removable volume's number changes
 * from one mount to the next, while a replacement by rename stays on its device.
 * @example const [stamp] = await fileStamps('data', ['putin-obama.md']) // { size: 4312, mtimeMs: 1700000000000, ctimeMs: 1700000000000, ino: 5243 }
 */
export async function fileStamps(dataDir: string, files: readonly string[]): Promise<Array<FileStamp | null>> {
  const infos = await inBatches(files, STAT_BATCH, (f) => stat(path.join(dataDir, f)).catch(() => null));
  return infos.map((info) => info && { size: info.size, mtimeMs: info.mtimeMs, ctimeMs: info.ctimeMs, ino: info.ino });
}

/** Whether two stamps give the same size and modification time: what tells a changed file without reading it. */
export const sameSizeAndTime = (a: FileStamp | undefined, b: FileStamp | undefined): boolean =>
  !!a && !!b && a.size === b.size && a.mtimeMs === b.mtimeMs;

/**
 * Whether two stamps are the same in full: a replacement whose modification time was set back (rsync -t, cp -p) keeps
 * size and time, not change time or inode.
 */
export const sameStamp = (a: FileStamp | undefined, b: FileStamp | undefined): boolean =>
  sameSizeAndTime(a, b) && a?.ctimeMs === b?.ctimeMs && a?.ino === b?.ino;

/**
 * How near the moment a build took its stamps a file's modification time must be for its stamp not to vouch for it
 * (git's "racily clean"): a file rewritten at the same size within the file system's clock tick keeps its stamp, and a
 * rewrite after the stamps were taken falls in a tick that began at most one tick before. 3 s: FAT's tick is 2 s (ext4's
 * and NTFS's are finer), and a second more for a file server whose clock is behind ours; one further behind defeats it.
 * Such a file is compared by its bytes; the others, all but those written moments before a build, stay a stat.
 */
export const RACY_MS = 3000;

/** Whether a stamp with this modification time, taken at `takenAt` (ms since the epoch), may hide a later rewrite. */
export const isRacy = (mtimeMs: number, takenAt: number): boolean => mtimeMs >= takenAt - RACY_MS;

export function specialKind(kind: Dirent | Stats): string {
  if (kind.isDirectory()) return 'a folder';
  if (kind.isFIFO()) return 'a FIFO, named pipe';
  if (kind.isSocket()) return 'a socket';
  if (kind.isCharacterDevice() || kind.isBlockDevice()) return 'a device';
  return 'unknown kind';
}

/** A file-system error as a moderator reads it. */
export function fsReason(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e.code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOENT':
      return 'it does not exist';
    case 'ELOOP':
      return 'symbolic link loop';
    case 'ENOTDIR':
      return 'not a folder';
    default:
      return e.message ?? String(err);
  }
}
