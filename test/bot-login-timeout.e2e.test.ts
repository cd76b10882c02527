/**
 * A Discord that takes the gateway connection but never says HELLO (an outage): the real discord.js Client on the
 * fake Discord must give the login up after its ready timeout with one clear error, not hang; and a bot stopped
 * while such an outage holds its reconnection stops within its bound, not never. (discord.js' destroy
 * while its connection waits for HELLO never settles, and the connection starts again: its own, in this process,
 * until the process ends, as `npm start` then does.)
 */
import { afterAll, expect, it } from 'vitest';
import type { BotConfig } from '../src/bot/config';
import { DiscordStartError, startBot } from '../src/bot/start-bot';
import { createLogger } from '../src/log';
import { TOKEN } from './bot-run';
import { APP_ID, FakeDiscord } from './fake-discord';

const fake = new FakeDiscord(TOKEN);
/** Another Discord for the stop, which the first test's client (still reconnecting) does not reach. */
const outage = new FakeDiscord(TOKEN);

afterAll(async () => {
  await fake.close();
  await outage.close();
});

const config = (): BotConfig => ({
  token: TOKEN, clientId: APP_ID, guildId: undefined, apiBase: fake.apiBase, moderatorRoleIds: [], moderatorGuildId: null, askCooldownSeconds: 0, shardCount: null,
});

it('gives the login up after its ready timeout with one clear error when Discord never says HELLO', async () => {
  await fake.start();
  fake.holdHello = true;
  const started = Date.now();
  const login = startBot({ config: config(), log: createLogger({ level: 'error', write: () => undefined }), commands: [], readyTimeoutMs: 1000 });
  const outcome = await Promise.race([login.then(() => 'logged in', (err: unknown) => err), new Promise((resolve) => setTimeout(() => resolve('still waiting after 10 s'), 10_000))]);
  expect(outcome).toBeInstanceOf(DiscordStartError);
  expect((outcome as Error).message).toBe('Discord did not become ready within 1 s');
  expect(Date.now() - started).toBeLessThan(5000);
  // The one connection it had was closed as a logout.
  expect(fake.gatewayCloses[0]?.code).toBe(1000);
}, 20_000);

it('stops within its bound when Discord drops the connection and then never says HELLO (an outage after the login)', async () => {
  await outage.start();
  const lines: string[] = [];
  const bot = await startBot({ config: { ...config(), apiBase: outage.apiBase }, log: createLogger({ level: 'info', write: (line) => lines.push(line) }), commands: [] });
  outage.holdHello = true;
  outage.dropConnections();
  await outage.waitFor(() => outage.helloHeldCount === 1, 10_000, 'the reconnection held');
  const started = Date.now();
  const outcome = await Promise.race([bot.stop().then(() => 'stopped'), new Promise((resolve) => setTimeout(() => resolve('still stopping after 10 s'), 10_000))]);
  expect(outcome).toBe('stopped');
  expect(Date.now() - started).toBeLessThan(5000);
  expect(lines.map((l) => JSON.parse(l).msg)).toContain('Discord did not take the logout in time; stopping without it');
}, 30_000);
