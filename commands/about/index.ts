/** /about: the model in use, the index size, uptime, last reload and /ask answer times, and each shard's; privately. */
import type { Command, Shards } from '../command';
import { definition } from './definition';
import { renderAbout } from './render';

export const command: Command = {
  definition,
  async execute(_call, respond, ctx) {
    const { answerTimes, startedAt } = ctx.state;
    let shards: { from: number; statuses: Awaited<ReturnType<Shards['statusAll']>> | Error } | undefined;
    if (ctx.shards) {
      // Asking every shard takes a round trip through the manager; defer so Discord's 3 seconds never matter.
      await respond.defer({ ephemeral: true });
      const statuses = await ctx.shards.statusAll().catch((err: unknown) => (err instanceof Error ? err : new Error(String(err))));
      if (statuses instanceof Error) ctx.log.warn('about: could not reach every shard', { err: statuses });
      shards = { from: ctx.shards.shard, statuses };
    }
    const reply = renderAbout({
      status: ctx.engine.status(),
      startedAt,
      now: new Date(),
      asks: answerTimes.total,
      p50: answerTimes.percentile(50),
      p95: answerTimes.percentile(95),
      shards,
    });
    await respond.reply(reply, { ephemeral: true });
  },
};
