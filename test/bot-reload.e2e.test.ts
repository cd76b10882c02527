/**
 * End to end, the moderators' /reload: who may reload, and a reload that keeps answering from the old index until
 * the new one is swapped in, then reports; /about tells the last reload. The bot is bot-run.ts's, with its own copy
 * of data/ (the reload adds articles to it).
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PermissionFlagsBits } from 'discord.js';
import { escapeText } from '../src/discord/text';
import { PROGRESS_TIMING } from '../commands/command';
import { HANDOVER_AFTER_MS } from '../src/bot/handover';
import { OTHER_GUILD_ID, type FakeMember, type RecordedCall } from './fake-discord';
import { callback, edit } from './discord-view';
import { canHoldFiles, holdFile } from './hold-file';
import { visibleText } from '../src/visible-text';
import { askAndWait, checkWholeRun, EPHEMERAL, expectNoMentions, logsOf, member, MOD_ROLE, quoteFromDescription, RAW_CONTROL, useBotRun } from './bot-run';

/** Linux with python3: the reload test can hold the rebuild while a question is asked (see hold-file.ts). */
const CAN_HOLD_FILES = canHoldFiles();

const run = useBotRun();
const logs = () => logsOf(run);

describe('/reload against a fake Discord', () => {
  it('refuses /reload to a member without Manage Server or a moderator role, and does not reload', async () => {
    const before = run.engine.status().lastReload?.builtAt;
    const token = run.fake.command('reload', [], member({ permissions: String(PermissionFlagsBits.SendMessages), roles: ['900000000000000555'] }));
    const [cb] = await run.fake.waitForInteraction(token, (c) => !!callback(c));
    expect(cb.body.type).toBe(4);
    expect(cb.body.data.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(cb.body.data.content).toMatch(/only moderators/i);
    expect(run.engine.status().reloading).toBe(false);
    expect(run.engine.status().lastReload?.builtAt).toBe(before);
    expect(logs().some((l) => l.msg.startsWith('reload refused'))).toBe(true);
  });

  it('refuses /reload to an admin of another server (all servers share one data folder), and does not reload', async () => {
    const before = run.engine.status().lastReload?.builtAt;
    const admin = member({ permissions: String(PermissionFlagsBits.ManageGuild), roles: [MOD_ROLE] });
    const token = run.fake.command('reload', [], admin, undefined, OTHER_GUILD_ID);
    const [cb] = await run.fake.waitForInteraction(token, (c) => !!callback(c));
    expect(cb.body.data.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(cb.body.data.content).toMatch(/^Only moderators of the server the bot's sources belong to can reload them/);
    expect(run.engine.status().reloading).toBe(false);
    expect(run.engine.status().lastReload?.builtAt).toBe(before);
  });

  it('reloads for a moderator role, answering questions from the old index meanwhile, then reports', async () => {
    // A new article with a link and an outlet, a broken file, and a second new article.
    const wire = path.join(run.dataDir, 'wire_hangzhou.md');
    await writeFile(
      wire,
      [
        '---',
        'title: Aides say *Syria* talks resume soon (test fixture)',
        'url: https://example.com/news/g20-syria-talks?id=1',
        'source: Example Wire',
        'published: 2016-09-06',
        '---',
        '',
        'The pelican delegation said the zeppelin negotiations would resume on Thursday in Geneva, @everyone agreed.',
        '',
        'Observers called the pelican zeppelin plan ambitious but workable for both sides.',
        '',
      ].join('\n'),
    );
    await writeFile(path.join(run.dataDir, 'broken.md'), '---\ntitle: never closed\n\nbody text here.\n');
    await writeFile(path.join(run.dataDir, 'zz_more.txt'), 'Harbour lanterns\n\nThe copper lanterns of the old harbour were lit again for the summit guests.\n');

    // The rebuild waits inside its real read of the new article for as long as the test holds that file (a Linux
    // lease: the engine's open() of it waits until the test lets go), so the question below is asked mid-reload.
    if (!CAN_HOLD_FILES) console.warn('cannot hold files here (Linux and python3 needed): the question during the reload is not checked');
    const hold = CAN_HOLD_FILES ? await holdFile(wire) : null;
    try {
      const moderator = member({ roles: [MOD_ROLE] });
      const token = run.fake.command('reload', [], moderator);
      await run.fake.waitForInteraction(token, (c) => !!callback(c));
      let duringAt = 0;
      if (hold) {
        await hold.opened;
        expect(run.engine.status().reloading).toBe(true);
        // Asked while the rebuild runs: answered at once, from the old index (the new article is not in it yet).
        const during = await askAndWait(run.fake, 'When will the pelican zeppelin negotiations resume?', member());
        const duringEdit = edit(during)!;
        expect(run.engine.status().reloading).toBe(true); // answered before the rebuild finished
        expect(JSON.stringify(duringEdit.body.embeds ?? [])).not.toContain('pelican');
        duringAt = duringEdit.at;
        // The moderator sees progress meanwhile.
        await run.fake.waitForInteraction(token, (c) => c.some((x) => x.method === 'PATCH' && /Reloading…/.test(x.body?.content ?? '')));
        hold.release();
      }

      const calls = await run.fake.waitForInteraction(token, (c) => c.filter((x) => x.method === 'PATCH' && JSON.stringify(x.body).includes('Sources reloaded')).length > 0, 20_000);
      const cb = callback(calls)!;
      expect(cb.body.type).toBe(5);
      expect(cb.body.data.flags & EPHEMERAL).toBe(EPHEMERAL);
      expectNoMentions(calls);
      const patches = calls.filter((c) => c.method === 'PATCH');
      const report = patches[patches.length - 1].body.embeds[0];
      expect(duringAt).toBeLessThan(patches[patches.length - 1].at);
      expect(patches.length).toBeGreaterThan(1); // progress edits came first
      expect(patches[0].body.content).toMatch(/Reloading…/);
      expect(report.title).toBe('Sources reloaded');
      expect(report.description).toMatch(/4 articles/);
      const fields = Object.fromEntries(report.fields.map((f: any) => [f.name.replace(/ \(\d+\)$/, ''), f.value]));
      expect(fields.Added).toContain('`wire_hangzhou.md`');
      expect(fields.Added).toContain('zz_more.txt');
      expect(fields['Not loaded']).toContain('broken.md');
      expect(fields['Not loaded']).toMatch(/front matter/);
      expect(logs().some((l) => l.msg === 'reload finished' && l.user === moderator.id)).toBe(true);

      // Now the new article answers, linked to its URL, with its outlet, and its @everyone pings nobody.
      const after = await askAndWait(run.fake, 'When will the pelican zeppelin negotiations resume?', member());
      expectNoMentions(after);
      const embed = edit(after)!.body.embeds[0];
      expect(embed.url).toBe('https://example.com/news/g20-syria-talks?id=1');
      expect(embed.author.name).toBe('Example Wire');
      expect(embed.title).toBe('Aides say \\*Syria\\* talks resume soon (test fixture)');
      expect(quoteFromDescription(embed.description)).toBe(
        'The pelican delegation said the zeppelin negotiations would resume on Thursday in Geneva, @everyone agreed.',
      );

      // /sources now names the moderator and links the new article.
      const s = run.fake.command('sources', [], member());
      const [sourcesCb] = await run.fake.waitForInteraction(s, (c) => !!callback(c));
      const sourcesEmbed = sourcesCb.body.data.embeds[0];
      expect(sourcesEmbed.description).toContain('](https://example.com/news/g20-syria-talks?id=1)');
      expect(sourcesEmbed.description).toContain('Example Wire, 2016-09-06');
      expect(sourcesEmbed.fields[0].value).toMatch(/by member/);
    } finally {
      hold?.release();
    }
  }, 30_000);

  it('tells /about the model, index size, uptime and answer-time percentiles', async () => {
    const token = run.fake.command('about', [], member());
    const [cb] = await run.fake.waitForInteraction(token, (c) => !!callback(c));
    const fields = Object.fromEntries(cb.body.data.embeds[0].fields.map((f: any) => [f.name, f.value]));
    expect(fields['Embedding model']).toBe(escapeText(run.engine.status().model));
    expect(fields.Index).toMatch(/4 articles/);
    expect(fields['/ask answer times since start']).toMatch(/p50 .* p95 /);
    expect(fields['Last reload']).toMatch(/by member/);
  });

  it("shows the controls of an article's text, title and file name in the reload report, the answer, its context, /sources and autocomplete", async () => {
    // ESC sequences, an 8-bit CSI (C1) and bidi overrides and isolates: sent raw, an override displays the quote reversed.
    const file = 'esc\u001b[31m_walrus.txt';
    const quote = 'The walrus envoys met for 45 minutes in Tianjin \u001b[2J\u001b[31mRED\u001b[0m, \u009B31m the \u202Eofficial\u202C said \u2066so\u2069.';
    await writeFile(path.join(run.dataDir, file), `Walrus \u202Etalks\u202C end\u001b]0;owned\u0007\n\n${quote}\n`);
    const moderator = member({ roles: [MOD_ROLE] });
    const reload = run.fake.command('reload', [], moderator);
    const calls = await run.fake.waitForInteraction(reload, (c) => c.some((x) => x.method === 'PATCH' && JSON.stringify(x.body).includes('Sources reloaded')), 20_000);
    const fields = calls.filter((c) => c.method === 'PATCH').pop()!.body.embeds[0].fields as Array<{ name: string; value: string }>;
    expect(fields.find((f) => f.name.startsWith('Added'))!.value).toContain('`esc␛[31m_walrus.txt`');

    const answer = edit(await askAndWait(run.fake, 'How long did the walrus envoys meet?', member()))!.body;
    const embed = answer.embeds[0];
    expect(embed.title).toContain('Walrus \uFFFDtalks\uFFFD end␛');
    expect(quoteFromDescription(embed.description)).toBe(visibleText(quote)); // the quote, every control shown, nothing else changed
    expect(quoteFromDescription(embed.description)).toContain('Tianjin ␛[2J␛[31mRED␛[0m, \uFFFD31m the \uFFFDofficial\uFFFD said \uFFFDso\uFFFD.');
    const context = run.fake.button(answer.components[0].components[0].custom_id, answer, member());
    const contextEmbed = callback(await run.fake.waitForInteraction(context, (c) => !!callback(c)))!.body.data.embeds[0];
    expect(contextEmbed.title).toContain('Walrus \uFFFDtalks');

    const sources = run.fake.command('sources', [], member());
    const [sourcesCb] = await run.fake.waitForInteraction(sources, (c) => !!callback(c));
    expect(sourcesCb.body.data.embeds[0].description).toContain('Walrus \uFFFDtalks\uFFFD end␛');

    const typed = [{ name: 'remove', type: 1, options: [{ name: 'article', type: 3, value: 'walrus', focused: true }] }] as any;
    const [completed] = await run.fake.waitForInteraction(run.fake.autocomplete('article', typed, moderator), (c) => !!callback(c));
    const [choice] = completed.body.data.choices as Array<{ name: string; value: string }>;
    expect(choice.name).toContain('esc␛[31m_walrus.txt');
    expect(choice.name).not.toMatch(RAW_CONTROL);
    expect(choice.value).toBe(file); // the value comes back as the option: the file as it is, so removing it works
  }, 30_000);

  it.skipIf(!CAN_HOLD_FILES)('shows two /reloads queued behind a running one, the third as the second, waiting for it, then their own progress and report', async () => {
    const moderator = member({ roles: [MOD_ROLE] });
    const isReport = (c: RecordedCall[]) => c.some((x) => x.method === 'PATCH' && JSON.stringify(x.body).includes('Sources reloaded'));
    const waiting = (x: RecordedCall) => x.method === 'PATCH' && /^Reloading… waiting for the reload before yours to end/.test(x.body?.content ?? '');
    // The running build is held in its read of a new file, then the queued one in its read of another.
    const runningFile = path.join(run.dataDir, 'zz_queue_running.txt');
    const queuedFile = path.join(run.dataDir, 'zz_queue_queued.txt');
    await writeFile(runningFile, 'Ferry news\n\nThe harbour ferry to the summit island left at dawn on Monday.\n');
    const holds = [await holdFile(runningFile)];
    try {
      const first = run.fake.command('reload', [], moderator);
      await holds[0].opened;
      const queued = [run.fake.command('reload', [], moderator), run.fake.command('reload', [], moderator)];
      // The third saw nothing move until its report: only the queued build's first caller heard of its progress.
      for (const token of queued) await run.fake.waitForInteraction(token, (c) => c.some(waiting));
      await writeFile(queuedFile, 'Ferry news\n\nThe second harbour ferry left at noon on Monday.\n');
      holds.push(await holdFile(queuedFile));
      holds[0].release();
      await holds[1].opened;
      await new Promise((resolve) => setTimeout(resolve, 200)); // past progressEveryMs: the next edit shows
      holds[1].release();
      await run.fake.waitForInteraction(first, isReport, 20_000);
      for (const token of queued) {
        const patches = (await run.fake.waitForInteraction(token, isReport, 20_000)).filter((x) => x.method === 'PATCH');
        expect(waiting(patches[0])).toBe(true);
        const own = patches.findIndex((x) => /^Reloading… (?!waiting)/.test(x.body?.content ?? ''));
        expect(own).toBeGreaterThan(0);
        expect(patches.slice(own + 1).some(waiting)).toBe(false);
        const fields = patches.at(-1)!.body.embeds[0].fields as Array<{ name: string; value: string }>;
        expect(fields.find((f) => f.name.startsWith('Added'))!.value).toContain('zz_queue_queued.txt');
      }
    } finally {
      holds.forEach((h) => h.release());
    }
  }, 30_000);

  it.skipIf(!CAN_HOLD_FILES)('with the production timing, shows a queued /reload its wait at once, keeps it until its own build shows, then reports the wait', async () => {
    run.ctx.timing = { ...run.ctx.timing, ...PROGRESS_TIMING };
    const moderator = member({ roles: [MOD_ROLE] });
    const isReport = (c: RecordedCall[]) => c.some((x) => x.method === 'PATCH' && JSON.stringify(x.body).includes('Sources reloaded'));
    const patchesOf = (calls: RecordedCall[]) => calls.filter((x) => x.method === 'PATCH');
    const waiting = (x: RecordedCall) => /^Reloading… waiting for the reload before yours to end/.test(x.body?.content ?? '');
    const runningFile = path.join(run.dataDir, 'zz_timing_running.txt');
    const queuedFile = path.join(run.dataDir, 'zz_timing_queued.txt');
    await writeFile(runningFile, 'Tram news\n\nThe summit tram line opened to delegates on Sunday.\n');
    const holds = [await holdFile(runningFile)];
    try {
      const first = run.fake.command('reload', [], moderator);
      await holds[0].opened;
      const queued = run.fake.command('reload', [], moderator);
      const deferredAt = callback(await run.fake.waitForInteraction(queued, (c) => !!callback(c)))!.at;
      // The running build reads a held file: it tells no progress meanwhile, and the queued moderator saw nothing
      // but "thinking…" until it ended (the first edit waited for PROGRESS_TIMING.progressAfterMs and a progress).
      const [told] = patchesOf(await run.fake.waitForInteraction(queued, (c) => patchesOf(c).length > 0, 2500));
      expect(waiting(told)).toBe(true);
      expect(told.at - deferredAt).toBeLessThan(1000);
      await writeFile(queuedFile, 'Tram news\n\nThe second tram line opened on Monday.\n');
      holds.push(await holdFile(queuedFile));
      setTimeout(() => holds[0].release(), deferredAt + 1200 - Date.now()); // past 1 s: a wait the report tells
      await holds[1].opened; // the queued build runs, held in its read: it told its 'reading' at once
      await run.fake.waitForInteraction(first, isReport, 20_000);
      // Its own progress replaces the waiting line once that line has been up progressEveryMs, though the build
      // tells nothing more meanwhile (a progress edit held back is shown late, not dropped).
      const own = await run.fake.waitForInteraction(queued, (c) => patchesOf(c).some((x) => !waiting(x)), PROGRESS_TIMING.progressAfterMs + 2000);
      const shown = patchesOf(own);
      expect(shown.slice(0, -1).every(waiting)).toBe(true);
      expect(shown.at(-1)!.body.content).toMatch(/^Reloading… reading the data folder/);
      expect(shown.at(-1)!.at - told.at).toBeGreaterThanOrEqual(PROGRESS_TIMING.progressEveryMs - 50);
      holds[1].release();
      const report = patchesOf(await run.fake.waitForInteraction(queued, isReport, 20_000)).at(-1)!.body.embeds[0];
      expect(report.description).toMatch(/ · took [\d.]+ m?s, after waiting [\d.]+ m?s for the reload before yours · /);
    } finally {
      holds.forEach((h) => h.release());
      run.ctx.timing = { ...run.ctx.timing, progressAfterMs: 0, progressEveryMs: 150 };
    }
  }, 30_000);

  describe("a /reload that outlives an interaction's 15 minutes (shortened: handed over after 1 s, the fake refuses the token's edits after 2 s)", () => {
    const LIFE_MS = 2000;
    beforeEach(() => {
      run.ctx.timing.handoverAfterMs = 1000;
      run.fake.webhookLifetimeMs = LIFE_MS;
    });
    afterEach(() => {
      run.ctx.timing.handoverAfterMs = HANDOVER_AFTER_MS;
      run.fake.webhookLifetimeMs = null;
      run.fake.dmsClosedTo.clear();
    });
    /** Starts a /reload held in its read of a new file until the interaction's token has ended; resolves with its token once released. */
    async function lateReload(moderator: FakeMember, name: string): Promise<string> {
      const file = path.join(run.dataDir, name);
      await writeFile(file, 'Night train news\n\nThe night train to the summit city ran late on Sunday.\n');
      const hold = await holdFile(file);
      try {
        const token = run.fake.command('reload', [], moderator);
        await hold.opened;
        await new Promise((resolve) => setTimeout(resolve, LIFE_MS + 300));
        return token;
      } finally {
        hold.release();
      }
    }
    const failed = () => logs().filter((l) => l.msg === 'interaction failed');

    it.skipIf(!CAN_HOLD_FILES)('reports by direct message (its reply was private), which the reply names before its token ends', async () => {
      const moderator = member({ roles: [MOD_ROLE] });
      const before = failed().length;
      const token = await lateReload(moderator, 'zz_late_dm.txt');
      const dm = () => run.fake.calls.filter((c) => c.route.startsWith(`/api/v10/channels/${run.fake.dmChannels.get(moderator.id)}/messages`));
      const isReport = (c: RecordedCall) => c.method === 'PATCH' && JSON.stringify(c.body).includes('Sources reloaded');
      const report = await run.fake.waitFor(() => dm().find(isReport), 20_000, 'the report in a direct message');
      // Before: the report's edit of the reply was refused (50027), and it reached only the log ("interaction failed").
      const [posted] = dm();
      expect(posted.method).toBe('POST');
      expect(posted.body.content).toMatch(/^About your `\/reload` in <#\d+>: it outlasts the 15 minutes Discord lets me update its reply, so it goes on here\./);
      expect(report.route.startsWith(`${posted.route}/`)).toBe(true); // the same message, edited
      expect(report.body.content).toBe(posted.body.content.split('\n')[0]);
      expect(report.body.embeds[0].fields.find((f: { name: string }) => f.name.startsWith('Added')).value).toContain('zz_late_dm.txt');
      expectNoMentions(dm());
      // The private reply named the direct message while Discord still took its edits, and nothing was sent to the
      // interaction after (it would have been refused).
      const calls = run.fake.callsFor(token);
      const born = callback(calls)!.at;
      const note = calls.find((c) => c.method === 'PATCH' && /so I sent you a direct message: it goes on there\.$/.test(c.body?.content ?? ''));
      expect(note!.at - born).toBeLessThan(LIFE_MS);
      expect(calls.filter((c) => c.at - born > LIFE_MS)).toEqual([]);
      expect(failed().length).toBe(before);
    }, 30_000);

    it.skipIf(!CAN_HOLD_FILES)('hands a /reload queued past the token over with its waiting line, and reports its wait in the direct message', async () => {
      const moderator = member({ roles: [MOD_ROLE] });
      const waiting = /Reloading… waiting for the reload before yours to end/;
      const file = path.join(run.dataDir, 'zz_late_queued.txt');
      await writeFile(file, 'Night bus news\n\nThe night bus to the summit city ran on time on Sunday.\n');
      const hold = await holdFile(file);
      let queued: string;
      try {
        run.fake.command('reload', [], member({ roles: [MOD_ROLE] }));
        await hold.opened;
        queued = run.fake.command('reload', [], moderator);
        await new Promise((resolve) => setTimeout(resolve, LIFE_MS + 300));
      } finally {
        hold.release();
      }
      const dm = () => run.fake.calls.filter((c) => c.route.startsWith(`/api/v10/channels/${run.fake.dmChannels.get(moderator.id)}/messages`));
      const report = await run.fake.waitFor(() => dm().find((c) => c.method === 'PATCH' && JSON.stringify(c.body).includes('Sources reloaded')), 20_000, 'the report in a direct message');
      expect(dm()[0].body.content).toMatch(waiting); // the line shown when it was handed over goes on in the message
      expect(report.body.embeds[0].description).toMatch(/, after waiting [\d.]+ m?s for the reload before yours · /);
      expect(run.fake.callsFor(queued).filter((c) => c.method === 'PATCH').every((c) => waiting.test(c.body?.content ?? '') || /direct message/.test(c.body?.content ?? ''))).toBe(true);
    }, 30_000);

    it.skipIf(!CAN_HOLD_FILES)('when the moderator takes no direct message, the reply says where to look before its token ends, the bot logs it and keeps serving', async () => {
      const moderator = member({ roles: [MOD_ROLE] });
      run.fake.dmsClosedTo.add(moderator.id);
      const before = failed().length;
      const token = await lateReload(moderator, 'zz_late_closed.txt');
      const calls = run.fake.callsFor(token);
      const note = calls.find((c) => c.method === 'PATCH' && /could not send you a direct message/.test(c.body?.content ?? ''));
      expect(note!.body.content).toMatch(/When it ends, `\/about` shows how the last reload went\.$/);
      expect(note!.at - callback(calls)!.at).toBeLessThan(LIFE_MS);
      await run.fake.waitFor(() => logs().some((l) => l.msg === 'reload finished' && l.user === moderator.id), 20_000, 'the reload to end');
      await run.fake.waitFor(() => logs().some((l) => l.msg.startsWith('reply lost') && l.user === moderator.id), 5000, 'the lost reply logged');
      expect(logs().find((l) => l.msg.startsWith('could not hand the reply over') && l.user === moderator.id)!.code).toBe(50007);
      expect(failed().length).toBe(before);
      expect(JSON.stringify(logs())).not.toContain(token);
      const about = run.fake.command('about', [], member());
      expect(callback(await run.fake.waitForInteraction(about, (c) => !!callback(c)))).toBeDefined();
    }, 30_000);
  });

  checkWholeRun(run);
});
