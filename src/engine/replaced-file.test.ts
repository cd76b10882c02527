import { renameSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AFTER_, BEFORE, OLD, writeOldHarbour } from '../../test/ferry-fixture';
import { tempDirs } from '../../test/temp-dirs';
import { openEngine } from '.';

// rsync -t, cp -p and tar write a new file and set its modification time back to the old one's: at the same size its
// size and time are what the build recorded. Its change time (which no program can set back) and, when it was written
// beside and renamed into place, its inode are not.
const tmp = tempDirs();

/** An engine serving an old ferry article (and an old harbour one), with its snapshot written. */
async function servingOld() {
  const dataDir = tmp('replaced-data-');
  const cacheDir = tmp('replaced-cache-');
  writeOldHarbour(dataDir);
  const file = path.join(dataDir, 'ferry.txt');
  writeFileSync(file, BEFORE);
  utimesSync(file, OLD, OLD);
  const engine = await openEngine({ dataDir, cacheDir, warn: () => {} });
  expect(await engine.reload({ waitForSnapshot: true })).toMatchObject({ ok: true, changed: [] });
  return { dataDir, cacheDir, engine, file };
}

/** `text` put in place of `file` as rsync -t does: written beside it, its times set to the old ones, renamed over it. */
function replaceKeepingTimes(file: string, text: string, inPlace = false): void {
  const { atime, mtime, size, ino } = statSync(file);
  expect(Buffer.byteLength(text)).toBe(size);
  const target = inPlace ? file : `${file}.partial`;
  writeFileSync(target, text);
  utimesSync(target, atime, mtime);
  if (!inPlace) renameSync(target, file);
  expect(statSync(file)).toMatchObject({ size, mtimeMs: OLD * 1000 });
  expect(statSync(file).ino !== ino || inPlace).toBe(true);
}

const ask = (engine: Awaited<ReturnType<typeof openEngine>>) => engine.ask('When will the island ferry run?').then((r) => r.answers[0]?.quote);

describe('a file replaced at the same size with its modification time set back', () => {
  for (const inPlace of [false, true]) {
    const how = inPlace ? 'rewritten in place (cp -p)' : 'renamed into place (rsync -t, tar)';
    it(`is seen as changed by the next reload, and served as it is now: ${how}`, async () => {
      const { engine, file } = await servingOld();
      expect(await ask(engine)).toContain('nine in the morning');
      replaceKeepingTimes(file, AFTER_, inPlace);
      expect(await engine.reload()).toMatchObject({ ok: true, changed: ['ferry.txt'] });
      expect(await ask(engine)).toContain('six in the evening');
      // Its new stamp vouches for it: the next reload reads nothing.
      expect(await engine.reload()).toMatchObject({ ok: true, changed: [], filesRead: 0 });
    }, 30_000);

    it(`makes the snapshot stale: the next start reads it instead of serving the text it had: ${how}`, async () => {
      const { dataDir, cacheDir, file } = await servingOld();
      replaceKeepingTimes(file, AFTER_, inPlace);
      const warnings: string[] = [];
      const next = await openEngine({ dataDir, cacheDir, warn: (m) => warnings.push(m) });
      expect(next.status().lastReload).toMatchObject({ ok: true, fromSnapshot: false });
      expect(warnings.join('\n')).toContain('the data folder changed since (1 file');
      expect(await ask(next)).toContain('six in the evening');
    }, 30_000);
  }

  it('still lets a reload and a start take it unread but for a hash when it holds the same bytes (a copy, a chmod)', async () => {
    const { dataDir, cacheDir, engine, file } = await servingOld();
    replaceKeepingTimes(file, BEFORE);
    expect(await engine.reload()).toMatchObject({ ok: true, changed: [] });
    const next = await openEngine({ dataDir, cacheDir, warn: () => {} });
    expect(next.status().lastReload).toMatchObject({ ok: true, fromSnapshot: true });
  }, 30_000);

  it('is listed with its new stamp, so the sources check does not trust the stamp of the file it replaced', async () => {
    const { engine, file } = await servingOld();
    const before = engine.articles().find((a) => a.file === 'ferry.txt')?.stamp;
    replaceKeepingTimes(file, AFTER_);
    await engine.reload();
    const now = statSync(file);
    expect(engine.articles().find((a) => a.file === 'ferry.txt')?.stamp).toEqual({ size: now.size, mtimeMs: now.mtimeMs, ctimeMs: now.ctimeMs, ino: now.ino });
    expect(before?.ino).not.toBe(now.ino);
  }, 30_000);
});
