/**
 * One article, one copy in the sources: the same link again before its reload, two links landing on the same
 * article at once, and one file uploaded under two names. Real intake, real engine, real files in a temp data folder;
 * the pages and uploads are served by this test on 127.0.0.1.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, watch } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readDataFolder, type Article } from '../engine/corpus/articles';
import type { AnswerEngine } from '../engine/index';
import type { ReloadOptions, ReloadReport } from '../engine/types';
import { openIntakeBed, type IntakeBed } from './test-bed';
import { refusal } from './test-helpers';
import type { AddedArticle, ArticleIntake } from './index';

const NEWS_PAGE = readFileSync(path.join(__dirname, 'fixtures', 'news-page.html'));
const BRIDGE = 'harbour-bridge-approved-after-eight-year-fight.md';
const FERRY = 'Ferry timetable cut\n\nThe island ferry will run twice a day instead of four times from November, the operator said.\n';
/** No headline: its title comes from the file name it is read under. */
const UNTITLED = 'The island ferry will run twice a day instead of four times from November, the operator said on Monday.\n';
const FERRY_2 = `${FERRY}The change saves the council a million pounds a year, the mayor said.\n`;
/** FERRY or FERRY_2 as a page from `url` (its front matter names it). */
const ferryFrom = (url: string, ferry: string) => `---\ntitle: Ferry timetable cut\nurl: ${url}\n---\n${ferry.slice(ferry.indexOf('\n\n') + 2)}`;
/** Served by /ferry-now/: one address whose article changes. */
let ferryNow = FERRY;
/** Served by /held/ once released. */
let held: Promise<void> = Promise.resolve();
let bed: IntakeBed;
let base: string;
let engine: AnswerEngine;
let intake: ArticleIntake;

beforeAll(async () => {
  bed = await openIntakeBed('same-article', (req, res, port) => {
    if (req.url === '/news/bridge') res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(NEWS_PAGE);
    // Another link to the same page: its final address is another host's spelling (same text, other URL).
    else if (req.url === '/share/bridge') res.writeHead(302, { location: `http://localhost:${port}/news/bridge` }).end();
    else if (req.url!.startsWith('/untitled/')) res.end(UNTITLED.replace('ferry', `ferry ${req.url!.slice(10)}`));
    else if (req.url!.startsWith('/attachments/')) res.end(FERRY);
    else if (req.url!.startsWith('/ferry-2/')) res.end(FERRY_2);
    else if (req.url!.startsWith('/ferry-now/')) res.end(ferryFrom('https://isle.example/ferry', ferryNow));
    else if (req.url!.startsWith('/ferry-copy/')) res.end(ferryFrom('https://mainland.example/ferry', FERRY_2));
    else if (req.url!.startsWith('/held/')) void held.then(() => res.end(FERRY_2));
    else res.writeHead(404).end();
  });
  ({ base, engine, intake } = bed);
});

afterAll(() => bed?.close());

const inFolder = async () => (await readdir(intake.settings.dataDir)).filter((f) => !f.startsWith('0'));

/**
 * Adds `link` (as Ana) and holds it in its load, the caller's step after the save (the bot's reload), until
 * `release()`; resolves once it is saved, its mark still held. `then`: what its load does once released.
 */
async function addHeld(link: string, then?: () => Promise<unknown>): Promise<{ release: () => void; done: Promise<AddedArticle> }> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let saved!: () => void;
  const isSaved = new Promise<void>((resolve) => (saved = resolve));
  const done = intake.addFromLink(link, 'Ana', async () => {
    saved();
    await released;
    await then?.();
  });
  await Promise.race([isSaved, done]); // an add refused before its save fails the test here, not by its time-out
  return { release, done };
}

/** Each test starts from the seed articles alone, loaded. */
beforeEach(async () => {
  for (const file of await inFolder()) await intake.remove(file);
  expect((await engine.reload()).ok).toBe(true);
});

