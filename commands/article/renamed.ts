/** Telling a removed article's file renamed by the bot's host from one that left the data folder. */
import type { ArticleInfo, FileStamp } from '../../src/engine/types';

/**
 * Whether two builds' stamps are of one file (renamed or linked, not rewritten); never for a racy one (no stamp), nor
 * where the file system numbers no file (0, some Windows volumes): size and time alone match files unpacked at once.
 */
function sameFile(a: FileStamp | undefined, b: FileStamp | undefined): boolean {
  return !!a && !!b && a.ino !== 0 && a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs;
}

/**
 * The name the reload serves `removed`'s very file under (its file was gone before the removal), or null. Not a
 * name that served that file already before (a hard link, or stamps that only look alike): that is no rename.
 * @example renamedTo(removed, loadedBefore, engine.articles()) // 'b.txt'
 */
export function renamedTo(removed: ArticleInfo, before: readonly ArticleInfo[], after: readonly ArticleInfo[]): string | null {
  const servedBefore = new Map(before.map((a) => [a.file, a.stamp]));
  const renamed = (a: ArticleInfo) => a.file !== removed.file && sameFile(a.stamp, removed.stamp) && !sameFile(servedBefore.get(a.file), removed.stamp);
  return after.find(renamed)?.file ?? null;
}
