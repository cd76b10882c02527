/**
 * /reload (moderators): rebuilds the index from the data folder while the old one keeps answering, showing
 * progress, then the report. Who may reload is checked here, server side, whatever Discord shows to whom.
 */
import type { ReloadProgress } from '../../src/engine/types';
import { moderationRefusal, REFUSAL_LOGGED, type BotContext, type Command, type CommandCall, type Respond, type Shards } from '../command';
import { definition } from './definition';
import { renderReloadProgress, renderReloadRefused, renderReloadReport } from './render';

/** @example await reload({ options: {}, member, guildId }, respond, ctx) */
export async function reload(call: CommandCall, respond: Respond, ctx: BotContext): Promise<void> {
  const { member } = call;
  const refusal = moderationRefusal(call, ctx);
  if (refusal) {
    ctx.log.warn(`reload refused: ${REFUSAL_LOGGED[refusal]}`, { user: member.id, name: member.name, guild: call.guildId });
    return respond.reply(renderReloadRefused(refusal), { ephemeral: true });
  }
  await respond.defer({ ephemeral: true });
  ctx.log.info('reload started', { user: member.id, name: member.name, guild: call.guildId });

  const started = Date.now();
  let lastEdit = 0;
  // Progress edits are chained so they arrive in order, and awaited before the final report replaces them.
  let edits: Promise<unknown> = Promise.resolve();
  const onProgress = (p: ReloadProgress) => {
    const now = Date.now();
    if (now - started < ctx.timing.progressAfterMs || now - lastEdit < ctx.timing.progressEveryMs) return;
    lastEdit = now;
    edits = edits.then(() => respond.progress(renderReloadProgress(p, now - started))).catch(() => undefined);
  };

  // This shard builds, showing progress; under sharding it waits for its snapshot to be written, then every other
  // shard loads that snapshot instead of building the same index again.
  const report = await ctx.engine.reload({ onProgress, requestedBy: member.name, waitForSnapshot: ctx.shards !== null });
  const shards: Awaited<ReturnType<Shards['shareReload']>> | Error | null = ctx.shards
    ? await ctx.shards.shareReload(member.name).catch((err: unknown) => (err instanceof Error ? err : new Error(String(err))))
    : null;
  await edits;
  if (shards instanceof Error) ctx.log.warn('reload: could not reach every shard', { err: shards });
  ctx.log[report.ok ? 'info' : 'warn']('reload finished', {
    user: member.id,
    name: member.name,
    ok: report.ok,
    error: report.error,
    articles: report.articles,
    sentences: report.sentences,
    added: report.added.length,
    changed: report.changed.length,
    removed: report.removed.length,
    badFiles: report.errors.length,
    ms: report.tookMs,
  });
  await respond.reply(renderReloadReport(report, shards && ctx.shards ? { from: ctx.shards.shard, outcome: shards } : undefined));
}

export const command: Command = { definition, execute: reload };