describe('one copy of an article in the sources', () => {
  it('replaces the file of the same link added again after the first saved it but before a reload loaded it', async () => {
    const first = await intake.addFromLink(`${base}/news/bridge`, 'Ana');
    expect(first).toMatchObject({ file: BRIDGE, replaced: [] });
    const again = await intake.addFromLink(`${base}/news/bridge`, 'Ben');
    expect(again).toMatchObject({ file: BRIDGE, replaced: [{ file: BRIDGE }] });
    expect(await inFolder()).toEqual([BRIDGE]);
  }, 30_000);

  it('holds the mark until the caller has loaded it: the same link meanwhile is refused as being added', async () => {
    const first = await addHeld(`${base}/news/bridge`, () => engine.reload());
    expect(await inFolder()).toEqual([BRIDGE]);
    expect(await refusal(intake.addFromLink(`${base}/news/bridge`, 'Ben'))).toMatchObject({ kind: 'being-added' });
    first.release();
    expect(await first.done).toMatchObject({ file: BRIDGE, replaced: [] });
    expect(engine.articles().map((a) => a.file)).toContain(BRIDGE);
    expect(await inFolder()).toEqual([BRIDGE]);
  }, 30_000);

  it('marks the saved file as being added from its save (before its temporary file is gone) until the caller has loaded it', async () => {
    // /article remove asks `beingAdded`: marked only once the save returned, a removal in the meantime (while the
    // temporary file was removed, an await) was told 'No loaded article…' of a file in the folder. The name is marked
    // as the link that takes it completes, so by the time the temporary file goes.
    const seen: boolean[] = [];
    const dir = intake.settings.dataDir;
    const watcher = watch(dir, (_, name) => name?.endsWith('.tmp') && !existsSync(path.join(dir, name)) && seen.push(intake.beingAdded(BRIDGE)));
    let duringLoad: boolean | undefined;
    try {
      await intake.addFromLink(`${base}/news/bridge`, 'Ana', async () => {
        duringLoad = intake.beingAdded(BRIDGE);
        await engine.reload();
      });
    } finally {
      watcher.close();
    }
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every(Boolean)).toBe(true);
    expect(duringLoad).toBe(true);
    expect(intake.beingAdded(BRIDGE)).toBe(false);
  }, 30_000);

  it('saves two links landing on the same article at once only once; the other is refused naming the first', async () => {
    const links = [`${base}/news/bridge`, `${base}/share/bridge`];
    const outcomes = await Promise.allSettled(links.map((link) => intake.addFromLink(link, 'Ana')));
    expect(await inFolder()).toEqual([BRIDGE]);
    const refused = outcomes.findIndex((o) => o.status === 'rejected');
    expect(outcomes[1 - refused]).toMatchObject({ status: 'fulfilled', value: { file: BRIDGE } });
    // Refused while the first is being added, or, when the first was saved before this one was read, as in the sources.
    expect([
      { kind: 'being-added', message: `the same article is being added already, from ${links[1 - refused]}; it will be quoted once that finishes` },
      { kind: 'already-in-sources', message: `already in the sources: ${BRIDGE} has the same text; remove it first to add this one instead` },
    ]).toContainEqual((({ kind, message }) => ({ kind, message }))((outcomes[refused] as PromiseRejectedResult).reason));
  }, 30_000);

  it("names the first add's link without its user name and password when refusing the same article meanwhile", async () => {
    const first = await addHeld(`${base.replace('//', '//ann:s3cret@')}/news/bridge`);
    // Another moderator's refusal (and the log, which keeps it) showed Ana's password.
    expect(await refusal(intake.addFromLink(`${base}/share/bridge`, 'Ben'))).toMatchObject({
      kind: 'being-added',
      message: `the same article is being added already, from ${base}/news/bridge; it will be quoted once that finishes`,
    });
    first.release();
    await first.done;
  }, 30_000);

  it('refuses the same text from another address as already in the sources, loaded or only saved', async () => {
    await intake.addFromLink(`${base}/news/bridge`, 'Ana');
    const already = `already in the sources: ${BRIDGE} has the same text; remove it first to add this one instead`;
    expect(await refusal(intake.addFromLink(`${base}/share/bridge`, 'Ben'))).toMatchObject({ kind: 'already-in-sources', message: already });
    await engine.reload();
    expect(await refusal(intake.addFromLink(`${base}/share/bridge`, 'Ben'))).toMatchObject({ kind: 'already-in-sources', message: already });
    expect(await inFolder()).toEqual([BRIDGE]);
  }, 30_000);

  it("compares with the engine's list as it is when the article is ready, not as it was when the add began", async () => {
    const reload = async () => void (await engine.reload());
    await intake.addFromUpload({ url: `${base}/attachments/ferry.txt`, name: 'ferry.txt' }, 'Ana', reload);
    let release = () => {};
    held = new Promise((resolve) => (release = resolve));
    // Begun while ferry-timetable-cut.txt is the one-sentence version; its page arrives once released.
    const slow = intake.addFromUpload({ url: `${base}/held/ferry.txt`, name: 'ferry-late.txt' }, 'Ben', reload);
    await intake.remove('ferry-timetable-cut.txt');
    await intake.addFromUpload({ url: `${base}/ferry-2/ferry.txt`, name: 'ferry.txt' }, 'Ana', reload);
    release();
    expect(await refusal(slow)).toMatchObject({ kind: 'already-in-sources' });
    expect(await inFolder()).toEqual(['ferry-timetable-cut.txt']);
  }, 30_000);

  it("refuses the same text from another address when the file holding it replaced a loaded one whose reload failed", async () => {
    const reload = async () => void (await engine.reload());
    ferryNow = FERRY;
    await intake.addFromLink(`${base}/ferry-now/`, 'Ana', reload);
    // The article at that address changes; added again, it replaces the file under the same name, but the engine's
    // list still describes the first text (as when the reload after it fails).
    ferryNow = FERRY_2;
    const replaced = await intake.addFromLink(`${base}/ferry-now/`, 'Ana', async () => {});
    expect(replaced).toMatchObject({ file: 'ferry-timetable-cut.md', replaced: [{ file: 'ferry-timetable-cut.md' }] });
    expect(await refusal(intake.addFromLink(`${base}/ferry-copy/`, 'Ben'))).toMatchObject({
      kind: 'already-in-sources',
      message: 'already in the sources: ferry-timetable-cut.md has the same text; remove it first to add this one instead',
    });
    expect(await inFolder()).toEqual(['ferry-timetable-cut.md']);
  }, 30_000);

  it('saves one file uploaded under two names at once once, and refuses it under a third name afterwards', async () => {
    const names = ['ferry.txt', 'ferry-copy.txt'];
    const outcomes = await Promise.allSettled(names.map((name) => intake.addFromUpload({ url: `${base}/attachments/${name}`, name }, 'Ana')));
    expect(await inFolder()).toEqual(['ferry-timetable-cut.txt']);
    const refused = outcomes.findIndex((o) => o.status === 'rejected');
    expect((outcomes[refused] as PromiseRejectedResult).reason).toMatchObject({
      kind: 'being-added',
      message: `the same article is being added already, as ${names[1 - refused]}; it will be quoted once that finishes`,
    });
    const third = await refusal(intake.addFromUpload({ url: `${base}/attachments/ferry-2.txt`, name: 'ferry-2.txt' }, 'Ben'));
    expect(third).toMatchObject({ kind: 'already-in-sources', message: 'already in the sources: ferry-timetable-cut.txt has the same text; remove it first to add this one instead' });
    expect(await inFolder()).toEqual(['ferry-timetable-cut.txt']);
  }, 30_000);
});

