/**
 * A Discord that takes the gateway connection but never says HELLO (an outage): the real discord.js Client on the
 * fake Discord must give the login up after its ready timeout with one clear error, not hang. (discord.js' destroy
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

afterAll(() => fake.close());

it('gives the login up after its ready timeout with one clear error when Discord never says HELLO', async () => {
  await fake.start();
  fake.holdHello = true;
  const config: BotConfig = {
    token: TOKEN, clientId: APP_ID, guildId: undefined, apiBase: fake.apiBase, moderatorRoleIds: [], moderatorGuildId: null, askCooldownSeconds: 0, shardCount: null,
  };
  const started = Date.now();
  const login = startBot({ config, log: createLogger({ level: 'error', write: () => undefined }), commands: [], readyTimeoutMs: 1000 });
  const outcome = await Promise.race([login.then(() => 'logged in', (err: unknown) => err), new Promise((resolve) => setTimeout(() => resolve('still waiting after 10 s'), 10_000))]);
  expect(outcome).toBeInstanceOf(DiscordStartError);
  expect((outcome as Error).message).toBe('Discord did not become ready within 1 s');
  expect(Date.now() - started).toBeLessThan(5000);
  // The one connection it had was closed as a logout.
  expect(fake.gatewayCloses[0]?.code).toBe(1000);
}, 20_000);
