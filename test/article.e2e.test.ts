/**
 * /article end to end: the real discord.js client against the fake Discord, the real engine, and the real intake
 * writing into a temp data folder. Attachments and linked pages are served by this test on 127.0.0.1.
 */
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApplicationCommandOptionType, MessageFlags, PermissionFlagsBits } from 'discord.js';
import { openEngine } from '../src/engine/index';
import type { AnswerEngine } from '../src/engine/types';
import { createArticleIntake, readIntakeSettings, type ArticleIntake } from '../src/intake';
import { extractInWorker, MAX_WAITING, MAX_WORKERS } from '../src/intake/workers';
import { loadCommands } from '../commands';
import { startBot, type RunningBot } from '../src/bot/start-bot';
import { createLogger } from '../src/log';
import { APP_ID, FakeDiscord, type FakeMember, type RecordedCall } from './fake-discord';
import { callback, edit } from './discord-view';
import { slowReload as startSlowReload } from './slow-reload';

const TOKEN = 'MTExMTExMTExMTExMTExMTEx.GaBcDe.fakefakefakefakefakefakefakefake34';
const MOD_ROLE = '900000000000000777';
const { String: STRING, Subcommand: SUB, Attachment: ATTACHMENT } = ApplicationCommandOptionType;
const NEWS_PAGE = await readFile(path.resolve(__dirname, '..', 'src', 'intake', 'fixtures', 'news-page.html'));
const LIGHTHOUSE = `---
title: Cape Verity lighthouse keeper retires
source: Harbour Weekly
published: 2025-06-02
---
The last keeper of the Cape Verity lighthouse, Mara Ellison, retired on Friday after thirty-one years at the light.

The lighthouse was automated in 1987, but the county kept a keeper on site to look after the building and its museum.
`;

const QUAY_PAGE = NEWS_PAGE.toString('utf8').replaceAll('Harbour bridge approved after eight-year fight', 'Quay wall repaired after storm').replaceAll('Millbrook', 'Eastport');
const QUAY = 'quay-wall-repaired-after-storm.md';
/** Served only to a request sending the user name and password `ann:s3cret` (HTTP basic authentication). */
const LOCKED_PAGE = NEWS_PAGE.toString('utf8').replaceAll('Harbour bridge approved after eight-year fight', 'Pier lights restored after storm').replaceAll('Millbrook', 'Northgate');

let tmp: string;
let dataDir: string;
let engine: AnswerEngine;
let intake: ArticleIntake;
let fake: FakeDiscord;
let bot: RunningBot;
let files: http.Server;
let filesBase: string;
const fetched: string[] = [];
const logLines: string[] = [];
const logs = () => logLines.map((l) => JSON.parse(l) as Record<string, any>);

let seq = 0;
const member = (extra: Partial<FakeMember> = {}): FakeMember => ({ id: `91000000000001${String(++seq).padStart(4, '0')}`, ...extra });
const moderator = () => member({ roles: [MOD_ROLE] });

const answer = (calls: RecordedCall[]) => edit(calls) ?? (callback(calls)?.body?.type === 4 ? callback(calls) : undefined);
const bodyOf = (c: RecordedCall) => (c.route.endsWith('/callback') ? c.body.data : c.body);

let attachmentSeq = 0;
/** `/article add` with an attachment served by the test, as Discord would describe it. */
function addFile(who: FakeMember, name: string, size?: number) {
  const id = `95000000000000${String(++attachmentSeq).padStart(4, '0')}`;
  const url = `${filesBase}/attachments/${name}`;
  const resolved = { attachments: { [id]: { id, filename: name, size: size ?? 1000, url, proxy_url: url } } };
  return run(fake.command('article', [{ name: 'add', type: SUB, options: [{ name: 'file', type: ATTACHMENT, value: id }] }], who, resolved));
}
const addUrl = (who: FakeMember, url: string) => run(fake.command('article', [{ name: 'add', type: SUB, options: [{ name: 'url', type: STRING, value: url }] }], who));
const remove = (who: FakeMember, id: string) => run(fake.command('article', [{ name: 'remove', type: SUB, options: [{ name: 'article', type: STRING, value: id }] }], who));

const slowReload = (tag: string) => startSlowReload({ dataDir, engine, fake }, tag);

/** Waits for the interaction's answer; returns it with the first callback. */
async function run(token: string): Promise<{ first: RecordedCall; reply: any }> {
  const calls = await fake.waitForInteraction(token, (c) => !!answer(c), 20_000);
  return { first: callback(calls)!, reply: bodyOf(answer(calls)!) };
}

