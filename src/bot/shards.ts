/**
 * The shard side of sharding: when this process is one shard under discord.js' ShardingManager (see
 * shard-manager.ts), commands reach every shard's engine through the manager with `broadcastEval`, which runs a
 * function's source text in each shard process with that shard's Client. Each shard therefore hangs its own
 * plain-value handlers on its Client under `SHARD_HANDLERS`, and the broadcast functions only call those.
 * Everything crossing processes is JSON (dates as epoch milliseconds).
 */
import { DiscordjsErrorCodes, type Client, type ShardClientUtil } from 'discord.js';
import type { ShardNotStarted, ShardReload, Shards, ShardStatus } from '../../commands/command';
import type { AnswerEngine, ReloadReport, Requester } from '../engine/types';
import type { Logger } from '../log';

/** The Client property the broadcast functions call (written out in them: they are sent as source text). */
const SHARD_HANDLERS = 'quotebotShard';

interface ShardHandlers {
  /**
   * Takes shard `from`'s new build (its own reload's outcome when this is shard `from`), asked by `name` (user `id`).
   * Both plain strings, the name where the version before (`takeBuild(name, from)`) read it: a shard the manager
   * respawns runs the code on disk, so after an update two versions share reloads until the manager restarts.
   */
  takeBuild(name: unknown, from: number, id?: unknown): Promise<ShardReload>;
  status(): ShardStatus;
}

/**
 * Who asked, from what another shard sent: checked, as another version may send another shape (a requester that is
 * no `Requester` broke every /about after it). Without an id (the version before), told apart by name, as it was.
 */
function requesterFrom(name: unknown, id: unknown): Requester | undefined {
  if (typeof name !== 'string') return undefined;
  return { id: typeof id === 'string' ? id : `name:${name}`, name };
}

function statusOf(client: Client, engine: AnswerEngine, shard: number): ShardStatus {
  const s = engine.status();
  return {
    shard,
    guilds: client.guilds.cache.size,
    articles: s.articles,
    sentences: s.sentences,
    builtAt: s.builtAt?.getTime() ?? null,
    reloading: s.reloading,
    starting: null,
  };
}

/**
 * What the manager sends every other shard when a shard's process ends: discord.js drops what that process was asked
 * (its answer would never come), so a broadcast waiting on it fails at once instead of hanging for ever.
 */
export const shardEnded = (shard: number) => ({ quotebot: 'shard ended', shard });
const endedShard = (m: unknown): number | null => {
  const e = m as ReturnType<typeof shardEnded> | null;
  return e?.quotebot === 'shard ended' && typeof e.shard === 'number' ? e.shard : null;
};

/** discord.js' error for a shard the manager has not created yet (its name crosses processes, its class does not). */
const notCreated = (err: unknown) => err instanceof Error && err.name.endsWith(`[${DiscordjsErrorCodes.ShardingShardNotFound}]`);

/**
 * Runs `script` in every shard, one broadcast per shard: discord.js refuses a broadcast to all of them ("Shards are
 * still being spawned") until the manager has created the last, which at start comes only once every shard before
 * it has built its index (minutes). A shard not created yet is reported as not started.
 */
function eachShard<T, C>(util: ShardClientUtil, waiting: Waiting, script: (client: Client, context: C) => Promise<T> | T, context: C): Promise<Array<T | ShardNotStarted>> {
  const one = (shard: number) =>
    new Promise<T | ShardNotStarted>((resolve, reject) => {
      const onShard = waiting.get(shard) ?? new Set();
      waiting.set(shard, onShard.add(reject));
      (util.broadcastEval(script as (client: Client, context: unknown) => Promise<T>, { shard, context }) as Promise<T>)
        .then(resolve, (err: unknown) => (notCreated(err) ? resolve({ shard, notStarted: true }) : reject(err)))
        .finally(() => onShard.delete(reject));
    });
  return Promise.all([...Array(util.count).keys()].map(one));
}

/** The broadcasts still waiting on each shard: failed at once if that shard's process ends (`shardEnded`). */
type Waiting = Map<number, Set<(err: Error) => void>>;

/** This shard's part in the broadcasts, hung on its Client before it logs in; `serve` once its index is built. */
export interface ShardConnection {
  /** Every shard's engine, for commands; null when this process is not a shard (one process, one connection). */
  shards: Shards | null;
  serve(engine: AnswerEngine): void;
}

/**
 * Hangs this shard's handlers on its Client at once: the bot logs in before its index is built, and meanwhile the
 * other shards' broadcasts get this shard "still starting" (status: logging in, then building its index) or wait
 * for its build (a shared reload).
 * @example const sharding = connectShards(client, log); sharding.serve(engine); await sharding.shards?.statusAll() // [{ shard: 0, guilds: 1200, … }, …]
 */
export function connectShards(client: Client, log: Logger): ShardConnection {
  let serving: AnswerEngine | null = null;
  let served!: (engine: AnswerEngine) => void;
  const built = new Promise<AnswerEngine>((resolve) => (served = resolve));
  const serve = (engine: AnswerEngine) => {
    serving ??= engine;
    served(engine);
  };
  const util = client.shard;
  if (!util) return { shards: null, serve };
  const shard = util.ids[0];
  const outcome = (r: ReloadReport): ShardReload => ({
    shard, ok: r.ok, error: r.error ?? null, articles: r.articles, sentences: r.sentences, tookMs: r.tookMs, fromSnapshot: r.fromSnapshot ?? false,
  });
  const handlers: ShardHandlers = {
    async takeBuild(name, from, id) {
      if (!serving) log.info("asked to take another shard's build before this one's is done: taking it once built", { from });
      const engine = await built;
      const own = engine.status().lastReload;
      if (shard === from && own) return outcome(own);
      // The snapshot shard `from` wrote matches the folder unless it changed again since: then this shard builds.
      const r = await engine.reload({ requestedBy: requesterFrom(name, id), useSnapshot: true });
      log.info('took another shard\'s build', { from, ok: r.ok, fromSnapshot: r.fromSnapshot ?? false, tookMs: r.tookMs });
      return outcome(r);
    },
    status: () =>
      serving
        ? statusOf(client, serving, shard)
        : { shard, guilds: client.guilds.cache.size, articles: 0, sentences: 0, builtAt: null, reloading: false, starting: client.isReady() ? 'building' : 'logging-in' },
  };
  Object.defineProperty(client, SHARD_HANDLERS, { value: handlers });
  const waiting: Waiting = new Map();
  process.on('message', (m: unknown) => {
    const ended = endedShard(m);
    if (ended === null) return;
    for (const fail of waiting.get(ended) ?? []) fail(new Error(`shard ${ended} ended before it answered`));
    waiting.delete(ended);
  });
  return {
    serve,
    shards: {
      shard,
      count: util.count,
      // Kept as plain arrow functions of the client: discord.js sends their source text to every shard.
      shareReload: ({ id, name }) =>
        eachShard(util, waiting, (c, ctx) => (c as unknown as { quotebotShard: ShardHandlers }).quotebotShard.takeBuild(ctx.requestedBy, ctx.from, ctx.id), { requestedBy: name, from: shard, id }),
      statusAll: () => eachShard(util, waiting, (c) => (c as unknown as { quotebotShard: ShardHandlers }).quotebotShard.status(), null),
    },
  };
}
