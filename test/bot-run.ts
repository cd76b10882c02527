/**
 * One bot for the bot's end-to-end tests (bot.e2e.test.ts, bot-reload.e2e.test.ts): the real discord.js Client
 * logged in to a fake Discord on 127.0.0.1, answering with the REAL engine built from a temp copy of the project's
 * data/ folder, through the real command table plus one command that throws and one that answers when told. Also
 * what both files ask and check.
 */
import { cp, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ApplicationCommandOptionType, ApplicationCommandType, MessageFlags } from 'discord.js';
import { openEngine } from '../src/engine/index';
import type { AnswerEngine } from '../src/engine/types';
import { loadCommands } from '../commands';
import type { BotContext, Command, Respond } from '../commands/command';
import type { BotConfig } from '../src/bot/config';
import { startBot, type RunningBot } from '../src/bot/start-bot';
import { createLogger } from '../src/log';
import { createArticleIntake, readIntakeSettings } from '../src/intake';
import { APP_ID, FakeDiscord, GUILD_ID, type FakeMember, type RecordedCall } from './fake-discord';
import { callback, edit, followUps, mentionLeaks, shownQuote } from './discord-view';

const PROJECT_DATA = path.resolve(__dirname, '..', 'data');
// Token-shaped on purpose: the logs must never contain it.
export const TOKEN = 'MTExMTExMTExMTExMTExMTEx.GaBcDe.fakefakefakefakefakefakefakefake12';
export const MOD_ROLE = '900000000000000777';
export const EPHEMERAL = MessageFlags.Ephemeral;
export const STRING = ApplicationCommandOptionType.String;

/** A running bot and what it runs on. */
export interface BotRun {
  tmp: string;
  dataDir: string;
  engine: AnswerEngine;
  fake: FakeDiscord;
  bot: RunningBot;
  /** Every log line the bot wrote, as JSON text. */
  logLines: string[];
  /** The data folder's files' texts at the start, by file name. */
  sourceTexts: Map<string, string>;
  /** The commands' context: a test may set the production `timing` back. */
  ctx: BotContext;
}

/** A command that throws, to check the router's error handling (the rest of the table is the real one). */
const boom: Command = {
  definition: { name: 'boom', description: 'fails on purpose', type: ApplicationCommandType.ChatInput },
  async execute(call, respond) {
    if (call.options.after_defer) await respond.defer();
    if (call.options.no_error) throw undefined; // a rejection without an error: a library may reject so
    throw new Error(`kaboom with ${TOKEN} inside`);
  },
};

/** The `slow` calls waiting to answer, in order: the test lets each answer by calling `answer` (and may show progress meanwhile). */
export const slowCalls: Array<{ answer: (options?: { ephemeral?: boolean }) => void; respond: Respond }> = [];

/**
 * A command that defers (publicly, or privately with `private:true`), shows a progress and answers when the test
 * lets it: a reply that can outlive its interaction.
 */
const slow: Command = {
  definition: { name: 'slow', description: 'answers when the test lets it', type: ApplicationCommandType.ChatInput },
  async execute(call, respond) {
    await respond.defer({ ephemeral: call.options.private === true });
    await respond.progress({ content: 'Working on it, @everyone.' });
    const options = await new Promise<{ ephemeral?: boolean } | undefined>((answer) => slowCalls.push({ answer, respond }));
    await respond.reply({ content: 'Done, <@900000000000000777> and @everyone.' }, options);
  },
};

/**
 * A test file's bot: started on a fresh copy of data/ before the file's tests and stopped after them. The object is
 * filled in when the tests run (not yet while they are being defined).
 */
export function useBotRun(): BotRun {
  const run = {} as BotRun;
  beforeAll(() => startBotRun(run), 30_000);
  afterAll(() => stopBotRun(run));
  return run;
}

/** Fills `run` part by part, so that when a part fails to start, `stopBotRun` still stops the parts before it. */
async function startBotRun(run: Partial<BotRun>): Promise<void> {
  const tmp = (run.tmp = await mkdtemp(path.join(os.tmpdir(), 'quotebot-e2e-')));
  const dataDir = (run.dataDir = path.join(tmp, 'data'));
  await cp(PROJECT_DATA, dataDir, { recursive: true });
  const sourceTexts = (run.sourceTexts = new Map<string, string>());
  for (const f of await readdir(dataDir)) sourceTexts.set(f, await readFile(path.join(dataDir, f), 'utf8'));
  const engine = (run.engine = await openEngine({ dataDir, cacheDir: path.join(tmp, 'cache'), warn: () => {} }));
  const fake = (run.fake = new FakeDiscord());
  await fake.start();
  const config: BotConfig = {
    token: TOKEN,
    clientId: APP_ID,
    guildId: undefined,
    apiBase: fake.apiBase,
    moderatorRoleIds: [MOD_ROLE],
    moderatorGuildId: GUILD_ID,
    askCooldownSeconds: 5,
    shardCount: null,
  };
  const logLines: string[] = (run.logLines = []);
  run.bot = await startBot({
    engine,
    config,
    log: createLogger({ level: 'debug', write: (l) => logLines.push(l), secrets: [TOKEN] }),
    intake: createArticleIntake(readIntakeSettings({ DISCORD_API_BASE: fake.apiBase }, { dataDir, maxFileBytes: 5 << 20 }), () => engine.articles()),
    commands: [...(await loadCommands()), boom, slow],
    // Progress edits as soon as possible, so the reload test sees them.
    configure: (ctx) => {
      ctx.timing = { ...ctx.timing, progressAfterMs: 0, progressEveryMs: 150 };
      run.ctx = ctx;
    },
  });
}

