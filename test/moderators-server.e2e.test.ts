/**
 * Who may change the sources when no moderators' server is set (no MODERATOR_GUILD_ID, no DISCORD_GUILD_ID: a bot
 * deployed globally): the real discord.js client on the fake Discord, in two servers. Anyone can add a public bot to
 * a server of their own, where they have Manage Server; were that enough, a stranger could remove the articles every
 * server is quoted from and add their own pages. So past one server, the bot refuses moderator commands until the
 * owner names the moderators' server.
 */
import { cp, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApplicationCommandOptionType, PermissionFlagsBits } from 'discord.js';
import { loadCommands } from '../commands';
import type { BotConfig } from '../src/bot/config';
import { startBot, type RunningBot } from '../src/bot/start-bot';
import { openEngine } from '../src/engine/index';
import type { AnswerEngine } from '../src/engine/types';
import { createArticleIntake, readIntakeSettings } from '../src/intake';
import { createLogger } from '../src/log';
import { EPHEMERAL, TOKEN, member, stopBotRun } from './bot-run';
import { callback, edit } from './discord-view';
import { APP_ID, FakeDiscord, GUILD_ID, OTHER_GUILD_ID } from './fake-discord';

const { Subcommand: SUB, String: STRING } = ApplicationCommandOptionType;
let tmp: string;
let fake: FakeDiscord;
let engine: AnswerEngine;
let bot: RunningBot;
const logLines: string[] = [];

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'quotebot-modserver-'));
  const dataDir = path.join(tmp, 'data');
  await cp(path.resolve(__dirname, '..', 'data'), dataDir, { recursive: true });
  engine = await openEngine({ dataDir, cacheDir: path.join(tmp, 'cache'), warn: () => {} });
  fake = new FakeDiscord({ token: TOKEN, guilds: [GUILD_ID, OTHER_GUILD_ID] });
  await fake.start();
  const config: BotConfig = {
    token: TOKEN, clientId: APP_ID, guildId: undefined, apiBase: fake.apiBase, moderatorRoleIds: [], moderatorGuildId: null, askCooldownSeconds: 0, shardCount: null,
  };
  const intake = createArticleIntake(readIntakeSettings({ DISCORD_API_BASE: fake.apiBase }, { dataDir, maxFileBytes: 1 << 20 }), () => engine.articles());
  bot = await startBot({ engine, intake, config, log: createLogger({ level: 'debug', write: (l) => logLines.push(l), secrets: [TOKEN] }), commands: await loadCommands() });
  // Both servers announced (GUILD_CREATE after READY) before a command is sent.
  for (let i = 0; i < 100 && bot.client.guilds.cache.size < 2; i++) await new Promise((r) => setTimeout(r, 50));
}, 60_000);

afterAll(() => stopBotRun({ bot, fake, engine, tmp }));

/** The content of the first answer to a command: its callback's, or the edit of its deferral. */
async function answerTo(token: string): Promise<{ content: string; flags: number }> {
  const calls = await fake.waitForInteraction(token, (c) => !!callback(c) && (callback(c)!.body.type === 4 || !!edit(c)));
  const cb = callback(calls)!;
  return cb.body.type === 4 ? cb.body.data : { content: edit(calls)!.body.content, flags: cb.body.data?.flags ?? 0 };
}

const admin = () => member({ permissions: String(PermissionFlagsBits.ManageGuild) });
const addWithNothing = [{ name: 'add', type: SUB, options: [] }];

describe("moderator commands with no moderators' server set", () => {
  it('are refused to an admin while the bot is in more than one server, saying what the owner must set', async () => {
    expect(bot.client.guilds.cache.size).toBe(2);
    const before = engine.status().lastReload?.builtAt;
    for (const guild of [GUILD_ID, OTHER_GUILD_ID]) {
      const reload = await answerTo(fake.command('reload', [], admin(), undefined, guild));
      expect(reload.flags & EPHEMERAL).toBe(EPHEMERAL);
      expect(reload.content).toMatch(/^The bot is in more than one server \(or runs in shards\) and its owner has not named the moderators' server \(MODERATOR_GUILD_ID\)/);
      const article = await answerTo(fake.command('article', addWithNothing, admin(), undefined, guild));
      expect(article.content).toMatch(/^The bot is in more than one server \(or runs in shards\) and its owner has not named the moderators' server/);
    }
    expect(engine.status().lastReload?.builtAt).toBe(before);
    const typed = [{ name: 'remove', type: SUB, options: [{ name: 'article', type: STRING, value: '', focused: true }] }] as any;
    const [completed] = await fake.waitForInteraction(fake.autocomplete('article', typed, admin()), (c) => !!callback(c));
    expect(callback([completed])!.body.data.choices).toEqual([]);
    expect(logLines.some((l) => JSON.parse(l).msg === "reload refused: no moderators' server named, and the bot is in more than one (or runs in shards)")).toBe(true);
  });

  it('are taken from an admin again once the bot is in one server', async () => {
    fake.dispatch('GUILD_DELETE', { id: OTHER_GUILD_ID, unavailable: false });
    for (let i = 0; i < 100 && bot.client.guilds.cache.size > 1; i++) await new Promise((r) => setTimeout(r, 50));
    expect((await answerTo(fake.command('article', addWithNothing, admin()))).content).toMatch(/^Give exactly one of `file`/);
  });
});
