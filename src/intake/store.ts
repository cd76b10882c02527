/**
 * Writing articles into the data folder and taking them out, losing nothing: a new file appears whole (written
 * to a hidden temporary file in the same folder, then linked under its name, which fails rather than overwrite),
 * and a removed or replaced file is moved into the set-aside folder (outside the data folder) with the time in
 * its name, never deleted.
 */
import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { copyFile, link, mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { IntakeError } from './errors';
import type { PreparedArticle } from './prepare';

export interface ArticleFolders {
  /** DATA_DIR: where the engine reads articles. */
  dataDir: string;
  /** REMOVED_DIR: where removed and replaced files are kept; outside the data folder. */
  removedDir: string;
}

export interface SavedArticle {
  /** The new file, relative to the data folder. */
  file: string;
  /** Files it replaced (same URL), and where each was set aside. */
  replaced: Array<{ file: string; setAsideTo: string }>;
}

/** The set-aside folder used when REMOVED_DIR is not set: `removed-articles` beside the data folder. */
export function defaultRemovedDir(dataDir: string): string {
  return path.join(path.dirname(path.resolve(dataDir)), 'removed-articles');
}

/**
 * Writes a prepared article under a name made from its title; the files it replaces (from the same URL:
 * `findInSources`) are set aside first (and put back if the write fails). `onNamed` is told the file's name as it
 * is taken, before anything else is awaited (the temporary file's removal).
 * @example const { file } = await saveArticle({ dataDir: 'data', removedDir: 'removed-articles' }, prepared, ['old-name.md'])
 */
export async function saveArticle(
  folders: ArticleFolders,
  prepared: PreparedArticle,
  replaces: readonly string[],
  now = new Date(),
  onNamed?: (file: string) => void,
): Promise<SavedArticle> {
  const temp = path.join(folders.dataDir, `.intake-${randomUUID()}.tmp`);
  await writeWhole(temp, prepared.text).catch((err) => {
    throw writeError(err, `the data folder (${folders.dataDir})`);
  });
  const replaced: SavedArticle['replaced'] = [];
  try {
    for (const old of replaces) {
      const setAsideTo = await setAside(folders, old, 'replaced', now).catch((err) => {
        if (err instanceof IntakeError && err.kind === 'no-such-article') return null; // already gone
        throw err;
      });
      if (setAsideTo) replaced.push({ file: old, setAsideTo });
    }
    const base = slugify(prepared.article.title);
    const final = await linkUnderFreeName(temp, (n) => path.join(folders.dataDir, `${base}${n > 1 ? `-${n}` : ''}${prepared.extension}`), (taken) =>
      onNamed?.(path.basename(taken)),
    );
    return { file: path.basename(final), replaced };
  } catch (err) {
    // Put replaced files back; one that cannot go back stays in the set-aside folder (still not lost).
    for (const r of replaced) {
      await link(r.setAsideTo, path.join(folders.dataDir, r.file))
        .then(() => unlink(r.setAsideTo))
        .catch(() => {});
    }
    throw err instanceof IntakeError ? err : writeError(err, `the data folder (${folders.dataDir})`);
  } finally {
    await unlink(temp).catch(() => {});
  }
}

/**
 * Moves an article file (relative to the data folder) into the set-aside folder, keeping its sub-folder:
 * `news/a.md` → `<removedDir>/news/2026-11-26T12-30-05.123Z_removed_a.md`. Returns the new path.
 * @example await removeArticleFile(folders, 'obama-putin.md')
 */
export function removeArticleFile(folders: ArticleFolders, file: string, now = new Date()): Promise<string> {
  return setAside(folders, file, 'removed', now);
}

async function setAside(folders: ArticleFolders, file: string, reason: 'removed' | 'replaced', now: Date): Promise<string> {
  const dataDir = path.resolve(folders.dataDir);
  const source = path.resolve(dataDir, file);
  if (!source.startsWith(dataDir + path.sep)) throw new IntakeError('no-such-article', `no article ${file} in the data folder`);
  if (!(await stat(source).catch(() => null))?.isFile()) throw new IntakeError('no-such-article', `no article ${file} in the data folder`);
  const relative = path.relative(dataDir, source);
  const folder = path.join(folders.removedDir, path.dirname(relative));
  const stamp = now.toISOString().replace(/:/g, '-');
  const name = path.basename(relative);
  try {
    await mkdir(folder, { recursive: true });
    return await moveWithoutOverwrite(source, (n) => path.join(folder, `${stamp}_${reason}${n > 1 ? `-${n}` : ''}_${name}`));
  } catch (err) {
    throw writeError(err, `the data folder (${folders.dataDir}) or the set-aside folder (${folders.removedDir})`);
  }
}

/** "Harbour bridge approved, after 8 years!" → "harbour-bridge-approved-after-8-years". */
export function slugify(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
  return slug || 'article';
}

async function writeWhole(file: string, text: string): Promise<void> {
  const handle = await open(file, 'wx');
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Links `source` under the first free name (`link` fails on an existing name, so nothing is overwritten); `onTaken`
 * is told the name in the same turn as the name is taken (linked, or reserved before the rename onto it).
 */
async function linkUnderFreeName(source: string, nameFor: (n: number) => string, onTaken: (target: string) => void): Promise<string> {
  for (let n = 1; ; n++) {
    const target = nameFor(n);
    try {
      await link(source, target);
      onTaken(target);
      return target;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') continue;
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw err;
      // A file system without hard links: reserve the name exclusively, then rename the whole file onto it.
      try {
        await (await open(target, 'wx')).close();
      } catch (reserveErr) {
        if ((reserveErr as NodeJS.ErrnoException).code === 'EEXIST') continue;
        throw reserveErr;
      }
      onTaken(target);
      await rename(source, target);
      return target;
    }
  }
}

/** Moves a file to the first free name; across file systems by an exclusive copy, then removing the source. */
async function moveWithoutOverwrite(source: string, nameFor: (n: number) => string): Promise<string> {
  for (let n = 1; ; n++) {
    const target = nameFor(n);
    try {
      await link(source, target);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') continue;
      if (code !== 'EXDEV' && code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw err;
      try {
        await copyFile(source, target, constants.COPYFILE_EXCL);
      } catch (copyErr) {
        if ((copyErr as NodeJS.ErrnoException).code === 'EEXIST') continue;
        throw copyErr;
      }
    }
    await unlink(source);
    return target;
  }
}

function writeError(err: unknown, where: string): Error {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EROFS' || code === 'EPERM') {
    return new IntakeError('read-only', `cannot write: ${where} is read-only for the bot; ask its host to make it writable`);
  }
  if (code === 'ENOSPC') return new IntakeError('read-only', `cannot write: no space left on the disk of ${where}`);
  return err as Error;
}