/** Stops what started of a bot run (a test file's own too), in order: the bot, the fake Discord, its snapshot, its folder. */
export async function stopBotRun(run: Partial<BotRun>): Promise<void> {
  await run.bot?.stop();
  await run.fake?.close();
  // A reload's snapshot may still be being written into the folder about to be removed.
  await run.engine?.snapshotWritten(30_000);
  if (run.tmp) await rm(run.tmp, { recursive: true, force: true });
}

/** What must never reach Discord raw: C0 controls but tab and line feed, DEL, C1, bidi embeddings/overrides/isolates. */
export const RAW_CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;

/** The bot's log lines, parsed. */
export const logsOf = (run: BotRun) => run.logLines.map((l) => JSON.parse(l) as Record<string, any>);

let memberSeq = 100;
/** A fresh member each time, so /ask cooldowns never leak between tests. */
export function member(extra: Partial<FakeMember> = {}): FakeMember {
  return { id: `9100000000000${String(++memberSeq).padStart(5, '0')}`, ...extra };
}

/** The quote text of a rendered embed description, with the bolding and escaping undone. */
export function quoteFromDescription(description: string): string {
  const quote = shownQuote(description);
  expect(quote, description).not.toBeNull();
  return quote!;
}

/** Every message body the bot sent must ping nobody. */
export function expectNoMentions(calls: RecordedCall[]) {
  expect(mentionLeaks(calls).map((c) => `${c.method} ${c.route}`)).toEqual([]);
}

/** Asks, checks Discord's 3-second rule (the first response, a deferral or an answer, within 3 s), waits for the answer. */
export async function askAndWait(fake: FakeDiscord, question: string, who: FakeMember, extra: Array<{ name: string; type: number; value: unknown }> = []) {
  const sent = Date.now();
  const token = fake.command('ask', [{ name: 'question', type: STRING, value: question }, ...extra], who);
  const calls = await fake.waitForInteraction(token, (c) => !!edit(c) || followUps(c).length > 0 || callback(c)?.body?.type === 4);
  expect(callback(calls)!.at - sent, `first response to "${question}"`).toBeLessThan(3000);
  return calls;
}

/** A message the bot sent: an interaction's, or its own in a channel or a direct message (a reply handed over). */
const sentMessage = (c: RecordedCall) => c.route.includes('/interactions/') || c.route.startsWith('/api/v10/webhooks/') || /^\/api\/v10\/channels\/\d+\/messages/.test(c.route);

/**
 * The checks over a whole run, last in a file: every message went through respond (none may ping), no token logged.
 * The messages checked hold every interaction's response, so the check covers the whole run whatever its length (a
 * message count would vary with the reload's progress edits and whether the reload can be held).
 */
export function checkWholeRun(run: BotRun): void {
  it('sent every message of the whole run through respond: no mention allowed in any', () => {
    const messages = run.fake.calls.filter(sentMessage);
    expect(run.fake.interactionTokens.length).toBeGreaterThan(0);
    const unanswered = run.fake.interactionTokens.filter((token) => !callback(messages.filter((c) => c.route.includes(`/${token}/`))));
    expect(unanswered).toEqual([]);
    expectNoMentions(messages);
  });

  it("sent no raw control in any message (a source's ESC, C1 or bidi override is shown as a stand-in)", () => {
    // Everything shown; an autocomplete choice's value is not shown but comes back as the option, so it is the source's.
    const strings = (v: unknown): string[] =>
      typeof v === 'string' ? [v] : v && typeof v === 'object' ? Object.entries(v).flatMap(([k, x]) => strings(k === 'choices' ? x.map((c: { name: string }) => c.name) : x)) : [];
    const sent = run.fake.calls.filter(sentMessage);
    expect(sent.flatMap((c) => strings(c.body)).filter((t) => RAW_CONTROL.test(t))).toEqual([]);
  });

  it('never writes the token to the log', () => {
    const { logLines } = run;
    expect(logLines.length).toBeGreaterThan(5);
    expect(logLines.join('\n')).not.toContain(TOKEN);
    expect(logLines.join('\n')).not.toContain('fakefakefakefake');
  });
}
