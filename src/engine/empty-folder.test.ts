import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { hasCommand, isRoot, runWithoutPermissionOverride } from '../../test/system';
import { NO_ARTICLES, openEngine, QuestionError } from '.';
import { snapshotPath } from './snapshot/snapshot';

// A new server's owner starts with no article and lets moderators add them (/article add): the real engine on the
// offline model, on a folder with no article file yet.
const tmp = (p: string) => mkdtempSync(path.join(os.tmpdir(), p));
/**
 * What the owner is told to do about a kept snapshot: "it is kept for when they are back" named no files, and "put the
 * files back" promised it used for files copied back, whose new times make it stale (see the test that keeps it), and
 * "it is used" held only while nothing is added meanwhile (see the test that replaces it).
 */
const KEPT =
  'the snapshot is kept for when the article files are back: mount the volume (or put the same files back, their modification times kept) and restart or reload, and it is used instead of rebuilding every article (an article added meanwhile is built alone, and its snapshot replaces this one); if the folder is meant to be empty, delete the snapshot';
/** The one article of these folders. */
const FERRY = 'Ferry timetable cut\n\nThe island ferry will run twice a day instead of four times from November.\n';

/** A folder holding FERRY as ferry.txt (`file`) and a cache holding its snapshot, written by a first start. */
async function snapshotted(prefix: string): Promise<{ volume: string; cache: string; file: string }> {
  const volume = tmp(`${prefix}-`);
  const cache = tmp(`${prefix}-cache-`);
  const file = path.join(volume, 'ferry.txt');
  writeFileSync(file, FERRY);
  await (await openEngine({ dataDir: volume, cacheDir: cache, warn: () => {} })).snapshotWritten(10_000);
  return { volume, cache, file };
}

