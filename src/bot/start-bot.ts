/**
 * Starts the Discord side: a discord.js Client (Guilds intent only, nothing ever pinged by default), the router
 * on interactionCreate, and logging of ready / disconnect / reconnect / errors. `stop()` logs out cleanly (bounded).
 * The bot logs in before the index is built (a cold build takes minutes): until `serve(engine, intake)` every
 * command is answered "still starting" rather than left to Discord's "did not respond".
 * A start that cannot log in (a rejected token, an unreachable Discord, no READY in time) fails at once with a
 * `DiscordStartError` (src/bot/discord-failure.ts) whose message is one line for the operator, and leaves nothing running
 * (but for a Discord that never said HELLO: discord.js' gateway connection then starts again, until the process ends).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Events, GatewayIntentBits } from 'discord.js';
import { PROGRESS_TIMING, type BotContext, type Command } from '../../commands/command';
import { loadCommands } from '../../commands';
import { createBotState } from '../../commands/state';
import type { AnswerEngine } from '../engine/types';
import type { ArticleIntake } from '../intake/intake';
import { addSecret, type Logger } from '../log';
import type { BotConfig } from './config';
import { DiscordStartError, describeDiscordFailure } from './discord-failure';
import { HANDOVER_AFTER_MS } from './handover';
import { createRouter, type Serving } from './router';
import { connectShards } from './shards';

export { DiscordStartError };

/** How long a logout or a failed login's clean-up may take (it takes milliseconds, or never settles: see `startBot`). */
const DESTROY_WAIT_MS = 2_000;

export interface StartBotOptions {
  /** The built engine, to serve at once; without it the bot answers "still starting" until `serve`. */
  engine?: AnswerEngine;
  config: BotConfig;
  log: Logger;
  /** Adds and removes article files for /article (`createArticleIntake`); given with `engine`. */
  intake?: ArticleIntake;
  /** The command table (default: every command folder in `commands/`). */
  commands?: Command[];
  /** Adjusts the context before the first command is served (tests shorten timings). */
  configure?: (ctx: BotContext) => void;
  /** How long to wait for READY before giving up (default 60 s). */
  readyTimeoutMs?: number;
}

export interface RunningBot {
  client: Client;
  /** From now on commands are answered from this engine (once; the first call wins). */
  serve(engine: AnswerEngine, intake: ArticleIntake): void;
  stop(): Promise<void>;
}

/**
 * @example
 * const bot = await startBot({ config: readBotConfig(), log: createLogger() }); // logged in, "still starting"
 * bot.serve(await openEngine(settings), intake);
 * process.once('SIGTERM', () => void bot.stop());
 */
export async function startBot({ engine, config, log, intake, commands, configure, readyTimeoutMs = 60_000 }: StartBotOptions): Promise<RunningBot> {
  addSecret(config.token);
  const table = commands ?? (await loadCommands());
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    allowedMentions: { parse: [] },
    ...(config.apiBase ? { rest: { api: config.apiBase } } : {}),
  });
  const state = createBotState(config);
  // Before the login: the other shards may ask this one for its status while it builds.
  const sharding = connectShards(client, log);
  let serving: Serving = { ready: false, log, since: Date.now() };
  const serve = (built: AnswerEngine, articleIntake: ArticleIntake) => {
    if (serving.ready) return;
    const context: BotContext = {
      engine: built,
      log,
      state,
      moderatorRoleIds: config.moderatorRoleIds,
      moderatorGuildId: config.moderatorGuildId,
      // A shard knows only its own servers: one holding a stranger's server alone must not pass for the bot's one.
      servers: () => ((client.shard?.count ?? 1) > 1 ? Number.POSITIVE_INFINITY : client.guilds.cache.size),
      intake: articleIntake,
      timing: { ...PROGRESS_TIMING, handoverAfterMs: HANDOVER_AFTER_MS },
      // Under the ShardingManager, discord.js has read this process's shard from the environment.
      shards: sharding.shards,
    };
    configure?.(context);
    serving = { ready: true, ctx: context };
    sharding.serve(built);
  };
  if (engine && intake) serve(engine, intake);
  const router = createRouter(table, () => serving);

  client.on(Events.InteractionCreate, (interaction) => {
    void router.handle(interaction);
  });
  client.on(Events.ShardReady, (shardId) => log.info('gateway ready', { shardId }));
  client.on(Events.ShardDisconnect, (event, shardId) => log.warn('gateway disconnected', { shardId, code: event.code }));
  client.on(Events.ShardReconnecting, (shardId) => log.info('gateway reconnecting', { shardId }));
  client.on(Events.ShardResume, (shardId, replayed) => log.info('gateway resumed', { shardId, replayed }));
  client.on(Events.ShardError, (err, shardId) => log.error('gateway error', { shardId, err }));
  client.on(Events.Error, (err) => log.error('client error', { err }));
  client.on(Events.Warn, (message) => log.warn('client warning', { detail: message }));

  let readyTimer: NodeJS.Timeout | undefined;
  const ready = new Promise<void>((resolve, reject) => {
    readyTimer = setTimeout(() => reject(new DiscordStartError(`Discord did not become ready within ${readyTimeoutMs / 1000} s`)), readyTimeoutMs);
    client.once(Events.ClientReady, (c) => {
      log.info('connected to Discord', { user: c.user.tag, userId: c.user.id, guilds: c.guilds.cache.size, commands: table.length });
      resolve();
    });
  });

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    client.removeAllListeners(Events.InteractionCreate);
    // discord.js reports its own closing of the connection as a reconnection: logged, it looked like an outage.
    client.removeAllListeners(Events.ShardReconnecting);
    // Bounded as a failed login's clean-up: while Discord is out (the gateway reconnecting, no HELLO) discord.js'
    // destroy never settles, and the stop would hang for ever (under sharding, a shard left behind by its manager).
    const loggedOut = await Promise.race([client.destroy().then(() => true), sleep(DESTROY_WAIT_MS, false, { ref: false })]);
    if (loggedOut) log.info('disconnected from Discord');
    else log.warn('Discord did not take the logout in time; stopping without it', { timeoutMs: DESTROY_WAIT_MS });
  };

  try {
    // Both settle or the first failure ends the start; neither is left pending with a timer running.
    await Promise.all([client.login(config.token), ready]);
  } catch (err) {
    // Never connected: close what login opened, without a "disconnected" line. discord.js' destroy while its gateway
    // connection still waits for Discord's HELLO never settles (and that connection starts again): bounded, so the
    // start fails with its one line and the process ends, rather than hang.
    client.removeAllListeners(Events.InteractionCreate);
    await Promise.race([client.destroy().catch(() => undefined), sleep(DESTROY_WAIT_MS, undefined, { ref: false })]);
    throw err instanceof DiscordStartError ? err : new DiscordStartError(describeDiscordFailure(err, config.apiBase), { cause: err });
  } finally {
    clearTimeout(readyTimer);
  }
  return { client, serve, stop };
}
