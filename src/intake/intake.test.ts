/**
 * The whole intake without Discord: a page served on 127.0.0.1 is fetched, extracted, checked, saved, and then
 * quoted by the real engine after a reload; removing it takes it out of the answers and keeps the file aside.
 */
import { readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import type http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AnswerEngine } from '../engine/index';
import { openIntakeBed, type IntakeBed } from './test-bed';
import { refusal } from './test-helpers';
import { extractInWorker, MAX_WAITING, MAX_WORKERS } from './workers';
import { addArticleFromLink, IntakeError, type ArticleIntake, type IntakeRun, type IntakeSettings } from './index';

const NEWS_PAGE = readFileSync(path.join(__dirname, 'fixtures', 'news-page.html'));
const QUESTION = 'When is the harbour bridge due to open?';
let bed: IntakeBed;
let base: string;
let engine: AnswerEngine;
let settings: IntakeSettings;
let intake: ArticleIntake;
const requested: string[] = [];
/** Responses to /news/held, answered only when a test ends them. */
const held: http.ServerResponse[] = [];

beforeAll(async () => {
  bed = await openIntakeBed('intake', (req, res, port) => {
    requested.push(req.url!);
    if (req.url!.startsWith('/news/held')) held.push(res);
    else if (req.url === '/news/bridge') res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(NEWS_PAGE);
    else if (req.url === '/files/moved.html') res.writeHead(302, { location: `http://localhost:${port}/news/bridge` }).end();
    else if (req.url === '/files/photo.png') res.writeHead(200, { 'content-type': 'text/plain' }).end(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0]));
    else res.writeHead(404).end();
  });
  ({ base, engine, settings, intake } = bed);
});

afterAll(() => bed?.close());

const run = (extra: Partial<IntakeRun> = {}): IntakeRun => ({ ...settings, addedBy: 'Ana (900000000000000001)', loaded: () => engine.articles(), ...extra });