async function ask(question: string) {
  const token = fake.command('ask', [{ name: 'question', type: STRING, value: question }], member());
  const calls = await fake.waitForInteraction(token, (c) => !!answer(c), 20_000);
  return JSON.stringify(bodyOf(answer(calls)!).embeds ?? []);
}

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'quotebot-article-'));
  dataDir = path.join(tmp, 'data');
  await cp(path.resolve(__dirname, '..', 'data'), dataDir, { recursive: true });
  files = http.createServer((req, res) => {
    fetched.push(req.url!);
    if (req.url === '/attachments/lighthouse.md') res.end(LIGHTHOUSE);
    else if (req.url === '/attachments/ferry.txt' || req.url === '/attachments/ferry-copy.txt') res.end('Ferry timetable cut\n\nThe island ferry will run twice a day instead of four times from November, the operator said.\n');
    else if (req.url === '/attachments/market.txt') res.end('Market hall reopens\n\nThe market hall on the north quay reopened on Saturday after a two-year restoration.\n');
    else if (req.url === '/attachments/bridge.html') res.end(NEWS_PAGE);
    else if (req.url === '/attachments/photo.html') res.end(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]));
    else if (req.url === '/news/bridge') res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(NEWS_PAGE);
    else if (req.url === '/news/quay') res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(QUAY_PAGE);
    else if (req.url === '/news/locked' && req.headers.authorization === `Basic ${Buffer.from('ann:s3cret').toString('base64')}`) res.end(LOCKED_PAGE);
    else if (req.url === '/news/locked') res.writeHead(401).end();
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
  filesBase = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
  engine = await openEngine({ dataDir, cacheDir: path.join(tmp, 'cache'), warn: () => {} });
  fake = new FakeDiscord();
  await fake.start();
  intake = createArticleIntake(readIntakeSettings({ ARTICLE_FETCH_ALLOW_PRIVATE: 'false', DISCORD_API_BASE: fake.apiBase }, { dataDir, maxFileBytes: 1 << 20 }), () => engine.articles());
  bot = await startBot({
    engine,
    intake,
    config: { token: TOKEN, clientId: APP_ID, guildId: undefined, apiBase: fake.apiBase, moderatorRoleIds: [MOD_ROLE], moderatorGuildId: null, askCooldownSeconds: 0, shardCount: null },
    log: createLogger({ level: 'debug', write: (l) => logLines.push(l), secrets: [TOKEN] }),
    commands: await loadCommands(),
  });
}, 30_000);

