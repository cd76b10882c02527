/**
 * The manager side of sharding (`SHARD_COUNT` set): discord.js' ShardingManager runs `npm start`'s entry once per
 * shard, each in its own process with its own gateway connection and its own engine over the same data folder.
 * This process opens no engine and answers nothing; it spawns the shards, relays their broadcasts (src/bot/shards.ts),
 * respawns a shard that dies, and stops them all on SIGINT/SIGTERM, also while it is still starting them.
 */
import type { ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { REST, Routes, ShardingManager, type Shard } from 'discord.js';
import type { Logger } from '../log';
import type { BotConfig } from './config';
import { DiscordStartError, describeDiscordFailure } from './discord-failure';
import { shardEnded } from './shards';

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

export interface ShardManager {
  /**
   * Spawns the shards one after the other, each once the one before has logged in and built its index (so it loads
   * that build's snapshot instead of building again); resolves when every shard has, or at once after `stop`. A
   * shard that dies or never gets there stops the others and fails the start with one line.
   */
  start(): Promise<void>;
  /** Stops every shard started (each logs out), starting no more, at any time; resolves once their processes ended. */
  stop(): Promise<void>;
}

/** Resolves when `child` has exited, or after `timeoutMs` (false then). */
function exited(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

export interface ShardManagerOptions {
  config: BotConfig;
  log: Logger;
  /** The file each shard process runs (`npm start`'s entry). */
  entry: string;
  /** How long `stop` waits for a shard process to end (it first finishes a snapshot being written, bounded); then kills it. */
  exitWaitMs: number;
  /** Called once every shard is stopped because a restarted shard could not build its index. */
  onGiveUp: (why: string) => void;
}

/**
 * Supervises the shard processes of `entry` (run with this process's Node flags, so `tsx` carries over): `start`,
 * and `stop` on SIGINT/SIGTERM, which may come during the start.
 * @example const shards = createShardManager({ config, log, entry: fileURLToPath(import.meta.url), exitWaitMs: 40_000, onGiveUp }); await shards.start();
 */
export function createShardManager({ config, log, entry, exitWaitMs, onGiveUp }: ShardManagerOptions): ShardManager {
  let manager: ShardingManager | undefined;
  // Aborted by `stop`: the spawn loop starts no further shard (and its wait between two shards ends).
  const stopping = new AbortController();
  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      stopping.abort();
      if (!manager) return;
      manager.respawn = false;
      const ending = [...manager.shards.values()].flatMap((shard) => {
        const child = shard.process;
        if (!child) return [];
        shard.kill();
        // Past the wait (a shard's own stop is bounded well within it), killed outright: none outlives the manager.
        return [
          exited(child, exitWaitMs).then(async (ended) => {
            if (ended) return;
            log.warn('shard still running after the wait: killed', { shardId: shard.id, pid: child.pid });
            child.kill('SIGKILL');
            await exited(child, 5_000);
          }),
        ];
      });
      await Promise.all(ending);
      log.info('shards stopped', { shards: ending.length });
    })());

  const start = async () => {
    const totalShards = config.shardCount === 'auto' ? await recommendedShards(config) : (config.shardCount ?? 1);
    if (stopping.signal.aborted) return;
    const shardingManager = new ShardingManager(entry, {
      totalShards,
      // Spawned here one by one (below), so discord.js' broadcasts must know the whole list from the start.
      shardList: [...Array(totalShards).keys()],
      token: config.token,
      mode: 'process',
      execArgv: process.execArgv,
      respawn: true,
    });
    manager = shardingManager;
    // A shard restarted after the start that dies before its index is built (the data folder lost its articles, say)
    // would be restarted for ever, logging in to Discord every time (14 logins in 30 s; Discord allows 1,000 a day):
    // everything stops instead, with one line, for the operator to mend the folder.
    let started = false;
    const builtSinceSpawn = new Set<number>();
    const giveUp = (id: number) => {
      if (!started || stopping.signal.aborted) return;
      // After discord.js' own restart has begun (it follows 'death'), so that stop() ends the new process too.
      setImmediate(() => void stop().then(() => onGiveUp(`shard ${id} ended before its index was built, after a restart; stopped every shard`)));
    };
    shardingManager.on('shardCreate', (shard: Shard) => {
      log.info('shard starting', { shardId: shard.id, of: totalShards });
      shard.on('spawn', (child) => {
        builtSinceSpawn.delete(shard.id);
        // Which process is which shard, for the operator (and a shard left behind).
        log.info('shard process started', { shardId: shard.id, pid: 'pid' in child ? child.pid : null });
      });
      shard.on('message', (m: unknown) => {
        if (isBuilt(m)) builtSinceSpawn.add(shard.id);
      });
      shard.on('ready', () => log.info('shard ready', { shardId: shard.id }));
      shard.on('death', (child) => {
        // A shard stopped on purpose is reported by stop() (discord.js reports its death before it has exited).
        if (stopping.signal.aborted) return;
        // What this process was asked is lost with it: the shards waiting for its answers are told (shards.ts).
        for (const other of shardingManager.shards.values()) if (other !== shard && other.process) other.send(shardEnded(shard.id)).catch(() => undefined);
        // A process killed (SIGKILL, the kernel out of memory) has no exit code, only the signal.
        const how = 'exitCode' in child ? { exitCode: child.exitCode, signal: child.signalCode } : {};
        log.warn('shard process ended', { shardId: shard.id, ...how });
        if (!builtSinceSpawn.has(shard.id)) giveUp(shard.id);
      });
      // While stopping, discord.js reports the restart it had begun as failed: that is the stop, not an error.
      shard.on('error', (err) => log[stopping.signal.aborted ? 'debug' : 'error']('shard error', { shardId: shard.id, err }));
    });

    try {
      // discord.js' manager.spawn waits only for each shard's login; the next shard must also wait for its build.
      for (let id = 0; id < totalShards && !stopping.signal.aborted; id++) {
        const shard = shardingManager.createShard(id);
        const built = shardBuilt(shard, SHARD_READY_TIMEOUT_MS);
        // A shard dying before READY rejects both; the spawn's rejection is the one reported.
        built.catch(() => undefined);
        await shard.spawn(SHARD_READY_TIMEOUT_MS);
        await built;
        if (id < totalShards - 1) await sleep(SPAWN_DELAY_MS, undefined, { signal: stopping.signal });
      }
    } catch (err) {
      // Stopped on purpose (SIGTERM during the start): stop() ends the shards, and that is no failure.
      if (stopping.signal.aborted) return;
      await stop();
      // The shard itself has logged why (a bad token, Discord out of reach, no readable article).
      const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
      throw new DiscordStartError(`a shard could not start (${why}); see the shard's own log line above`, { cause: err });
    }
    if (stopping.signal.aborted) return;
    started = true;
    log.info('all shards ready', { shards: totalShards });
  };
  return { start, stop };
}
