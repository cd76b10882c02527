/**
 * The manager side of sharding (`SHARD_COUNT` set): discord.js' ShardingManager runs `npm start`'s entry once per
 * shard, each in its own process with its own gateway connection and its own engine over the same data folder.
 * This process opens no engine and answers nothing; it spawns the shards, relays their broadcasts (src/bot/shards.ts),
 * respawns a shard that dies, and stops them all on SIGINT/SIGTERM.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { REST, Routes, ShardingManager, type Shard } from 'discord.js';
import type { Logger } from '../log';
import type { BotConfig } from './config';
import { DiscordStartError, describeDiscordFailure } from './discord-failure';

/** How long one shard may take from spawn to its index built: on a cold million-sentence folder, minutes. */
const SHARD_READY_TIMEOUT_MS = 15 * 60_000;
/** What a shard process sends the manager once its index is built (it logged in before building). */
export const SHARD_BUILT = { quotebot: 'index built' } as const;
const isBuilt = (m: unknown) => (m as typeof SHARD_BUILT | null)?.quotebot === SHARD_BUILT.quotebot;
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

/** Resolves when the shard says its index is built; rejects when it dies or takes longer than `timeoutMs`. */
function shardBuilt(shard: Shard, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      shard.off('message', onMessage);
      shard.off('death', onDeath);
    };
    const onMessage = (m: unknown) => {
      if (!isBuilt(m)) return;
      done();
      resolve();
    };
    const onDeath = () => {
      done();
      reject(new Error(`shard ${shard.id} ended before its index was built`));
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`shard ${shard.id} did not build its index within ${timeoutMs / 60_000} min`));
    }, timeoutMs);
    shard.on('message', onMessage);
    shard.on('death', onDeath);
  });
}

export interface RunningShards {
  manager: ShardingManager;
  stop(): Promise<void>;
}

/**
 * Spawns `config.shardCount` shard processes of `entry` (run with this process's Node flags, so `tsx` carries over)
 * one after the other, each once the one before has logged in and built its index (so it loads that build's
 * snapshot instead of building again), and resolves when every shard has; a shard that dies or never gets there
 * fails the start with one line.
 * @example const shards = await runShardManager({ config, log, entry: fileURLToPath(import.meta.url) });
 */
export async function runShardManager({ config, log, entry, onGiveUp }: { config: BotConfig; log: Logger; entry: string; onGiveUp: (why: string) => void }): Promise<RunningShards> {
  const totalShards = config.shardCount === 'auto' ? await recommendedShards(config) : (config.shardCount ?? 1);
  const manager = new ShardingManager(entry, {
    totalShards,
    // Spawned here one by one (below), so discord.js' broadcasts must know the whole list from the start.
    shardList: [...Array(totalShards).keys()],
    token: config.token,
    mode: 'process',
    execArgv: process.execArgv,
    respawn: true,
  });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    manager.respawn = false;
    for (const shard of manager.shards.values()) shard.kill();
    log.info('shards stopped', { shards: manager.shards.size });
  };
  // A shard restarted after the start that dies before its index is built (the data folder lost its articles, say)
  // would be restarted for ever, logging in to Discord every time (14 logins in 30 s; Discord allows 1,000 a day):
  // everything stops instead, with one line, for the operator to mend the folder.
  let started = false;
  const builtSinceSpawn = new Set<number>();
  const giveUp = (id: number) => {
    if (!started || stopped) return;
    // After discord.js' own restart has begun (it follows 'death'), so that stop() ends the new process too.
    setImmediate(() => void stop().then(() => onGiveUp(`shard ${id} ended before its index was built, after a restart; stopped every shard`)));
  };
  manager.on('shardCreate', (shard: Shard) => {
    log.info('shard starting', { shardId: shard.id, of: totalShards });
    shard.on('spawn', () => builtSinceSpawn.delete(shard.id));
    shard.on('message', (m: unknown) => {
      if (isBuilt(m)) builtSinceSpawn.add(shard.id);
    });
    shard.on('ready', () => log.info('shard ready', { shardId: shard.id }));
    shard.on('death', (child) => {
      log.warn('shard process ended', { shardId: shard.id, exitCode: 'exitCode' in child ? child.exitCode : null });
      if (!builtSinceSpawn.has(shard.id)) giveUp(shard.id);
    });
    shard.on('error', (err) => log.error('shard error', { shardId: shard.id, err }));
  });

  try {
    // discord.js' manager.spawn waits only for each shard's login; the next shard must also wait for its build.
    for (let id = 0; id < totalShards; id++) {
      const shard = manager.createShard(id);
      const built = shardBuilt(shard, SHARD_READY_TIMEOUT_MS);
      // A shard dying before READY rejects both; the spawn's rejection is the one reported.
      built.catch(() => undefined);
      await shard.spawn(SHARD_READY_TIMEOUT_MS);
      await built;
      if (id < totalShards - 1) await sleep(SPAWN_DELAY_MS);
    }
  } catch (err) {
    await stop();
    // The shard itself has logged why (a bad token, Discord out of reach, no readable article).
    const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new DiscordStartError(`a shard could not start (${why}); see the shard's own log line above`, { cause: err });
  }
  started = true;
  log.info('all shards ready', { shards: totalShards });
  return { manager, stop };
}
