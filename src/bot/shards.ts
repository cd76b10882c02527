/**
 * The shard side of sharding: when this process is one shard under discord.js' ShardingManager (see
 * shard-manager.ts), commands reach every shard's engine through the manager with `broadcastEval`, which runs a
 * function's source text in each shard process with that shard's Client. Each shard therefore hangs its own
 * plain-value handlers on its Client under `SHARD_HANDLERS`, and the broadcast functions only call those.
 * Everything crossing processes is JSON (dates as epoch milliseconds).
 */
import type { Client } from 'discord.js';
import type { ShardReload, Shards, ShardStatus } from '../../commands/command';
import type { AnswerEngine } from '../engine/types';

/** The Client property the broadcast functions call (written out in them: they are sent as source text). */
const SHARD_HANDLERS = 'quotebotShard';

interface ShardHandlers {
  reload(requestedBy: string): Promise<ShardReload>;
  status(): ShardStatus;
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
  };
}

/**
 * Every shard's engine, for commands; null when this process is not a shard (one process, one connection).
 * @example const shards = connectShards(client, engine); await shards?.statusAll() // [{ shard: 0, guilds: 1200, … }, …]
 */
export function connectShards(client: Client, engine: AnswerEngine): Shards | null {
  const util = client.shard;
  if (!util) return null;
  const shard = util.ids[0];
  const handlers: ShardHandlers = {
    async reload(requestedBy) {
      const r = await engine.reload({ requestedBy });
      return { shard, ok: r.ok, error: r.error ?? null, articles: r.articles, sentences: r.sentences, tookMs: r.tookMs };
    },
    status: () => statusOf(client, engine, shard),
  };
  Object.defineProperty(client, SHARD_HANDLERS, { value: handlers });
  return {
    shard,
    count: util.count,
    // Kept as plain arrow functions of the client: discord.js sends their source text to every shard.
    reloadAll: (requestedBy) =>
      util.broadcastEval((c, ctx) => (c as unknown as { quotebotShard: ShardHandlers }).quotebotShard.reload(ctx.requestedBy), { context: { requestedBy } }),
    statusAll: () => util.broadcastEval((c) => (c as unknown as { quotebotShard: ShardHandlers }).quotebotShard.status()),
  };
}
