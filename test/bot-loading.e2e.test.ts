/**
 * The bot logs in before its index is built (src/main.ts): the real discord.js Client on the fake Discord, started
 * without an engine, must answer every interaction with one private "still starting" (no error, no ping) and, once
 * served the real engine, answer as usual.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCommands } from '../commands';
import type { BotConfig } from '../src/bot/config';
import { startBot, type RunningBot } from '../src/bot/start-bot';
import { openEngine } from '../src/engine/index';
import { createArticleIntake, readIntakeSettings } from '../src/intake';
import { createLogger } from '../src/log';
import { EPHEMERAL, STRING, TOKEN, expectNoMentions, member } from './bot-run';
import { callback, edit } from './discord-view';
import { APP_ID, FakeDiscord } from './fake-discord';

const DATA = path.resolve(__dirname, '..', 'data');
let tmp: string;
let fake: FakeDiscord;
let bot: RunningBot;
const logLines: string[] = [];

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'quotebot-loading-'));
  fake = new FakeDiscord();
  await fake.start();
  const config: BotConfig = {
    token: TOKEN, clientId: APP_ID, guildId: undefined, apiBase: fake.apiBase, moderatorRoleIds: [], moderatorGuildId: null, askCooldownSeconds: 0, shardCount: null,
  };
  bot = await startBot({ config, log: createLogger({ level: 'debug', write: (l) => logLines.push(l), secrets: [TOKEN] }), commands: await loadCommands() });
}, 30_000);

afterAll(async () => {
  await bot?.stop();
  await fake?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

const LOADING = /^The bot is still starting \(building its index: (?:\d+ ms|\d+\.\d s|\d+ min \d+ s) so far\)\. Please ask again in a minute\.$/;

describe('a bot logged in while its index is still being built', () => {
  it('answers /ask (and any command) with one private "still starting", within Discord\'s 3 seconds', async () => {
    for (const [name, options] of [
      ['ask', [{ name: 'question', type: STRING, value: 'How long did Obama and Putin meet?' }]],
      ['sources', []],
      ['reload', []],
    ] as const) {
      const sent = Date.now();
      const token = fake.command(name, [...options], member());
      const calls = await fake.waitForInteraction(token, (c) => !!callback(c));
      const cb = callback(calls)!;
      expect(cb.at - sent).toBeLessThan(3000);
      expect(cb.body.type).toBe(4);
      expect(cb.body.data.flags & EPHEMERAL).toBe(EPHEMERAL);
      expect(cb.body.data.content, name).toMatch(LOADING);
      expectNoMentions(calls);
    }
  });

  it('answers a button of an earlier run with "still starting" and autocomplete with no choices', async () => {
    const press = fake.button('ctx:0:0', { content: 'an earlier answer' }, member());
    const pressed = callback(await fake.waitForInteraction(press, (c) => !!callback(c)))!;
    expect(pressed.body.data.content).toMatch(LOADING);
    expect(pressed.body.data.flags & EPHEMERAL).toBe(EPHEMERAL);
    const typed = fake.autocomplete('ask', [{ name: 'question', type: STRING, value: 'Obama', focused: true }], member());
    const choices = callback(await fake.waitForInteraction(typed, (c) => !!callback(c)))!;
    expect(choices.body).toEqual({ type: 8, data: { choices: [] } });
    expect(logLines.map((l) => JSON.parse(l).level)).not.toContain('error');
  });

  it('answers from the engine once it is served', async () => {
    const engine = await openEngine({ dataDir: DATA, cacheDir: path.join(tmp, 'cache'), warn: () => {} });
    bot.serve(engine, createArticleIntake(readIntakeSettings({ DISCORD_API_BASE: fake.apiBase }, { dataDir: DATA, maxFileBytes: 1 << 20 }), () => engine.articles()));
    const token = fake.command('ask', [{ name: 'question', type: STRING, value: 'How long did Obama and Putin meet?' }], member());
    const calls = await fake.waitForInteraction(token, (c) => !!edit(c), 20_000);
    expect(callback(calls)!.body.type).toBe(5);
    expect(JSON.stringify(edit(calls)!.body)).toContain('90 minutes');
    expectNoMentions(calls);
  }, 30_000);
});
