/**
 * The manager side of sharding (`SHARD_COUNT` set): discord.js' ShardingManager runs `npm start`'s entry once per
 * shard, each in its own process with its own gateway connection and its own engine over the same data folder.
 * This process opens no engine and answers nothing; it spawns the shards, relays their broadcasts (src/bot/shards.ts),
 * respawns a shard that dies, and stops them all on SIGINT/SIGTERM.
 */
import { REST, Routes, ShardingManager, type Shard } from 'discord.js';
import type { Logger } from '../log';
import type { BotConfig } from './config';
import { DiscordStartError, describeDiscordFailure } from './discord-failure';

/** How long one shard may take from spawn to READY: it builds its engine first, which on a cold million-sentence folder takes minutes. */
const SHARD_READY_TIMEOUT_MS = 15 * 60_000;
/** Discord lets a bot identify once per 5 s (max_concurrency 1); discord.js' own default spacing. */
const SPAWN_DELAY_MS = 5_500;

/**
 * `auto`: as many shards as Discord recommends for this bot. Asked through DISCORD_API_BASE (discord.js' own
 * lookup always goes to discord.com).
 */
async function recommendedShards(config: BotConfig): Promise<number> {
  const rest = new REST({ version: '10', ...(config.apiBase ? { api: config.apiBase } : {}) }).setToken(config.token);
  try {
    const { shards } = (await rest.get(Routes.gatewayBot())) as { shards: number };
    return Math.max(1, shards);
  } catch (err) {
    throw new DiscordStartError(describeDiscordFailure(err, config.apiBase), { cause: err });
  }
}

export interface RunningShards {
  manager: ShardingManager;
  stop(): Promise<void>;
}

/**
 * Spawns `config.shardCount` shard processes of `entry` (run with this process's Node flags, so `tsx` carries over)
 * and resolves when every shard is ready; a shard that dies or never gets ready fails the start with one line.
 * @example const shards = await runShardManager({ config, log, entry: fileURLToPath(import.meta.url) });
 */
export async function runShardManager({ config, log, entry }: { config: BotConfig; log: Logger; entry: string }): Promise<RunningShards> {
  const totalShards = config.shardCount === 'auto' ? await recommendedShards(config) : (config.shardCount ?? 1);
  const manager = new ShardingManager(entry, {
    totalShards,
    token: config.token,
    mode: 'process',
    execArgv: process.execArgv,
    respawn: true,
  });
  manager.on('shardCreate', (shard: Shard) => {
    log.info('shard starting', { shardId: shard.id, of: totalShards });
    shard.on('ready', () => log.info('shard ready', { shardId: shard.id }));
    shard.on('death', (child) => log.warn('shard process ended', { shardId: shard.id, exitCode: 'exitCode' in child ? child.exitCode : null }));
    shard.on('error', (err) => log.error('shard error', { shardId: shard.id, err }));
  });

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    manager.respawn = false;
    for (const shard of manager.shards.values()) shard.kill();
    log.info('shards stopped', { shards: manager.shards.size });
  };
  try {
    await manager.spawn({ amount: totalShards, delay: SPAWN_DELAY_MS, timeout: SHARD_READY_TIMEOUT_MS });
  } catch (err) {
    await stop();
    // The shard itself has logged why (a bad token, Discord out of reach, no readable article).
    const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new DiscordStartError(`a shard could not start (${why}); see the shard's own log line above`, { cause: err });
  }
  log.info('all shards ready', { shards: totalShards });
  return { manager, stop };
}
