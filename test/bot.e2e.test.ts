/**
 * End to end: the real discord.js Client logs in to a fake Discord on 127.0.0.1 and answers interactions with
 * the REAL engine built from a temp copy of the project's data/ folder (bot-run.ts). Assertions are on the HTTP
 * calls the bot makes back (interaction callbacks, webhook edits and followups), exactly as Discord would receive
 * them. The moderators' /reload has its own bot, in bot-reload.e2e.test.ts; a reply that outlives its interaction,
 * in handover.e2e.test.ts.
 */
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApplicationCommandOptionType, PermissionFlagsBits } from 'discord.js';
import { deployCommands } from '../src/bot/deploy-commands';
import { MAX_QUESTION_LENGTH } from '../src/engine';
import { createLogger } from '../src/log';
import { APP_ID, GUILD_ID } from './fake-discord';
import { callback, edit, followUps } from './discord-view';
import { askAndWait, checkWholeRun, EPHEMERAL, expectNoMentions, logsOf, member, quoteFromDescription, STRING, TOKEN, useBotRun } from './bot-run';
import { slowReload } from './slow-reload';

const run = useBotRun();
const logs = () => logsOf(run);
let answerPayload: any;

describe('the bot against a fake Discord', () => {
  it('logs in through the REST base and the gateway URL the fake returns', () => {
    expect(run.fake.identified).toBe(true);
    expect(run.fake.calls.some((c) => c.method === 'GET' && c.route === '/api/v10/gateway/bot')).toBe(true);
    expect(run.bot.client.isReady()).toBe(true);
    expect(logs().some((l) => l.msg === 'connected to Discord')).toBe(true);
  });

  it('autocompletes the question with at most 25 choices of at most 100 characters', async () => {
    const started = Date.now();
    const token = run.fake.autocomplete('ask', [{ name: 'question', type: STRING, value: 'Obama and Pu', focused: true }], member());
    const [cb] = await run.fake.waitForInteraction(token, (calls) => !!callback(calls));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(cb.body.type).toBe(8);
    const choices = cb.body.data.choices as Array<{ name: string; value: string }>;
    expect(choices.length).toBeGreaterThan(0);
    expect(choices.length).toBeLessThanOrEqual(25);
    for (const c of choices) {
      expect(c.name.length).toBeLessThanOrEqual(100);
      expect(c.value.length).toBeLessThanOrEqual(100);
    }
    expect(choices.some((c) => /^Obama and Pu/i.test(c.value))).toBe(true);
  });

  it('answers /ask with verbatim quotes under their article titles, deferring first and pinging nobody', async () => {
    const calls = await askAndWait(run.fake, 'How long did Obama and Putin meet?', member());
    const cb = callback(calls)!;
    expect(cb.body.type).toBe(5); // deferred: the engine may be loading its model
    expect(cb.body.data?.flags ?? 0).toBe(0); // public unless private:true
    const patch = edit(calls)!;
    expect(patch).toBeDefined();
    expect(patch.at).toBeGreaterThanOrEqual(cb.at);
    expectNoMentions(calls);
    const body = patch.body;
    answerPayload = body;
    expect(body.content).toContain('How long did Obama and Putin meet?');
    expect(body.embeds.length).toBeGreaterThanOrEqual(1);
    expect(body.embeds.length).toBeLessThanOrEqual(3);
    const titles = new Map([...run.sourceTexts].map(([f, t]) => [t.split('\n')[0].trim(), f]));
    const quotes: string[] = [];
    for (const embed of body.embeds) {
      const quote = quoteFromDescription(embed.description);
      const file = titles.get(embed.title);
      expect(file, `embed title ${embed.title} is an article title`).toBeDefined();
      expect(run.sourceTexts.get(file!)).toContain(quote); // verbatim from that very article
      expect(embed.description).toMatch(/\*\*[^*]+\*\*/); // question words in bold
      quotes.push(quote);
    }
    expect(quotes).toContain(
      'Obama and Putin met for 90 minutes on the sidelines of the Group of 20 economic summit in Hangzhou, China, said the official, who spoke on condition of anonymity.',
    );
    const footer = body.embeds[body.embeds.length - 1].footer.text as string;
    expect(footer).toMatch(/Searched 2 articles/);
    expect(footer).toMatch(/model: /);
    const button = body.components[0].components[0];
    expect(button.label).toBe('Show context');
    expect(button.custom_id.length).toBeLessThanOrEqual(100);
    await writeFile(path.join(run.tmp, 'answer-payload.json'), JSON.stringify(body, null, 2));
    if (process.env.SAVE_ANSWER_PAYLOAD) await writeFile(process.env.SAVE_ANSWER_PAYLOAD, JSON.stringify(body, null, 2));
  });

  it('shows the context of an answer ephemerally to whoever presses the button', async () => {
    const customId = answerPayload.components[0].components[0].custom_id as string;
    const token = run.fake.button(customId, answerPayload, member());
    const calls = await run.fake.waitForInteraction(token, (c) => !!callback(c));
    const cb = callback(calls)!;
    expect(cb.body.type).toBe(4);
    expect(cb.body.data.flags & EPHEMERAL).toBe(EPHEMERAL);
    expectNoMentions(calls);
    const embeds = cb.body.data.embeds as Array<{ description: string }>;
    expect(embeds.length).toBe(answerPayload.embeds.length);
    const all = embeds.map((e) => e.description).join('\n');
    expect(all).toContain('Group of 20');
    // Context lines around the quotes are there too (more than the block quote itself).
    expect(embeds.some((e) => e.description.split('\n').length > 1)).toBe(true);
  });

  it('abstains on an off-topic question: says so, points to /sources, quotes nothing', async () => {
    const calls = await askAndWait(run.fake, 'What is the weather in Moscow, China and Syria tomorrow?', member());
    const body = edit(calls)!.body;
    expect(body.content).toContain("don't answer");
    expect(body.content).toContain('/sources');
    expect(body.embeds ?? []).toEqual([]);
    expect(body.components ?? []).toEqual([]);
    expectNoMentions(calls);
  });

  it("tells a question in another language than the articles' that its words are not theirs, not to rephrase it", async () => {
    const body = edit(await askAndWait(run.fake, 'Wie lange haben sich Obama und Putin getroffen?', member()))!.body;
    expect(body.content).toBe(
      "**Question:** Wie lange haben sich Obama und Putin getroffen?\nFew of this question's words, if any, appear in the source articles, so I have nothing to quote. Ask in the articles' own language and words, or see `/sources` for what they cover.",
    );
  });

  it('does not ping anyone for an @everyone or <@id> question, and escapes it', async () => {
    const calls = await askAndWait(run.fake, '@everyone <@123456789012345678> how long did **Obama** and Putin meet?', member(), [
      { name: 'private', type: ApplicationCommandOptionType.Boolean, value: true },
    ]);
    expect(callback(calls)!.body.data.flags & EPHEMERAL).toBe(EPHEMERAL); // private: true
    expectNoMentions(calls);
    const body = edit(calls)!.body;
    expect(body.content).toContain('\\*\\*Obama\\*\\*'); // echoed question escaped, not bolded
    // The mentions are no words of the question: asked without them, it gets the answer the plain question gets.
    expect(body.content).toBe('**Question:** how long did \\*\\*Obama\\*\\* and Putin meet?');
    expect(quoteFromDescription(body.embeds[0].description)).toMatch(/^Obama and Putin met for 90 minutes/);
  });

  it('gives a private hint for a whitespace-only question, without calling the engine', async () => {
    const token = run.fake.command('ask', [{ name: 'question', type: STRING, value: '   ' }], member());
    const [cb] = await run.fake.waitForInteraction(token, (c) => !!callback(c));
    expect(cb.body.type).toBe(4);
    expect(cb.body.data.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(cb.body.data.content).toMatch(/type a question/i);
  });

  it('refuses a too-long question privately before it defers or takes the cooldown, saying the limit and its length', async () => {
    // Discord enforces max_length 300; a client that does not still meets the engine's own limit, checked up front.
    const who = member();
    const long = `How long did they meet ${'and why '.repeat(200)}?`;
    const calls = await askAndWait(run.fake, long, who);
    const cb = callback(calls)!;
    expect(cb.body.type).toBe(4); // answered at once: no public "thinking…" to take back, no engine call
    expect(cb.body.data.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(cb.body.data.content).toBe(`The question is too long (${long.length} characters; at most ${MAX_QUESTION_LENGTH}).`);
    expect(calls.length).toBe(1);
    expectNoMentions(calls);
    // Nothing was asked, so no cooldown holds the shortened question back.
    const again = await askAndWait(run.fake, 'How long did they meet?', who);
    expect(callback(again)!.body.type).toBe(5); // deferred to answer; the cooldown's reply would be a type 4
  });

  it('enforces the per-member cooldown with a private message saying when to try again', async () => {
    const who = member();
    await askAndWait(run.fake, 'Where did Obama and Putin meet?', who);
    const token = run.fake.command('ask', [{ name: 'question', type: STRING, value: 'Where was the G20 summit?' }], who);
    const [cb] = await run.fake.waitForInteraction(token, (c) => !!callback(c));
    expect(cb.body.type).toBe(4);
    expect(cb.body.data.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(cb.body.data.content).toMatch(/<t:\d+:R>/);
  });

  it('lists the sources with sentence counts and when the index was loaded', async () => {
    const token = run.fake.command('sources', [], member());
    const [cb] = await run.fake.waitForInteraction(token, (c) => !!callback(c));
    expect(cb.body.type).toBe(4);
    expectNoMentions([cb]);
    const embed = cb.body.data.embeds[0];
    expect(embed.title).toMatch(/2 articles/);
    expect(embed.description).toContain('Putin, Obama agree to continue discussions on Syria');
    expect(embed.description).toContain('Gaps of trust hamper Syria deal with Russia —Obama');
    expect(embed.description).toMatch(/\d+ sentences/);
    expect(embed.fields[0].value).toContain('at start');
  });

  it('reads /sources page and find from the interaction: the matches, a page past the end named, a hostile find escaped', async () => {
    const send = async (options: Array<{ name: string; type: number; value: unknown }>) => {
      const token = run.fake.command('sources', options, member());
      const [cb] = await run.fake.waitForInteraction(token, (c) => !!callback(c));
      expect(cb.body.data.flags & EPHEMERAL).toBe(EPHEMERAL);
      expectNoMentions([cb]);
      return cb.body.data.embeds[0];
    };
    const found = await send([{ name: 'find', type: STRING, value: 'SYRIA continue' }]);
    expect(found.description.split('\n')[0]).toBe('**1** of 2 articles matches “SYRIA continue”');
    expect(found.description).toContain('Putin, Obama agree to continue discussions on Syria');
    expect(found.footer.text).toBe('Page 1 of 1');
    const past = await send([{ name: 'page', type: ApplicationCommandOptionType.Integer, value: 2 }]);
    expect(past.description).toBe('Page 2 is past the end: the 2 articles fill 1 page; the last is `page:1`.');
    const hostile = await send([{ name: 'find', type: STRING, value: '@everyone <@123> **x**' }]);
    expect(hostile.description).toContain('“@everyone \\<@123> \\*\\*x\\*\\*”');
  });

  it('tells on /sources that a reload is running, as /about does', async () => {
    const slow = await slowReload(run, 'filler');
    const [cb] = await run.fake.waitForInteraction(run.fake.command('sources', [], member()), (c) => !!callback(c));
    expect(run.engine.status().reloading).toBe(true);
    // Before, nothing told that the list was about to change.
    expect(cb.body.data.embeds[0].title).toMatch(/^Sources: 2 articles, \d+ sentences \(reloading…\)$/);
    expect((await slow.done).ok).toBe(true);
    await rm(path.join(run.dataDir, 'zz_filler.txt'));
    expect((await run.engine.reload()).ok).toBe(true);
    const [after] = await run.fake.waitForInteraction(run.fake.command('sources', [], member()), (c) => !!callback(c));
    expect(after.body.data.embeds[0].title).toMatch(/^Sources: 2 articles, \d+ sentences$/);
  }, 60_000);

  it('turns a throwing command into an ephemeral error with an id that is logged, and keeps serving', async () => {
    const token = run.fake.command('boom', [], member());
    const [cb] = await run.fake.waitForInteraction(token, (c) => !!callback(c));
    expect(cb.body.type).toBe(4);
    expect(cb.body.data.flags & EPHEMERAL).toBe(EPHEMERAL);
    const id = /error id ([0-9A-F]{6})/.exec(cb.body.data.content)?.[1];
    expect(id).toBeDefined();
    const logged = logs().find((l) => l.msg === 'interaction failed' && l.errorId === id);
    expect(logged).toBeDefined();
    expect(JSON.stringify(logged)).toContain('kaboom');

    // After a deferred public reply: the "thinking…" goes away and the error comes privately.
    const t2 = run.fake.command('boom', [{ name: 'after_defer', type: ApplicationCommandOptionType.Boolean, value: true }], member());
    const calls = await run.fake.waitForInteraction(t2, (c) => followUps(c).length > 0);
    expect(calls.some((c) => c.method === 'DELETE')).toBe(true);
    const fu = followUps(calls)[0];
    expect(fu.body.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(fu.body.content).toMatch(/error id [0-9A-F]{6}/);

    // A rejection without an error (no code to read) too: it broke the error handling, and the member heard nothing.
    const [bare] = await run.fake.waitForInteraction(run.fake.command('boom', [{ name: 'no_error', type: ApplicationCommandOptionType.Boolean, value: true }], member()), (c) => !!callback(c));
    expect(bare.body.data.content).toMatch(/error id [0-9A-F]{6}/);

    // The bot is still serving.
    const next = await askAndWait(run.fake, 'How long did Obama and Putin meet?', member());
    expect(edit(next)!.body.embeds.length).toBeGreaterThan(0);
  });

  it('answers an unknown command politely and privately', async () => {
    const token = run.fake.command('old_frob_nicate', [], member());
    const [cb] = await run.fake.waitForInteraction(token, (c) => !!callback(c));
    expect(cb.body.type).toBe(4);
    expect(cb.body.data.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(cb.body.data.content).toMatch(/don't know the command `\/old_frob_nicate`/); // in code, as typed: no escapes shown
  });

  it('deploys the command definitions to a guild through REST', async () => {
    const log = createLogger({ write: (l) => run.logLines.push(l) });
    const result = await deployCommands(
      { token: TOKEN, clientId: APP_ID, guildId: GUILD_ID, apiBase: run.fake.apiBase, moderatorRoleIds: [], moderatorGuildId: null, askCooldownSeconds: 5, shardCount: null },
      log,
    );
    expect(result).toEqual({ scope: 'guild', names: ['about', 'article', 'ask', 'reload', 'sources'] });
    const put = run.fake.calls.find((c) => c.method === 'PUT')!;
    expect(put.route).toBe(`/api/v10/applications/${APP_ID}/guilds/${GUILD_ID}/commands`);
    const reload = put.body.find((c: any) => c.name === 'reload');
    expect(reload.default_member_permissions).toBe(String(PermissionFlagsBits.ManageGuild));
    const ask = put.body.find((c: any) => c.name === 'ask');
    expect(ask.options[0]).toMatchObject({ name: 'question', required: true, max_length: 300, autocomplete: true });
  });

  checkWholeRun(run);
});
