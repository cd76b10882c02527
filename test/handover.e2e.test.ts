/**
 * End to end, as bot.e2e.test.ts (its own bot): a reply that outlives its interaction's 15 minutes (shortened) goes
 * on in the bot's own message, in the channel or by direct message, and when neither way is open the member is told
 * what is true: where to look, or to ask again; a private answer that can reach them by no way is said to be lost.
 */
import { describe, expect, it } from 'vitest';
import { ApplicationCommandOptionType } from 'discord.js';
import { HANDOVER_AFTER_MS } from '../src/bot/handover';
import { CHANNEL_ID, type RecordedCall } from './fake-discord';
import { callback, followUps } from './discord-view';
import { checkWholeRun, EPHEMERAL, expectNoMentions, logsOf, member, slowCalls, useBotRun } from './bot-run';

const run = useBotRun();
const logs = () => logsOf(run);
const BOOLEAN = ApplicationCommandOptionType.Boolean;

describe('a reply that outlives its interaction', () => {
  // Shortened, as in bot-reload.e2e.test.ts: handed over after 1 s, the fake refuses the interaction's token after
  // `lifeMs` (2 s), and the command answers after `answerAfterMs` (past the token's end unless told).
  async function lateSlow({ channelClosed = false, beforeAnswer = () => {}, who = member(), ephemeral = false, privately = false, lifeMs = 2000, answerAfterMs = 2300 } = {}): Promise<{ token: string; born: number; who: string }> {
    run.ctx.timing.handoverAfterMs = 1000;
    run.fake.webhookLifetimeMs = lifeMs;
    run.fake.channelClosed = channelClosed;
    try {
      const token = run.fake.command('slow', privately ? [{ name: 'private', type: BOOLEAN, value: true }] : [], who);
      await run.fake.waitFor(() => slowCalls.length > 0, 5000, 'the slow command');
      const born = callback(run.fake.callsFor(token))!.at;
      await new Promise((resolve) => setTimeout(resolve, born + answerAfterMs - Date.now()));
      beforeAnswer();
      slowCalls.shift()!.answer({ ephemeral });
      // Discord as it was until the answer has been sent (the token refused, the channel closed).
      await run.fake.waitFor(() => logs().some((l) => /^interaction (handled|failed)$/.test(l.msg) && l.user === who.id), 5000, 'the answer');
      return { token, born, who: who.id };
    } finally {
      run.ctx.timing.handoverAfterMs = HANDOVER_AFTER_MS;
      run.fake.webhookLifetimeMs = null;
      run.fake.channelClosed = false;
    }
  }
  const channelMessages = (id: string | undefined) => run.fake.calls.filter((c) => c.route.startsWith(`/api/v10/channels/${id}/messages`));
  const isDone = (c: RecordedCall) => c.method === 'PATCH' && /Done, /.test(c.body?.content ?? '');

  it('goes on with a public reply that outlives its interaction in a message in its channel, which the reply names first', async () => {
    const { token, born } = await lateSlow();
    const done = await run.fake.waitFor(() => channelMessages(CHANNEL_ID).find(isDone), 5000, 'the answer in the channel');
    const [posted] = channelMessages(CHANNEL_ID);
    expect(posted.body.content).toBe('A `/slow` here outlasts the 15 minutes Discord lets me update its reply, so it goes on in this message.\nWorking on it, @everyone.');
    expect(done.route.startsWith(`${posted.route}/`)).toBe(true);
    expect(done.body.content).toMatch(/in this message\.\nDone, <@900000000000000777> and @everyone\.$/);
    expectNoMentions(channelMessages(CHANNEL_ID));
    const calls = run.fake.callsFor(token);
    expect(calls.find((c) => c.method === 'PATCH' && /so it goes on in a new message in this channel\.$/.test(c.body?.content ?? ''))!.at - born).toBeLessThan(2000);
    expect(calls.filter((c) => c.at - born > 2000)).toEqual([]);
  }, 15_000);

  it('answers in a new message when the one it went on in was deleted meanwhile', async () => {
    const before = channelMessages(CHANNEL_ID).length;
    try {
      await lateSlow({ beforeAnswer: () => (run.fake.channelMessagesDeleted = true) });
      const answer = await run.fake.waitFor(() => channelMessages(CHANNEL_ID).slice(before).find((c) => c.method === 'POST' && /Done, /.test(c.body.content)), 5000, 'the answer');
      expect(answer.body.content).toMatch(/ so it goes on in this message\.\nDone, <@900000000000000777> and @everyone\.$/);
      expect(channelMessages(CHANNEL_ID).slice(before).map((c) => c.method)).toEqual(['POST', 'PATCH', 'POST']); // the edit refused
      expect(answer.body.allowed_mentions).toEqual({ parse: [] });
    } finally {
      run.fake.channelMessagesDeleted = false;
    }
  }, 15_000);

  it('sends a public reply that outlives its interaction by direct message when the bot may not post in the channel, and logs why', async () => {
    const before = channelMessages(CHANNEL_ID).length;
    const { token, who } = await lateSlow({ channelClosed: true });
    const done = await run.fake.waitFor(() => channelMessages(run.fake.dmChannels.get(who)).find(isDone), 5000, 'the answer by direct message');
    expect(done.body.content).toMatch(/^About your `\/slow` in <#\d+>: .*\nDone, /);
    expect(channelMessages(CHANNEL_ID).slice(before).every((c) => c.method === 'POST')).toBe(true); // tried, refused
    expect(logs().find((l) => l.msg === 'could not hand the reply over to the channel' && l.user === who)!.code).toBe(50013);
    expect(run.fake.callsFor(token).some((c) => /so I sent you a direct message: it goes on there\.$/.test(c.body?.content ?? ''))).toBe(true);
  }, 15_000);

  it('keeps the note saying where to look when no way was open: a later progress does not replace it before the token ends', async () => {
    const who = member();
    run.fake.dmsClosedTo.add(who.id);
    const isNote = (c: RecordedCall) => c.method === 'PATCH' && /could not send you a direct message/.test(c.body?.content ?? '');
    try {
      // Between the handover (1 s) and the token's end (2 s), the command shows a progress.
      const progressed = (async () => {
        await run.fake.waitFor(() => slowCalls.length > 0, 5000, 'the slow command');
        const { respond } = slowCalls[0];
        const token = run.fake.interactionTokens.at(-1)!;
        await run.fake.waitFor(() => run.fake.callsFor(token).find(isNote), 5000, 'the note');
        await respond.progress({ content: 'Nearly there.' }).catch(() => undefined);
      })();
      const { token, born } = await lateSlow({ channelClosed: true, who });
      await progressed;
      await run.fake.waitFor(() => logs().some((l) => l.msg === 'interaction handled' && l.user === who.id), 5000, 'the answer');
      // Before: the progress edit overwrote the note, so the member saw "Nearly there." for ever, and no word of where to look.
      const taken = run.fake.callsFor(token).filter((c) => c.method === 'PATCH' && c.at - born <= 2000);
      expect(isNote(taken.at(-1)!)).toBe(true);
      // Not a reload: `/about` tells nothing of its answer (the note pointed there).
      expect(taken.at(-1)!.body.content).toMatch(/ nor post in this channel\. An answer after that cannot reach you: please try again\.$/);
    } finally {
      run.fake.dmsClosedTo.delete(who.id);
    }
  }, 15_000);

  it('answers a private answer to a public reply gone on in the channel by direct message; the channel message, named by the note the token keeps, says so', async () => {
    const before = channelMessages(CHANNEL_ID).length;
    const { who, token } = await lateSlow({ ephemeral: true });
    const answer = await run.fake.waitFor(() => channelMessages(run.fake.dmChannels.get(who)).find((c) => /Done, /.test(c.body?.content ?? '')), 5000, 'the answer by direct message');
    expect(answer.body.content).toMatch(/^About your `\/slow` in <#\d+>: .*\nDone, /);
    // The token ended: the reply's note still says "it goes on in a new message in this channel". Before, that message
    // was deleted (the note pointed at nothing); before that, it stayed saying "Working on it" for ever.
    expect(run.fake.callsFor(token).filter((c) => c.method === 'PATCH').at(-1)!.body.content).toMatch(/so it goes on in a new message in this channel\.$/);
    const [posted] = channelMessages(CHANNEL_ID).slice(before);
    const told = await run.fake.waitFor(() => channelMessages(CHANNEL_ID).slice(before).find((c) => c.method === 'PATCH' && /\nIts answer was/.test(c.body?.content ?? '')), 5000, 'the channel message saying where the answer went');
    expect(told.route.startsWith(`${posted.route}/`)).toBe(true);
    expect(told.body.content).toMatch(/in this message\.\nIts answer was for the member who asked alone: I sent it to them by direct message\.$/);
    expect(told.body.allowed_mentions).toEqual({ parse: [] });
    expect(channelMessages(CHANNEL_ID).slice(before).some((c) => c.method === 'DELETE' || /Done, /.test(c.body?.content ?? ''))).toBe(false);
  }, 15_000);

  it('keeps the answer already in the channel message when a second, private answer follows it', async () => {
    const before = channelMessages(CHANNEL_ID).length;
    let respond: (typeof slowCalls)[number]['respond'] | undefined;
    const { who } = await lateSlow({ beforeAnswer: () => (respond = slowCalls[0].respond) });
    await run.fake.waitFor(() => channelMessages(CHANNEL_ID).slice(before).find(isDone), 5000, 'the public answer');
    // As the router's error reply after a command that had answered.
    await respond!.reply({ content: 'A second word, for you alone.' }, { ephemeral: true });
    await run.fake.waitFor(() => channelMessages(run.fake.dmChannels.get(who)).find((c) => /A second word/.test(c.body?.content ?? '')), 5000, 'the private answer');
    // Before: the channel message, which held the public answer, was deleted with it.
    expect(channelMessages(CHANNEL_ID).slice(before).some((c) => c.method === 'DELETE' || /A second word|Its answer was/.test(c.body?.content ?? ''))).toBe(false);
  }, 15_000);

  it('tells a member whose private reply could not be handed over (direct messages closed) to try again, not to look in /about', async () => {
    const who = member();
    run.fake.dmsClosedTo.add(who.id);
    try {
      const { token, born } = await lateSlow({ privately: true, who });
      const calls = run.fake.callsFor(token);
      expect(callback(calls)!.body.data.flags).toBe(EPHEMERAL);
      const note = calls.find((c) => c.method === 'PATCH' && /could not send you a direct message/.test(c.body?.content ?? ''))!;
      // Before: "When it ends, `/about` shows how the last reload went.", of an answer /about never shows.
      expect(note.body.content).toMatch(/\(they may be closed to this server\)\. An answer after that cannot reach you: please try again\.$/);
      expect(note.at - born).toBeLessThan(2000);
      await run.fake.waitFor(() => logs().some((l) => l.msg.startsWith('reply lost') && l.user === who.id), 5000, 'the lost answer logged');
    } finally {
      run.fake.dmsClosedTo.delete(who.id);
    }
  }, 15_000);

  it('says direct messages may be closed only when Discord says so (50007): another refusal is told as it is', async () => {
    const who = member();
    run.fake.dmsClosedTo.add(who.id);
    run.fake.dmRefusal = { status: 403, message: 'Missing Access', code: 50001 };
    try {
      const { token } = await lateSlow({ privately: true, who });
      const note = run.fake.callsFor(token).find((c) => c.method === 'PATCH' && /could not send you a direct message/.test(c.body?.content ?? ''))!;
      // Before: "(they may be closed to this server)", whatever Discord had answered.
      expect(note.body.content).toMatch(/and I could not send you a direct message \(Discord refused it\)\. An answer after that cannot reach you: please try again\.$/);
    } finally {
      run.fake.dmsClosedTo.delete(who.id);
      run.fake.dmRefusal = { status: 403, message: 'Cannot send messages to this user', code: 50007 };
    }
  }, 15_000);

  it("says in the channel's message that a private answer could not reach a member with direct messages closed, after the token", async () => {
    const who = member();
    run.fake.dmsClosedTo.add(who.id);
    const before = channelMessages(CHANNEL_ID).length;
    const failed = logs().filter((l) => l.msg === 'interaction failed').length;
    try {
      await lateSlow({ ephemeral: true, who });
      const [posted] = channelMessages(CHANNEL_ID).slice(before);
      const lost = /\nIts answer was for the member who asked alone, and I could not send it to them by direct message \(they may be closed to this server\): they may try again\.$/;
      // Before: the channel message was deleted, the answer lost, and the member saw nothing ("interaction failed" logged).
      const told = await run.fake.waitFor(() => channelMessages(CHANNEL_ID).slice(before).find((c) => c.method === 'PATCH' && lost.test(c.body?.content ?? '')), 5000, 'the channel message saying so');
      expect(told.route.startsWith(`${posted.route}/`)).toBe(true);
      await run.fake.waitFor(() => logs().some((l) => l.msg.startsWith('private answer lost') && l.user === who.id), 5000, 'the lost answer logged');
      expect(channelMessages(CHANNEL_ID).slice(before).some((c) => c.method === 'DELETE' || /Done, /.test(c.body?.content ?? ''))).toBe(false);
      expect(logs().filter((l) => l.msg === 'interaction failed').length).toBe(failed);
    } finally {
      run.fake.dmsClosedTo.delete(who.id);
    }
  }, 15_000);

  it('sends a private answer to a member with direct messages closed privately in the interaction while its token lasts', async () => {
    const who = member();
    run.fake.dmsClosedTo.add(who.id);
    const before = channelMessages(CHANNEL_ID).length;
    try {
      // Handed over after 1 s; answered at 1.8 s, the token lasting 3 s.
      const { token } = await lateSlow({ ephemeral: true, who, lifeMs: 3000, answerAfterMs: 1800 });
      const answer = await run.fake.waitFor(() => followUps(run.fake.callsFor(token)).find((c) => /Done, /.test(c.body?.content ?? '')), 5000, 'the private follow-up');
      expect(answer.body.flags).toBe(EPHEMERAL);
      const [posted] = channelMessages(CHANNEL_ID).slice(before);
      await run.fake.waitFor(() => run.fake.calls.find((c) => c.method === 'DELETE' && c.route.startsWith(`${posted.route}/`)), 5000, 'the channel message taken away');
      // With the reply's note, which said it goes on there (before, it stayed, pointing at a message deleted).
      expect(run.fake.callsFor(token).some((c) => c.method === 'DELETE' && c.route.endsWith('/messages/@original'))).toBe(true);
    } finally {
      run.fake.dmsClosedTo.delete(who.id);
    }
  }, 15_000);

  checkWholeRun(run);
});
