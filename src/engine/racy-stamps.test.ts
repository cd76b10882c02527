import { utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AFTER_, BEFORE, OLD, writeOldHarbour } from '../../test/ferry-fixture';
import { tempDirs } from '../../test/temp-dirs';
import { openEngine } from '.';
import { snapshotPath, SNAPSHOT_VERSION } from './snapshot/snapshot';
import { readSectionFile, writeSectionFile } from './snapshot/snapshot-file';

// A file rewritten at the same size within the file system's clock tick keeps its stamp (size, modification time).
// The tick is emulated: the rewrite's modification time is set back to the one it had (whole seconds, exact to the
// nanosecond), shortly before the build that took the stamp, as a file written then rewritten within a tick has.
const tmp = tempDirs();

/** Writes `text` to `file` with a modification time of the current whole second (at most a second before the build). */
function writeThisSecond(file: string, text: string, second = Math.floor(Date.now() / 1000)): number {
  writeFileSync(file, text);
  utimesSync(file, second, second);
  return second;
}

/** An engine on a folder of one old article, serving a ferry article written this second by a reload. */
async function servingFresh() {
  const dataDir = tmp('racy-data-');
  const cacheDir = tmp('racy-cache-');
  writeOldHarbour(dataDir);
  const engine = await openEngine({ dataDir, cacheDir, warn: () => {} });
  const file = path.join(dataDir, 'ferry.txt');
  const second = writeThisSecond(file, BEFORE);
  expect(await engine.reload({ waitForSnapshot: true })).toMatchObject({ ok: true, added: ['ferry.txt'] });
  return { dataDir, cacheDir, engine, file, second };
}

describe('a file rewritten at the same size within the clock tick of the build that stamped it', () => {
  it('is seen as changed by the next reload, and served as it is now', async () => {
    expect(AFTER_.length).toBe(BEFORE.length);
    const { engine, file, second } = await servingFresh();
    writeThisSecond(file, AFTER_, second);
    expect(await engine.reload()).toMatchObject({ ok: true, changed: ['ferry.txt'] });
    expect((await engine.ask('When will the island ferry run?')).answers[0]?.quote).toContain('six in the evening');
    // Unchanged since, it is taken after a read and a hash: the next reload parses nothing.
    expect(await engine.reload()).toMatchObject({ ok: true, changed: [], filesRead: 0 });
  }, 30_000);

  it('makes the snapshot stale: the next start reads it instead of serving the text it had', async () => {
    const { dataDir, cacheDir, file, second } = await servingFresh();
    writeThisSecond(file, AFTER_, second);
    const warnings: string[] = [];
    const next = await openEngine({ dataDir, cacheDir, warn: (m) => warnings.push(m) });
    expect(next.status().lastReload).toMatchObject({ ok: true, fromSnapshot: false });
    expect(warnings.join('\n')).toContain('the data folder changed since (1 file');
    expect((await next.ask('When will the island ferry run?')).answers[0]?.quote).toContain('six in the evening');
  }, 30_000);

  it('still lets a start use the snapshot when such a file holds the bytes it was built from', async () => {
    const { dataDir, cacheDir, file, second } = await servingFresh();
    writeThisSecond(file, BEFORE, second);
    const next = await openEngine({ dataDir, cacheDir, warn: () => {} });
    expect(next.status().lastReload).toMatchObject({ ok: true, fromSnapshot: true });
  }, 30_000);

  it('makes the snapshot stale when a file the build could not read reads now (mended at the same size)', async () => {
    const { dataDir, cacheDir, engine, second } = await servingFresh();
    const broken = path.join(dataDir, 'notice.md');
    const mended = '---\ntitle: Notice\n---\nThe pier closes at noon on Sunday.\n';
    writeThisSecond(broken, mended.replace('---\nThe', '+++\nThe'), second); // front matter not closed
    expect((await engine.reload({ waitForSnapshot: true })).errors).toEqual([expect.objectContaining({ file: 'notice.md' })]);
    expect((await openEngine({ dataDir, cacheDir, warn: () => {} })).status().lastReload).toMatchObject({ fromSnapshot: true });
    writeThisSecond(broken, mended, second);
    const next = await openEngine({ dataDir, cacheDir, warn: () => {} });
    expect(next.status()).toMatchObject({ articles: 3, lastReload: { ok: true, fromSnapshot: false, errors: [] } });
  }, 30_000);

  it('is listed without a stamp, so the sources check reads it rather than trust what was loaded', async () => {
    const { engine } = await servingFresh();
    const listed = new Map(engine.articles().map((a) => [a.file, a.stamp]));
    expect(listed.get('ferry.txt')).toBeUndefined();
    expect(listed.get('harbour.txt')).toMatchObject({ mtimeMs: OLD * 1000 });
  }, 30_000);

  it('rebuilds a snapshot of version 9, whose key has no takenAt to tell such a file by, instead of serving the text it had', async () => {
    const { dataDir, cacheDir, file, second } = await servingFresh();
    // The snapshot as version 9 wrote it: the same sections, a key without takenAt (checksum kept valid).
    const snapshot = snapshotPath(cacheDir, dataDir);
    const read = (await readSectionFile(snapshot, SNAPSHOT_VERSION))!;
    delete (read.meta as { key: { takenAt?: number } }).key.takenAt;
    await writeSectionFile(snapshot, 9, read.meta as object, Object.fromEntries(read.sections));
    writeThisSecond(file, AFTER_, second);
    const warnings: string[] = [];
    const next = await openEngine({ dataDir, cacheDir, warn: (m) => warnings.push(m) });
    expect(next.status().lastReload).toMatchObject({ ok: true, fromSnapshot: false });
    expect(warnings).toEqual([expect.stringMatching(/format version 9/)]);
    expect((await next.ask('When will the island ferry run?')).answers[0]?.quote).toContain('six in the evening');
  }, 30_000);

  it('is one whose modification time is ahead of the clock (a writer whose clock runs ahead), for as long as it is', async () => {
    const { engine, file } = await servingFresh();
    const ahead = Math.floor(Date.now() / 1000) + 3600;
    writeThisSecond(file, BEFORE, ahead);
    expect(await engine.reload()).toMatchObject({ ok: true, changed: [] });
    writeThisSecond(file, AFTER_, ahead);
    expect(await engine.reload()).toMatchObject({ ok: true, changed: ['ferry.txt'] });
    expect(engine.articles().find((a) => a.file === 'ferry.txt')?.stamp).toBeUndefined();
  }, 30_000);
});