describe('adding and removing articles', () => {
  it('refuses the link as a blocked address when private addresses are not allowed, writing nothing', async () => {
    const before = await readdir(settings.dataDir);
    await expect(addArticleFromLink(`${base}/news/bridge`, run({ allowPrivate: false }))).rejects.toMatchObject({ kind: 'blocked-address' });
    expect(await readdir(settings.dataDir)).toEqual(before);
  });

  it('adds a linked page, and the engine quotes it after a reload', async () => {
    expect((await engine.ask(QUESTION)).abstained).toBe(true);
    const added = await addArticleFromLink(`${base}/news/bridge`, run());
    expect(added).toMatchObject({
      file: 'harbour-bridge-approved-after-eight-year-fight.md',
      title: 'Harbour bridge approved after eight-year fight',
      outlet: 'The Coastal Ledger',
      published: '2024-03-14T18:30:00Z',
      sentences: 6,
      replaced: [],
    });
    expect(added.firstSentence).toMatch(/^The Millbrook city council voted seven to two/);
    const report = await engine.reload();
    expect(report.added).toEqual([added.file]);
    expect(engine.articles().find((a) => a.file === added.file)).toMatchObject({ addedBy: 'Ana (900000000000000001)' });
    const answer = await engine.ask(QUESTION);
    const quote = answer.answers.find((q) => q.source.file === added.file);
    expect(quote?.quote).toContain('due to open in the spring of 2027');
    const saved = await readFile(path.join(settings.dataDir, added.file), 'utf8');
    expect(saved.slice(quote!.start, quote!.end)).toBe(quote!.quote);
  });

  it('replaces the article when the same link is added again, keeping the old file aside', async () => {
    const again = await intake.addFromLink(`${base}/news/bridge`, 'Ben (900000000000000002)');
    expect(again.file).toBe('harbour-bridge-approved-after-eight-year-fight.md');
    expect(again.replaced).toHaveLength(1);
    expect(path.dirname(again.replaced[0].setAsideTo)).toBe(settings.removedDir);
    expect((await engine.reload()).changed).toEqual([again.file]);
  });

  it('refuses a binary upload with its reason', async () => {
    const err = await intake.addFromUpload({ url: `${base}/files/photo.png`, name: 'story.html' }, 'Ana').catch((e: IntakeError) => e);
    expect(err).toMatchObject({ kind: 'binary', message: 'not an article: the file is a PNG image, not text or HTML' });
  });

  it('downloads an upload only from where Discord serves files', async () => {
    const before = requested.length;
    const err = await intake.addFromUpload({ url: 'http://intranet.example/files/story.html', name: 'story.html' }, 'Ana').catch((e: IntakeError) => e);
    expect(err).toMatchObject({ kind: 'blocked-address', message: 'not a Discord attachment: intranet.example is not where Discord serves files' });
    expect(requested.length).toBe(before);
  });

  it('follows an upload\'s redirects only to Discord\'s attachment hosts (private addresses are not checked there)', async () => {
    const before = requested.length;
    const err = await intake.addFromUpload({ url: `${base}/files/moved.html`, name: 'story.html' }, 'Ana').catch((e: IntakeError) => e);
    expect(err).toMatchObject({ kind: 'blocked-address', message: 'blocked address: redirected to localhost, which is not one of the hosts this download may come from' });
    expect(requested.slice(before)).toEqual(['/files/moved.html']);
  });

  it('refuses an upload Discord says is too large without downloading it', async () => {
    const before = requested.length;
    const err = await intake.addFromUpload({ url: `${base}/files/big.html`, name: 'big.html', size: 2 << 20 }, 'Ana').catch((e: IntakeError) => e);
    expect(err).toMatchObject({ kind: 'too-large', message: 'too large: 2.0 MB, over the limit of 1.0 MB (MAX_FILE_MB)' });
    expect(requested.length).toBe(before);
  });

  it('refuses a link at once, without downloading it, when MAX_WAITING pages already wait for a worker', async () => {
    const taken = Array.from({ length: MAX_WORKERS + MAX_WAITING }, () => extractInWorker(NEWS_PAGE.toString('utf8'), null));
    const before = requested.length;
    const err = await addArticleFromLink(`${base}/news/bridge`, run()).catch((e: IntakeError) => e);
    expect(err).toMatchObject({ kind: 'busy', message: `busy: ${MAX_WORKERS + MAX_WAITING} articles are already being read or waiting their turn; try again in a minute` });
    expect(requested.length).toBe(before);
    expect((await Promise.all(taken)).map((p) => p.paragraphs.length)).toEqual(Array(MAX_WORKERS + MAX_WAITING).fill(6));
  }, 60_000);

  it('refuses links sent at once past MAX_WORKERS + MAX_WAITING without downloading them, while the first still download', async () => {
    const places = MAX_WORKERS + MAX_WAITING;
    // Different links: the same link twice at once would be refused as being added already.
    const adds = Array.from({ length: places + 2 }, (_, i) => refusal(addArticleFromLink(`${base}/news/held?n=${i}`, run())));
    await vi.waitFor(() => expect(held.length).toBe(places), { timeout: 5000 });
    await new Promise((resolve) => setTimeout(resolve, 300)); // time for any further download to arrive
    expect(requested.filter((r) => r.startsWith('/news/held'))).toHaveLength(places);
    for (const res of held.splice(0)) res.writeHead(404).end();
    const refusals = await Promise.all(adds);
    expect(refusals.slice(places).map((e) => e.message)).toEqual(Array(2).fill(`busy: ${places} articles are already being read or waiting their turn; try again in a minute`));
    expect(refusals.slice(0, places).map((e) => e.kind)).toEqual(Array(places).fill('not-found'));
    // Their places are free again once answered: the next link is downloaded.
    const next = refusal(addArticleFromLink(`${base}/news/held`, run()));
    await vi.waitFor(() => expect(held.length).toBe(1), { timeout: 5000 });
    held.pop()!.writeHead(404).end();
    expect((await next).kind).toBe('not-found');
  }, 30_000);

  it('removes it: no longer quoted, the file set aside', async () => {
    const file = 'harbour-bridge-approved-after-eight-year-fight.md';
    const { setAsideTo } = await intake.remove(file);
    expect((await engine.reload()).removed).toEqual([file]);
    expect((await engine.ask(QUESTION)).answers.some((q) => q.source.file === file)).toBe(false);
    expect(await readFile(setAsideTo, 'utf8')).toContain('41 million dollars');
    expect((await readdir(settings.removedDir)).length).toBe(2);
  });
});

