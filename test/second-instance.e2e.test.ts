/**
 * A second bot logged in with the same token (an old instance left running, a copy on another machine): Discord sends
 * both every interaction and refuses the slower one's answer (40060). That bot logged "interaction failed", an error
 * with its stack (a bug, says the README), for every command, never saying why; it must say so, as a warning.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCommands } from '../commands';
import type { BotConfig } from '../src/bot/config';
import { startBot, type RunningBot } from '../src/bot/start-bot';
import { createLogger } from '../src/log';
import { STRING, TOKEN, member } from './bot-run';
import { APP_ID, FakeDiscord } from './fake-discord';

let fake: FakeDiscord;
const bots: RunningBot[] = [];
const logs: Array<Array<Record<string, unknown>>> = [[], []];

beforeAll(async () => {
  fake = new FakeDiscord();
  await fake.start();
  const config: BotConfig = {
    token: TOKEN, clientId: APP_ID, guildId: undefined, apiBase: fake.apiBase, moderatorRoleIds: [], moderatorGuildId: null, askCooldownSeconds: 0, shardCount: null,
  };
  for (const lines of logs) {
    const log = createLogger({ level: 'debug', write: (l) => lines.push(JSON.parse(l)), secrets: [TOKEN] });
    bots.push(await startBot({ config, log, commands: await loadCommands() }));
  }
}, 30_000);

afterAll(async () => {
  for (const bot of bots) await bot.stop();
  await fake?.close();
});

describe('two bots logged in with one token', () => {
  it('the one Discord refuses warns of a second instance, and logs no error', async () => {
    const token = fake.command('ask', [{ name: 'question', type: STRING, value: 'How long did Obama and Putin meet?' }], member());
    await fake.waitForInteraction(token, (c) => c.filter((x) => x.route.endsWith('/callback')).length === 2);
    await fake.waitFor(() => logs.flat().some((l) => l.level === 'warn' || l.level === 'error'), 5_000, 'the refused bot to log');
    await new Promise((resolve) => setTimeout(resolve, 500)); // and anything it logs after
    const said = logs.flat().filter((l) => l.level === 'warn' || l.level === 'error');
    // Discord's refusal goes with it (its stack at LOG_LEVEL=debug only): 40060 from two answers racing in one process is a bug of ours.
    expect(said).toEqual([
      expect.objectContaining({ level: 'warn', msg: expect.stringMatching(/^Discord says another process answered this interaction first: is a second bot running with this token/), err: expect.objectContaining({ code: 40060 }) }),
    ]);
  });
});
