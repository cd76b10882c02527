/**
 * /reload (moderators): rebuilds the index from the data folder while the old one keeps answering, showing
 * progress, then the report. Who may reload is checked here, server side, whatever Discord shows to whom.
 */
import type { ReloadProgress, ReloadReport } from '../../src/engine/types';
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

  // This shard builds, showing progress; under sharding it waits for its snapshot to be written, then every other
  // shard loads that snapshot instead of building the same index again.
  const progress = progressEdits(respond, ctx.timing);
  let report: ReloadReport;
  let shards: Awaited<ReturnType<Shards['shareReload']>> | Error | null;
  const requestedBy = { id: member.id, name: member.name };
  try {
    report = await ctx.engine.reload({ onProgress: progress.onProgress, requestedBy, waitForSnapshot: ctx.shards !== null });
    shards = ctx.shards
      ? await ctx.shards.shareReload(requestedBy).catch((err: unknown) => (err instanceof Error ? err : new Error(String(err))))
      : null;
  } finally {
    await progress.end();
  }
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
    waitedMs: report.waitedMs,
  });
  await respond.reply(renderReloadReport(report, shards && ctx.shards ? { from: ctx.shards.shard, outcome: shards } : undefined));
}

/**
 * One /reload's progress edits: the first after `progressAfterMs` (a quick reload goes straight to its report), then
 * at most one per `progressEveryMs`. A progress held back is shown when its turn comes, not dropped: a build that
 * then told nothing for a while (reading a large folder) showed nothing of it. A reload queued behind another is told
 * so at once, since that is why nothing moves: production's first edit came after 3 s, and only with the running
 * build's next progress, so a moderator saw "thinking…" and then, often, the waiting line only for the moment before
 * the report replaced it. That line then stays until the caller's own build shows, at least `progressEveryMs`.
 * `end` stops the edits and resolves once those sent have arrived: the report comes after them.
 */
function progressEdits(respond: Respond, timing: BotContext['timing']) {
  const started = Date.now();
  let lastEdit: number | null = null;
  let latest: ReloadProgress | null = null;
  let timer: NodeJS.Timeout | undefined;
  let ended = false;
  // Chained so they arrive in order.
  let edits: Promise<unknown> = Promise.resolve();
  const show = () => {
    timer = undefined;
    if (!latest || ended) return;
    const [shown, now] = [latest, Date.now()];
    latest = null;
    lastEdit = now;
    edits = edits.then(() => respond.progress(renderReloadProgress(shown, now - started))).catch(() => undefined);
  };
  const onProgress = (p: ReloadProgress) => {
    latest = p;
    if (timer || ended) return;
    const now = Date.now();
    const due = p.waiting && lastEdit === null ? now : Math.max(started + timing.progressAfterMs, (lastEdit ?? -Infinity) + timing.progressEveryMs);
    if (due <= now) show();
    else timer = setTimeout(show, due - now);
  };
  const end = () => {
    ended = true;
    clearTimeout(timer);
    return edits;
  };
  return { onProgress, end };
}

export const command: Command = { definition, execute: reload };