afterAll(async () => {
  await bot?.stop();
  await fake?.close();
  files?.closeAllConnections();
  await new Promise((resolve) => files?.close(resolve));
  // A reload's snapshot may still be being written into the folder about to be removed.
  await engine?.snapshotWritten(30_000);
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('/article', () => {
  it('refuses a member who is not a moderator, privately, fetching and writing nothing', async () => {
    const before = await readdir(dataDir);
    const { first, reply } = await addUrl(member({ permissions: String(PermissionFlagsBits.SendMessages) }), `${filesBase}/news/bridge`);
    expect(first.body.data.flags & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    expect(reply.content).toBe('Only moderators (Manage Server, or a moderator role) can add or remove articles.');
    expect(await readdir(dataDir)).toEqual(before);
    expect(fetched).toEqual([]);
    expect(logs().some((l) => l.msg === 'article refused: not a moderator')).toBe(true);
  });

  it('asks for exactly one of file and url', async () => {
    const { reply } = await run(fake.command('article', [{ name: 'add', type: SUB, options: [] }], moderator()));
    expect(reply.content).toMatch(/^Give exactly one of `file`/);
  });

  it('adds an uploaded article for a moderator, then quotes it in /ask', async () => {
    expect(await ask('When was the Cape Verity lighthouse automated?')).not.toContain('1987');
    const mod = moderator();
    const { first, reply } = await addFile(mod, 'lighthouse.md');
    expect(first.body).toMatchObject({ type: 5, data: { flags: MessageFlags.Ephemeral } }); // deferred privately
    const e = reply.embeds[0];
    expect(e.title).toBe('Article added');
    expect(e.description).toContain('**Cape Verity lighthouse keeper retires**\nHarbour Weekly · 2025-06-02 · 2 sentences\n> The last keeper of the Cape Verity lighthouse');
    expect(e.description).toContain('Now 3 articles,');
    expect(engine.status().lastReload?.filesRead).toBe(0); // the reload took the intake's reading of the new file
    expect(reply.allowed_mentions).toEqual({ parse: [] });
    expect(await readFile(path.join(dataDir, 'cape-verity-lighthouse-keeper-retires.md'), 'utf8')).toContain(`added_by: member${mod.id.slice(-4)} (${mod.id})`);
    expect(await ask('When was the Cape Verity lighthouse automated?')).toMatch(/automated(\*\*)? in (\*\*)?1987/);
    expect(logs().some((l) => l.msg === 'article added' && l.user === mod.id && l.file === 'cape-verity-lighthouse-keeper-retires.md')).toBe(true);
  });

  it('refuses a link to 127.0.0.1 as a blocked address while private addresses are not allowed', async () => {
    const before = await readdir(dataDir);
    const { reply } = await addUrl(moderator(), `${filesBase}/news/bridge`);
    expect(reply.content).toBe('Nothing was changed: blocked address: 127.0.0.1 is a loopback address, which links may not reach');
    expect(await readdir(dataDir)).toEqual(before);
    expect(fetched).not.toContain('/news/bridge');
  });

  it('adds the same link with ARTICLE_FETCH_ALLOW_PRIVATE=true: extracted title shown, its text quoted', async () => {
    intake.settings.allowPrivate = true;
    try {
      const { reply } = await addUrl(moderator(), `${filesBase}/news/bridge`);
      // Linked to where it was fetched: the page's canonical link names another host (ledger.example).
      expect(reply.embeds[0].description).toMatch(/^\*\*\[Harbour bridge approved after eight-year fight\]\(http:\/\/127\.0\.0\.1:\d+\/news\/bridge\)\*\*\nThe Coastal Ledger · 2024-03-14T18:30:00Z · 6 sentences\n> The Millbrook city council/);
    } finally {
      intake.settings.allowPrivate = false;
    }
    expect(await ask('When is the harbour bridge due to open?')).toMatch(/spring of (\*\*)?2027/);
  });

  it('lands two adds made at once, even while a reload that read the folder before them is running', async () => {
    // A slow reload (a large article to embed) already past reading the folder when the adds write their files.
    const words = ['harbor', 'lantern', 'meadow', 'copper', 'violin', 'glacier', 'orchard', 'pepper', 'saddle', 'thimble'];
    let filler = 'Filler article for load testing\n\n';
    for (let i = 0; i < 5000; i++) filler += `The ${words[i % 10]} ${words[(i * 7) % 10]} number ${i} rested near the ${words[(i * 3 + 1) % 10]} by ${i * 13}.${i % 5 === 4 ? '\n\n' : ' '}`;
    await writeFile(path.join(dataDir, 'zz_filler.txt'), filler);
    const slow = engine.reload();
    await fake.waitFor(() => engine.status().reloading, 5000, 'the reload to start');
    const [ferry, market] = await Promise.all([addFile(moderator(), 'ferry.txt'), addFile(moderator(), 'market.txt')]);
    expect((await slow).added).toEqual(['zz_filler.txt']); // the adds came after its reading
    expect(ferry.reply.embeds[0].description).toMatch(/Now \d+ articles/);
    expect(market.reply.embeds[0].description).toMatch(/Now \d+ articles/);
    expect(engine.articles().map((a) => a.file)).toEqual(expect.arrayContaining(['ferry-timetable-cut.txt', 'market-hall-reopens.txt']));
    expect(await ask('How often will the island ferry run from November?')).toMatch(/twice a day/);
    await rm(path.join(dataDir, 'zz_filler.txt'));
  }, 30_000);

  it('refuses a file already in the sources under another name, naming that file, writing nothing', async () => {
    const before = await readdir(dataDir);
    const { reply } = await addFile(moderator(), 'ferry-copy.txt');
    expect(reply.content).toBe('Nothing was changed: already in the sources: ferry-timetable-cut.txt has the same text; remove it first to add this one instead');
    expect(await readdir(dataDir)).toEqual(before);
    expect(logs().some((l) => l.msg === 'article add refused' && l.kind === 'already-in-sources' && l.file === 'ferry-copy.txt')).toBe(true);
  });

  it('refuses a binary file and an over-size file with their reasons, writing nothing', async () => {
    const before = await readdir(dataDir);
    expect((await addFile(moderator(), 'photo.html')).reply.content).toBe('Nothing was changed: not an article: the file is a PNG image, not text or HTML');
    expect((await addFile(moderator(), 'huge.html', 3 << 20)).reply.content).toBe('Nothing was changed: too large: 3.0 MB, over the limit of 1.0 MB (MAX\\_FILE\\_MB)');
    expect(fetched).not.toContain('/attachments/huge.html');
    expect(await readdir(dataDir)).toEqual(before);
  });

  it("tells the moderator, privately, to try again when the intake is busy, from a link (not fetched) and from an upload", async () => {
    // Two slow pages hold both workers (~1 s each) and six wait: the queue is full while both adds run.
    const slow = NEWS_PAGE.toString('utf8').replace('<p>The Millbrook', `${'<p>The council met again on Thursday night and voted once more.</p>'.repeat(1500)}<p>The Millbrook`);
    const taken = [slow, slow, ...Array(MAX_WAITING).fill(NEWS_PAGE.toString('utf8'))].map((html) => extractInWorker(html, null));
    const before = await readdir(dataDir);
    const fetchedBefore = fetched.length;
    const [link, upload] = await Promise.all([addUrl(moderator(), `${filesBase}/news/bridge`), addFile(moderator(), 'bridge.html')]);
    const busy = `Nothing was changed: busy: ${MAX_WORKERS + MAX_WAITING} articles are already being read or waiting their turn; try again in a minute`;
    for (const { first, reply } of [link, upload]) {
      expect(first.body).toMatchObject({ type: 5, data: { flags: MessageFlags.Ephemeral } });
      expect(reply.content).toBe(busy);
    }
    expect(fetched.slice(fetchedBefore)).toEqual(['/attachments/bridge.html']); // an upload is downloaded first (Discord's own host)
    expect(logs().filter((l) => l.msg === 'article add refused' && l.kind === 'busy')).toHaveLength(2);
    expect((await Promise.all(taken)).map((p) => p.title)).toEqual(Array(MAX_WORKERS + MAX_WAITING).fill('Harbour bridge approved after eight-year fight'));
    expect(await readdir(dataDir)).toEqual(before);
  }, 60_000);

  it('autocompletes the articles to remove by title or file', async () => {
    const token = fake.autocomplete('article', [{ name: 'remove', type: SUB, options: [{ name: 'article', type: STRING, value: 'lightho', focused: true }] } as any], moderator());
    const [cb] = await fake.waitForInteraction(token, (c) => !!callback(c));
    expect(cb.body.data.choices).toEqual([{ name: 'Cape Verity lighthouse keeper retires — cape-verity-lighthouse-keeper-retires.md', value: 'cape-verity-lighthouse-keeper-retires.md' }]);
  });

  it('autocompletes by every word typed, in any order, capitals and accents aside', async () => {
    for (const value of ['KEEPER cape', 'lighthouse keeper-retires.md', 'Rétires']) {
      const token = fake.autocomplete('article', [{ name: 'remove', type: SUB, options: [{ name: 'article', type: STRING, value, focused: true }] } as any], moderator());
      const [cb] = await fake.waitForInteraction(token, (c) => !!callback(c));
      expect(cb.body.data.choices.map((c: { value: string }) => c.value), value).toEqual(['cape-verity-lighthouse-keeper-retires.md']);
    }
  });

  it('autocompletes a pasted 6,000-character word without failing: only /sources find\'s first 100 characters are looked for', async () => {
    const mod = moderator();
    const token = fake.autocomplete('article', [{ name: 'remove', type: SUB, options: [{ name: 'article', type: STRING, value: 'x'.repeat(6000), focused: true }] } as any], mod);
    const [cb] = await fake.waitForInteraction(token, (c) => !!callback(c));
    expect(cb.body.data.choices).toEqual([]);
    await fake.waitFor(() => logs().some((l) => l.user === mod.id && /interaction (handled|failed)/.test(l.msg)), 5000, 'the autocomplete to be logged');
    expect(logs().filter((l) => l.msg === 'interaction failed' && l.user === mod.id)).toEqual([]);
  });

  it('lists the data folder\'s files to moderators only: a crafted autocomplete from a member gets no choices', async () => {
    const token = fake.autocomplete('article', [{ name: 'remove', type: SUB, options: [{ name: 'article', type: STRING, value: '', focused: true }] } as any], member());
    const [cb] = await fake.waitForInteraction(token, (c) => !!callback(c));
    expect(cb.body.data.choices).toEqual([]);
  });

  it('removes an article: no longer quoted, its file in the set-aside folder', async () => {
    const { reply } = await remove(moderator(), 'cape-verity-lighthouse-keeper-retires.md');
    const e = reply.embeds[0];
    expect(e.title).toBe('Article removed');
    expect(e.description).toMatch(/^\*\*Cape Verity lighthouse keeper retires\*\* \(`cape-verity-lighthouse-keeper-retires.md`\) is no longer quoted\./);
    expect(e.description).toContain('Now 5 articles,'); // the seed 2, the bridge, the ferry and the market
    expect(await ask('When was the Cape Verity lighthouse automated?')).not.toContain('1987');
    const aside = await readdir(path.join(tmp, 'removed-articles'));
    expect(aside).toHaveLength(1);
    expect(aside[0]).toMatch(/^\d{4}-\d\d-\d\dT[\d-]+\.\d{3}Z_removed_cape-verity-lighthouse-keeper-retires\.md$/);
    expect(await readFile(path.join(tmp, 'removed-articles', aside[0]), 'utf8')).toContain('automated in 1987');
    expect(await readdir(dataDir)).not.toContain('cape-verity-lighthouse-keeper-retires.md');
    expect((await remove(moderator(), 'cape-verity-lighthouse-keeper-retires.md')).reply.content).toMatch(/^No loaded article is/);
  });

  it('refuses the same link again while its first add waits for the reload that loads it, keeping one copy', async () => {
    intake.settings.allowPrivate = true;
    try {
      const slow = await slowReload('quay');
      const first = addUrl(moderator(), `${filesBase}/news/quay`);
      await fake.waitFor(() => existsSync(path.join(dataDir, QUAY)), 20_000, 'the first add to save its file');
      expect(engine.status().reloading).toBe(true); // not loaded yet
      const second = await addUrl(moderator(), `<${filesBase}/news/quay>`); // Discord's unpreviewed link: the same one
      expect(second.reply.content).toBe('Nothing was changed: this link is already being added; it will be quoted once that finishes');
      expect(logs().filter((l) => l.msg === 'article add').at(-1)!.url).toBe(`${filesBase}/news/quay`); // logged as fetched
      expect((await first).reply.embeds[0].title).toBe('Article added');
      await slow.done;
    } finally {
      intake.settings.allowPrivate = false;
      await rm(path.join(dataDir, 'zz_quay.txt'));
    }
    expect((await readdir(dataDir)).filter((f) => f.startsWith('quay'))).toEqual([QUAY]);
  }, 60_000);

  it('does not offer an article that is being removed in the autocomplete', async () => {
    const slow = await slowReload('aisle');
    const removing = remove(moderator(), 'market-hall-reopens.txt');
    await fake.waitFor(() => !existsSync(path.join(dataDir, 'market-hall-reopens.txt')), 20_000, 'the removal to set the file aside');
    expect(engine.status().reloading).toBe(true);
    expect(engine.articles().map((a) => a.file)).toContain('market-hall-reopens.txt'); // still loaded
    const token = fake.autocomplete('article', [{ name: 'remove', type: SUB, options: [{ name: 'article', type: STRING, value: 'market', focused: true }] } as any], moderator());
    const [cb] = await fake.waitForInteraction(token, (c) => !!callback(c));
    expect(cb.body.data.choices).toEqual([]);
    expect((await removing).reply.embeds[0].title).toBe('Article removed');
    await slow.done;
    await rm(path.join(dataDir, 'zz_aisle.txt'));
  }, 60_000);

  it("adds a link given with a user name and password, fetched with them, but never shows or logs the password: every answer links to the article", async () => {
    intake.settings.allowPrivate = true;
    try {
      const { reply } = await addUrl(moderator(), `${filesBase.replace('http://', 'http://ann:s3cret@')}/news/locked`);
      expect(reply.embeds[0].description).toMatch(/^\*\*\[Pier lights restored after storm\]\(http:\/\/127\.0\.0\.1:\d+\/news\/locked\)\*\*\n/);
    } finally {
      intake.settings.allowPrivate = false;
    }
    expect(await readFile(path.join(dataDir, 'pier-lights-restored-after-storm.md'), 'utf8')).toMatch(/^url: http:\/\/127\.0\.0\.1:\d+\/news\/locked$/m);
    expect(await ask('What was restored in Northgate after the storm?')).not.toContain('s3cret');
    expect(logLines.filter((l) => l.includes('/news/locked'))).not.toEqual([]);
    expect(logLines.filter((l) => l.includes('s3cret'))).toEqual([]);
  }, 30_000);

  it('tells a moderator removing an article still being added to wait for its add, not to pick it from a list without it', async () => {
    const slow = await slowReload('pier');
    const adding = addFile(moderator(), 'market.txt'); // removed above: added again
    await fake.waitFor(() => existsSync(path.join(dataDir, 'market-hall-reopens.txt')), 20_000, 'the add to save its file');
    const { reply } = await remove(moderator(), 'market-hall-reopens.txt');
    expect(reply.content).toBe('Nothing was changed: `market-hall-reopens.txt` is being added: remove it once it shows in the list as you type.');
    expect((await adding).reply.embeds[0].title).toBe('Article added');
    await slow.done;
    await rm(path.join(dataDir, 'zz_pier.txt'));
  }, 60_000);
});
