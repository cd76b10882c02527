/**
 * The token never reaches Discord, whatever the sources hold: a data folder fed by others (a synced folder, a
 * repository of articles) can hold a link to the bot's own settings file, which the reader takes for a scraped
 * `.txt` article with sentences to quote. The real discord.js client on the fake Discord, the real engine.
 */
import { cp, mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApplicationCommandOptionType } from 'discord.js';
import { loadCommands } from '../commands';
import type { BotConfig } from '../src/bot/config';
import { startBot, type RunningBot } from '../src/bot/start-bot';
import { openEngine } from '../src/engine/index';
import type { AnswerEngine } from '../src/engine/types';
import { createArticleIntake, readIntakeSettings } from '../src/intake';
import { createLogger } from '../src/log';
import { askAndWait, member, stopBotRun } from './bot-run';
import { callback, edit } from './discord-view';
import { APP_ID, FakeDiscord, GUILD_ID, type RecordedCall } from './fake-discord';

/**
 * A token whose secret part (after the last dot) begins with a digit, as one in six or so does: the engine reads
 * "GaBcDe.7" as one word (a number's decimals), so the rest of that part is a word of its own, no piece of the token.
 */
const TOKEN = 'MTExMTExMTExMTExMTExMTEx.GaBcDe.7fakefakefakefakefakefakefakefak12';
const SETTINGS = `# Settings of the harbour quiz bot. Keep this file secret and out of the articles folder.
DISCORD_TOKEN=${TOKEN}
# The quiz bot was set up for the Millbrook harbour club in March.
MODERATOR_GUILD_ID=${GUILD_ID}
`;
/** Every 10 characters in a row of the token: a piece is a secret too (the HMAC after the last dot). */
const PIECES = Array.from({ length: TOKEN.length - 9 }, (_, i) => TOKEN.slice(i, i + 10));
let tmp: string;
let fake: FakeDiscord;
let engine: AnswerEngine;
let bot: RunningBot;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'quotebot-token-'));
  const dataDir = path.join(tmp, 'data');
  await cp(path.resolve(__dirname, '..', 'data'), dataDir, { recursive: true });
  await mkdir(path.join(tmp, 'bot'));
  await writeFile(path.join(tmp, 'bot', '.env'), SETTINGS);
  await symlink(path.join('..', 'bot', '.env'), path.join(dataDir, 'harbour-bot-settings.txt'));
  engine = await openEngine({ dataDir, cacheDir: path.join(tmp, 'cache'), warn: () => {} });
  fake = new FakeDiscord({ token: TOKEN });
  await fake.start();
  const config: BotConfig = {
    token: TOKEN, clientId: APP_ID, guildId: undefined, apiBase: fake.apiBase, moderatorRoleIds: [], moderatorGuildId: GUILD_ID, askCooldownSeconds: 0, shardCount: null,
  };
  const intake = createArticleIntake(readIntakeSettings({ DISCORD_API_BASE: fake.apiBase }, { dataDir, maxFileBytes: 1 << 20 }), () => engine.articles());
  bot = await startBot({ engine, intake, config, log: createLogger({ level: 'warn', write: () => {}, secrets: [TOKEN] }), commands: await loadCommands() });
}, 60_000);

afterAll(() => stopBotRun({ bot, fake, engine, tmp }));

/** Everything the bot sent for these calls, as one text. */
const sent = (calls: RecordedCall[]) => JSON.stringify(calls.map((c) => c.body));
const leaks = (text: string) => PIECES.filter((p) => text.includes(p));

describe('a data folder holding a link to the bot\'s settings file', () => {
  it('is read as an article (the test is live): its sentences are quoted', async () => {
    expect(engine.articles().some((a) => a.file === 'harbour-bot-settings.txt')).toBe(true);
    const calls = await askAndWait(fake, 'When was the quiz bot set up for the harbour club?', member());
    expect(sent(calls)).toContain('up for the Millbrook');
  });

  it('never shows the token in an answer, its context or /sources', async () => {
    const answer = await askAndWait(fake, 'What is the token of the harbour quiz bot?', member());
    // The token's sentence is quoted, the token masked in it.
    expect(sent(answer)).toMatch(/TOKEN(\*\*)?=\(…\)/);
    expect(leaks(sent(answer))).toEqual([]);
    const shown = edit(answer)!.body;
    const context = await fake.waitForInteraction(fake.button(shown.components[0].components[0].custom_id, shown, member()), (c) => callback(c)?.body?.type === 4);
    expect(sent(context)).toContain('Millbrook');
    expect(leaks(sent(context))).toEqual([]);
    const find = [{ name: 'find', type: ApplicationCommandOptionType.String, value: 'harbour settings' }];
    const sources = await fake.waitForInteraction(fake.command('sources', find, member()), (c) => callback(c)?.body?.type === 4 || !!edit(c));
    expect(leaks(sent(sources))).toEqual([]);
  });

  it('never offers a piece of the token as a completion of a question', async () => {
    for (const typed of ['fakefake', 'MTExMTEx', 'DISCORD', 'the token of the harbour quiz bot']) {
      const options = [{ name: 'question', type: ApplicationCommandOptionType.String, value: typed, focused: true }];
      const [done] = await fake.waitForInteraction(fake.autocomplete('ask', options, member()), (c) => !!callback(c));
      expect(leaks(sent([done])), typed).toEqual([]);
    }
  });
});