describe('the saved file read once', () => {
  it("gives the reload the intake's reading of the saved file while its bytes are still those read; else the file is read", async () => {
    // As the bot does: the reload is the add's `load`, given the intake's reading of the saved file.
    let report: ReloadReport | undefined;
    const added = await intake.addFromUpload({ url: `${base}/attachments/ferry.txt`, name: 'ferry.txt' }, 'Ana', async (_, alreadyRead) => {
      report = await engine.reload({ alreadyRead: [alreadyRead] });
    });
    expect(report).toMatchObject({ ok: true, added: [added.file], filesRead: 0 });
    expect((await engine.ask('How often will the island ferry run from November?')).answers[0].quote).toMatch(/twice a day/);
    // Changed after it was read: the article read already no longer matches, so the file is read.
    await intake.remove(added.file);
    const again = await intake.addFromUpload({ url: `${base}/attachments/ferry.txt`, name: 'ferry.txt' }, 'Ana', async (saved, alreadyRead) => {
      await writeFile(path.join(intake.settings.dataDir, saved.file), FERRY.replace('twice a day', 'three times a day'));
      report = await engine.reload({ alreadyRead: [alreadyRead] });
    });
    expect(report).toMatchObject({ ok: true, changed: [again.file], filesRead: 1 });
    expect((await engine.ask('How often will the island ferry run from November?')).answers[0].quote).toMatch(/three times a day/);
  }, 30_000);

  it('gives the reload the reading the saved file gives under its own name: an untitled text takes its title from it', async () => {
    const reports: ReloadReport[] = [];
    const titled: string[] = [];
    const adds = [
      () => intake.addFromUpload({ url: `${base}/untitled/1`, name: 'Notes 1.txt' }, 'Ana', load),
      () => intake.addFromUpload({ url: `${base}/untitled/2`, name: 'notes-1.txt' }, 'Ana', load),
      () => intake.addFromLink(`${base}/untitled/winter%20ferry.txt?page=2`, 'Ana', load),
      () => intake.addFromUpload({ url: `${base}/untitled/4`, name: '***.txt' }, 'Ana', load),
    ];
    async function load(_: unknown, alreadyRead: Article) {
      reports.push(await engine.reload({ alreadyRead: [alreadyRead] }));
    }
    for (const add of adds) titled.push((await add()).title);
    // Named as the moderator's file (or the link's last part) was, not "article", "article 2": which was which?
    expect(titled).toEqual(['notes 1', 'notes 1 2', 'winter ferry', 'article']);
    expect(reports.map((r) => r.filesRead)).toEqual([0, 0, 0, 0]);
    const fresh = await readDataFolder(intake.settings.dataDir, intake.settings.maxFileBytes);
    const untitled = ['notes-1.txt', 'notes-1-2.txt', 'winter-ferry.txt', 'article.txt'];
    const titles = (articles: ReadonlyArray<{ file: string; title: string }>) => articles.filter((a) => untitled.includes(a.file)).map((a) => `${a.file}: ${a.title}`).sort();
    expect(titles(engine.articles())).toEqual(['article.txt: article', 'notes-1-2.txt: notes 1 2', 'notes-1.txt: notes 1', 'winter-ferry.txt: winter ferry']);
    expect(titles(engine.articles())).toEqual(titles(fresh.articles));
  }, 30_000);

  it("asks for the reader's own articles: a bare file and fingerprint would index nothing for the file", () => {
    const bare = { file: 'ferry.txt', fingerprint: createHash('sha1').update(FERRY).digest('hex') };
    // Checked by tsc (npm test): the type takes whole Articles only, so the reload needs no check of its own.
    // @ts-expect-error a file and fingerprint is not an Article
    const options: ReloadOptions = { alreadyRead: [bare] };
    expect(options.alreadyRead).toEqual([bare]);
  });
});