const cacheDir = tmp('empty-cache-');
const dataDir = tmp('empty-data-');
afterAll(() => [cacheDir, dataDir].forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('a data folder with no article file yet', () => {
  it('opens, tells a question no articles are loaded yet (not "they do not answer"), and serves what a reload adds', async () => {
    writeFileSync(path.join(dataDir, 'README.pdf'), 'not an article'); // skipped by name: still no article file
    const engine = await openEngine({ dataDir, cacheDir, warn: () => {} });
    expect(engine.status()).toMatchObject({ articles: 0, sentences: 0, lastReload: { ok: true, errors: [{ file: 'README.pdf' }] } });
    const refused = await engine.ask('How long did Obama and Putin meet?').then(() => null, (err: unknown) => err);
    expect(refused).toBeInstanceOf(QuestionError);
    expect((refused as Error).message).toBe(NO_ARTICLES);
    expect([engine.suggest('Obama'), engine.articles()]).toEqual([['Obama'], []]);
    expect(await engine.reload()).toMatchObject({ ok: true, articles: 0, added: [] }); // still none: no error either
    // Nothing is written for an empty index (it builds at once): the next start opens as well, from the folder.
    expect((await openEngine({ dataDir, cacheDir, warn: () => {} })).status().lastReload).toMatchObject({ ok: true, fromSnapshot: false });

    writeFileSync(path.join(dataDir, 'ferry.txt'), FERRY);
    expect(await engine.reload()).toMatchObject({ ok: true, articles: 1, added: ['ferry.txt'] });
    const answer = await engine.ask('How often will the island ferry run?');
    expect(answer.answers[0].quote).toContain('twice a day');
  });

  it('keeps the snapshot of a folder that comes back empty (a volume not mounted yet): the start after it is mounted loads it', async () => {
    const volume = tmp('empty-volume-');
    const cache = tmp('empty-volume-cache-');
    const file = path.join(volume, 'ferry.txt');
    const stamp = 1_700_000_000; // whole seconds, so the file put back has the same stamp to the nanosecond
    writeFileSync(file, FERRY);
    utimesSync(file, stamp, stamp);
    await (await openEngine({ dataDir: volume, cacheDir: cache, warn: () => {} })).snapshotWritten(10_000);
    const snapshot = snapshotPath(cache, volume);
    const written = readFileSync(snapshot);
    rmSync(file); // the volume is not there: the folder is empty
    const unmounted = await openEngine({ dataDir: volume, cacheDir: cache, warn: () => {} });
    await unmounted.snapshotWritten(10_000);
    expect(unmounted.status().articles).toBe(0);
    expect(readFileSync(snapshot).equals(written)).toBe(true);
    writeFileSync(file, FERRY); // mounted again: the same file as before
    utimesSync(file, stamp, stamp);
    // Mounted under the running bot, a moderator's /reload loads it too, instead of rebuilding every article.
    expect(await unmounted.reload()).toMatchObject({ ok: true, articles: 1, added: ['ferry.txt'], fromSnapshot: true });
    expect(readFileSync(snapshot).equals(written)).toBe(true);
    const mounted = await openEngine({ dataDir: volume, cacheDir: cache, warn: () => {} });
    expect(mounted.status()).toMatchObject({ articles: 1, lastReload: { ok: true, fromSnapshot: true } });
    // Copied back with a time of now, the same file makes the snapshot stale: the warning asks for the times kept.
    rmSync(file);
    writeFileSync(file, FERRY);
    const copied = await openEngine({ dataDir: volume, cacheDir: cache, warn: () => {} });
    expect(copied.status()).toMatchObject({ articles: 1, lastReload: { ok: true, fromSnapshot: false } });
    [volume, cache].forEach((d) => rmSync(d, { recursive: true, force: true }));
  });

  // /sources tells members that moderators add articles; one added while the volume is not mounted (into the folder it
  // mounts on) is built alone, and that build's snapshot takes the kept one's place: the warning must not promise it.
  it('replaces the kept snapshot with the build of an article added meanwhile, as its warning says', async () => {
    const { volume, cache, file } = await snapshotted('empty-added');
    const snapshot = snapshotPath(cache, volume);
    const written = readFileSync(snapshot);
    const moved = path.join(cache, 'ferry.txt');
    writeFileSync(moved, readFileSync(file));
    utimesSync(moved, statSync(file).atime, statSync(file).mtime);
    rmSync(file); // the volume is not there
    const warnings: string[] = [];
    const engine = await openEngine({ dataDir: volume, cacheDir: cache, warn: (m) => warnings.push(m) });
    expect(warnings).toEqual([expect.stringContaining(KEPT)]);
    writeFileSync(path.join(volume, 'bakery.txt'), 'Bakery opens\n\nThe harbour bakery opens on Monday at seven in the morning.\n'); // /article add
    expect(await engine.reload()).toMatchObject({ ok: true, articles: 1 });
    await engine.snapshotWritten(10_000);
    expect(readFileSync(snapshot).equals(written)).toBe(false);
    // The volume mounted over the folder: the file it held, with its time, no longer finds its snapshot.
    rmSync(path.join(volume, 'bakery.txt'));
    writeFileSync(file, readFileSync(moved));
    utimesSync(file, statSync(moved).atime, statSync(moved).mtime);
    const mounted = await openEngine({ dataDir: volume, cacheDir: cache, warn: () => {} });
    expect(mounted.status()).toMatchObject({ articles: 1, lastReload: { ok: true, fromSnapshot: false } });
    [volume, cache].forEach((d) => rmSync(d, { recursive: true, force: true }));
  });

  it('refuses the snapshot of a folder with no article file unread, in one warning that says a volume may be missing, however often it reloads', async () => {
    const { volume, cache, file } = await snapshotted('empty-unread');
    rmSync(file);
    // Its body damaged: read (a million sentences' snapshot took seconds to read whole), it would be refused as corrupted.
    const snapshot = snapshotPath(cache, volume);
    const bytes = readFileSync(snapshot);
    bytes[bytes.length - 1] ^= 0xff;
    writeFileSync(snapshot, bytes);
    const warnings: string[] = [];
    const engine = await openEngine({ dataDir: volume, cacheDir: cache, warn: (m) => warnings.push(m) });
    expect(await engine.reload()).toMatchObject({ ok: true, articles: 0 });
    expect(await engine.reload({ useSnapshot: true })).toMatchObject({ ok: true, articles: 0 }); // another shard's build
    expect(warnings).toEqual([
      `the index snapshot ${snapshot} is not used: the data folder holds no article file now (is its volume not mounted?), so the index is empty; ${KEPT}`,
    ]);
    // As it says: a folder meant to be empty warns no more once the snapshot is deleted.
    rmSync(snapshot);
    const quiet: string[] = [];
    await openEngine({ dataDir: volume, cacheDir: cache, warn: (m) => quiet.push(m) });
    expect(quiet).toEqual([]);
    [volume, cache].forEach((d) => rmSync(d, { recursive: true, force: true }));
  });

  // Under sharding, a /reload that failed on a folder emptied under the serving index still tells the other shards to
  // take its build: they keep serving theirs, so the warning cannot say their index is empty.
  it('says a serving index keeps serving, not that it is empty, when a shard told to take a build finds the folder empty', async () => {
    const volume = tmp('empty-serving-');
    const cache = tmp('empty-serving-cache-');
    writeFileSync(path.join(volume, 'ferry.txt'), FERRY);
    const warnings: string[] = [];
    const engine = await openEngine({ dataDir: volume, cacheDir: cache, warn: (m) => warnings.push(m) });
    await engine.snapshotWritten(10_000);
    rmSync(path.join(volume, 'ferry.txt'));
    const taken = await engine.reload({ useSnapshot: true });
    expect(taken).toMatchObject({ ok: false, articles: 1, error: expect.stringMatching(/^no readable article in /) });
    expect(warnings).toEqual([
      `the index snapshot ${snapshotPath(cache, volume)} is not used: the data folder holds no article file now (is its volume not mounted?); ${KEPT}`,
    ]);
    [volume, cache].forEach((d) => rmSync(d, { recursive: true, force: true }));
  });

  // The folder's articles behind a link to a volume not mounted: the snapshot is kept, and the start stops (it may
  // hold them). The warning said "and the index is empty" of an index never built, beside the start's failure.
  it('does not call the index empty when the start it warns in then stops', async () => {
    const { volume, cache, file } = await snapshotted('empty-stops');
    rmSync(file);
    symlinkSync(path.join(volume, 'not-mounted'), path.join(volume, 'news'));
    const warnings: string[] = [];
    const failed = await openEngine({ dataDir: volume, cacheDir: cache, warn: (m) => warnings.push(m) }).then(() => null, (err: Error) => err.message);
    expect(failed).toMatch(/no readable article in .*: news \(broken symbolic link/);
    expect(warnings).toEqual([
      `the index snapshot ${snapshotPath(cache, volume)} is not used: the data folder holds no article file now (is its volume not mounted?); ${KEPT}`,
    ]);
    [volume, cache].forEach((d) => rmSync(d, { recursive: true, force: true }));
  });

  it('still refuses a start when article files are there but none can be read (permissions, encoding): the owner meant them', async () => {
    const unreadable = tmp('empty-unreadable-');
    writeFileSync(path.join(unreadable, 'empty.txt'), '');
    const failed = await openEngine({ dataDir: unreadable, cacheDir, warn: () => {} }).then(() => null, (err: Error) => err.message);
    rmSync(unreadable, { recursive: true, force: true });
    expect(failed).toMatch(/^could not build the index: no readable article in .*: empty\.txt \(empty file\)$/);
    // An entry named as an article the listing cannot read (a link to nothing) is an article file meant, too.
    const linked = tmp('empty-linked-');
    symlinkSync(path.join(linked, 'gone.txt'), path.join(linked, 'story.txt'));
    const refused = await openEngine({ dataDir: linked, cacheDir, warn: () => {} }).then(() => null, (err: Error) => err.message);
    rmSync(linked, { recursive: true, force: true });
    expect(refused).toMatch(/no readable article in .*: story\.txt \(broken symbolic link/);
  });

  // Root reads any folder whatever its mode, so as root the start runs in a child process that setpriv stripped of that power.
  const startWithoutOverride = async (dataDir: string): Promise<unknown> => {
    const module = pathToFileURL(path.resolve(__dirname, 'index.ts')).href;
    const settings = JSON.stringify({ dataDir, cacheDir });
    const code = `import { openEngine } from ${JSON.stringify(module)};
const opened = await openEngine({ ...${settings}, warn: () => {} }).then((e) => e.status(), (err) => ({ failed: err.message }));
process.stdout.write(JSON.stringify(opened));`;
    if (isRoot) return JSON.parse(await runWithoutPermissionOverride(code));
    return openEngine({ dataDir, cacheDir, warn: () => {} }).then((e) => e.status(), (err: Error) => ({ failed: err.message }));
  };

  // A fresh ext4 volume holds lost+found/, mode 700 and root's: unreadable to the bot's user.
  it.skipIf(isRoot && !hasCommand('setpriv'))('opens empty on a fresh volume, its unreadable lost+found/ left out of the report (no article anyone put there)', async () => {
    const volume = tmp('empty-lost-');
    chmodSync(volume, 0o755);
    mkdirSync(path.join(volume, 'lost+found'));
    chmodSync(path.join(volume, 'lost+found'), 0o000);
    const started = await startWithoutOverride(volume);
    chmodSync(path.join(volume, 'lost+found'), 0o755);
    rmSync(volume, { recursive: true, force: true });
    // It was named in every /reload's report and at every start, "folder could not be read: permission denied".
    expect(started).toMatchObject({ articles: 0, lastReload: { ok: true, errors: [] } });
  }, 30_000);

  // Only lost+found/ is known to hold no article: another folder that cannot be read, or a link to a folder that is not
  // there, may hold the owner's articles (copied in as root; a volume not mounted), so the start says so and stops.
  it.skipIf(isRoot && !hasCommand('setpriv'))('still refuses a start when all it holds is a folder it cannot read or a link it cannot follow, other than lost+found/', async () => {
    const volume = tmp('empty-news-');
    chmodSync(volume, 0o755);
    mkdirSync(path.join(volume, 'news'));
    writeFileSync(path.join(volume, 'news', 'ferry.txt'), FERRY);
    chmodSync(path.join(volume, 'news'), 0o000);
    const started = await startWithoutOverride(volume);
    chmodSync(path.join(volume, 'news'), 0o755);
    rmSync(volume, { recursive: true, force: true });
    expect(started).toEqual({ failed: expect.stringMatching(/no readable article in .*: news\/ \(folder could not be read: permission denied\)$/) });
    const linked = tmp('empty-mount-');
    symlinkSync(path.join(linked, 'not-mounted'), path.join(linked, 'news'));
    const refused = await openEngine({ dataDir: linked, cacheDir, warn: () => {} }).then(() => null, (err: Error) => err.message);
    rmSync(linked, { recursive: true, force: true });
    expect(refused).toMatch(/no readable article in .*: news \(broken symbolic link/);
  }, 30_000);
});
