/**
 * Starts the Discord side: a discord.js Client (Guilds intent only, nothing ever pinged by default), the router
 * on interactionCreate, and logging of ready / disconnect / reconnect / errors. `stop()` logs out cleanly.
 */
import { Client, Events, GatewayIntentBits } from 'discord.js';
import type { AnswerEngine } from '../engine/types';
import { addSecret, type Logger } from '../log';
import type { BotConfig } from './config';
import { createBotContext, type BotContext, type Command } from './context';
import { createRouter } from './router';
import { commands as allCommands } from '../../commands';

export interface StartBotOptions {
  engine: AnswerEngine;
  config: BotConfig;
  log: Logger;
  /** The command table (default: every command in `commands/`). */
  commands?: Command[];
  /** Adjusts the context before the first interaction (tests shorten timings). */
  configure?: (ctx: BotContext) => void;
  /** How long to wait for READY before giving up (default 60 s). */
  readyTimeoutMs?: number;
}

export interface RunningBot {
  client: Client;
  context: BotContext;
  stop(): Promise<void>;
}

export async function startBot({ engine, config, log, commands = allCommands, configure, readyTimeoutMs = 60_000 }: StartBotOptions): Promise<RunningBot> {
  addSecret(config.token);
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    allowedMentions: { parse: [] },
    ...(config.apiBase ? { rest: { api: config.apiBase } } : {}),
  });
  const context = createBotContext(engine, config, log);
  configure?.(context);
  const router = createRouter(commands, context);

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

  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Discord did not become ready within ${readyTimeoutMs / 1000} s`)), readyTimeoutMs);
    client.once(Events.ClientReady, (c) => {
      clearTimeout(timer);
      log.info('connected to Discord', { user: c.user.tag, userId: c.user.id, guilds: c.guilds.cache.size, commands: commands.length });
      resolve();
    });
  });

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    client.removeAllListeners(Events.InteractionCreate);
    await client.destroy();
    log.info('disconnected from Discord');
  };

  try {
    await client.login(config.token);
    await ready;
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }
  return { client, context, stop };
}