describe('the same link added twice at once', () => {
  const BEING_ADDED = 'this link is already being added; it will be quoted once that finishes';
  const copies = async () => (await readdir(settings.dataDir)).filter((f) => f.startsWith('harbour-bridge-approved'));

  it('saves it once and refuses the second at once, as the store compares addresses; afterwards the link adds again', async () => {
    const url = `${base}/news/bridge`;
    expect(await copies()).toEqual([]);
    const fetchedBefore = requested.length;
    // A double submit: the second spelled as the same address (fragment, `www.` and a trailing slash do not count).
    const [first, second] = await Promise.allSettled([intake.addFromLink(url, 'Ana'), intake.addFromLink(`${url}#top`, 'Ben')]);
    expect(second).toMatchObject({ status: 'rejected', reason: { kind: 'being-added', message: BEING_ADDED } });
    expect(first).toMatchObject({ status: 'fulfilled', value: { file: 'harbour-bridge-approved-after-eight-year-fight.md', replaced: [] } });
    expect(requested.slice(fetchedBefore)).toEqual(['/news/bridge']);
    expect(await copies()).toEqual(['harbour-bridge-approved-after-eight-year-fight.md']);
    await engine.reload();
    // Settled: the mark is gone, and the link replaces its article as before.
    const again = await intake.addFromLink(url, 'Ben');
    expect(again).toMatchObject({ file: 'harbour-bridge-approved-after-eight-year-fight.md', replaced: [{ file: 'harbour-bridge-approved-after-eight-year-fight.md' }] });
    expect(await copies()).toEqual(['harbour-bridge-approved-after-eight-year-fight.md']);
  }, 30_000);

  it("takes a link in angle brackets (Discord's way to post one unpreviewed) as the link itself, the same link as without", async () => {
    // Before: "not a link: give a full address starting with https://", to a moderator who had given one.
    const url = `${base}/news/bridge`;
    const [first, second] = await Promise.allSettled([intake.addFromLink(` <${url}> `, 'Ana'), intake.addFromLink(url, 'Ben')]);
    expect(first).toMatchObject({ status: 'fulfilled', value: { file: 'harbour-bridge-approved-after-eight-year-fight.md' } });
    expect(second).toMatchObject({ status: 'rejected', reason: { kind: 'being-added', message: BEING_ADDED } });
    expect(await copies()).toEqual(['harbour-bridge-approved-after-eight-year-fight.md']);
    await engine.reload();
  }, 30_000);

  it('clears the mark when the add fails: the same link is downloaded again', async () => {
    const url = `${base}/news/held?same`;
    const failing = refusal(addArticleFromLink(url, run()));
    await vi.waitFor(() => expect(held.length).toBe(1), { timeout: 5000 });
    expect(await refusal(addArticleFromLink(url, run()))).toMatchObject({ kind: 'being-added', message: BEING_ADDED });
    held.pop()!.writeHead(404).end();
    expect((await failing).kind).toBe('not-found');
    const retry = refusal(addArticleFromLink(url, run({ timeoutMs: 300 })));
    expect((await retry).kind).toBe('timed-out'); // held unanswered: the time limit ends it
    held.pop()!.destroy();
    expect((await refusal(addArticleFromLink(url, run({ timeoutMs: 300 })))).kind).toBe('timed-out');
    held.pop()!.destroy();
  }, 30_000);
});
