/** How /reload's replies look. */
import type { ReloadProgress, ReloadReport } from '../../src/engine/types';
import type { ModerationRefusal, ShardNotStarted, ShardReload } from '../command';
import { NO_MODERATORS_SERVER } from '../wording';
import { embedLength, LIMITS } from '../../src/discord/limits';
import { COLOR, type Reply } from '../../src/discord/reply';
import { codeSpan, escapeText, escapedCut, joinFitting, oneLine, plural } from '../../src/discord/text';
import { formatMs } from '../../src/duration';

export function renderReloadRefused(why: ModerationRefusal): Reply {
  if (why === 'no-moderators-server') return { content: NO_MODERATORS_SERVER };
  return {
    content:
      why === 'other-server'
        ? "Only moderators of the server the bot's sources belong to can reload them: every server the bot is in shares the same articles."
        : 'Only moderators (Manage Server, or a moderator role) can reload the sources.',
  };
}

/**
 * The shortest wait worth telling a moderator: under a second it is lost in the reply's own round trips to Discord
 * (the report said "after waiting 3 ms"), and a reload's own time is shown beside it anyway.
 */
const NOTICEABLE_MS = 1000;

export function renderReloadProgress(progress: ReloadProgress, elapsedMs: number): Reply {
  const what =
    progress.phase === 'reading'
      ? 'reading the data folder'
      : progress.phase === 'embedding' && progress.total > 0
        ? `embedding sentences ${progress.done.toLocaleString('en-US')}/${progress.total.toLocaleString('en-US')}`
        : 'building the index';
  // A reload asked while another builds runs after it: what moves meanwhile is the build in progress. Told at once
  // when it queues, where "(0 ms so far)" says nothing.
  if (progress.waiting) {
    const soFar = elapsedMs >= NOTICEABLE_MS ? ` (${formatMs(elapsedMs)} so far)` : '';
    return { content: `Reloading… waiting for the reload before yours to end (it is ${what}), then yours runs${soFar}. The current index keeps answering meanwhile.` };
  }
  return { content: `Reloading… ${what} (${formatMs(elapsedMs)} so far). The current index keeps answering meanwhile.` };
}

/** One line per shard: reloaded with its counts, or failed with why; or why the shards could not be reached. */
function shardLines(from: number, outcome: Array<ShardReload | ShardNotStarted> | Error): string {
  if (outcome instanceof Error) return `Could not reach every shard: ${escapedCut(oneLine(outcome.message), 300)}`;
  const lines = outcome.map((s) => {
    if ('notStarted' in s) return `shard ${s.shard}: not started yet; it reads the sources when it starts`;
    const who = `shard ${s.shard}${s.shard === from ? ' (this one)' : ''}`;
    return s.ok
      ? `${who}: reloaded${s.fromSnapshot ? ' from the snapshot' : ''}, ${plural(s.articles, 'article')}, ${plural(s.sentences, 'sentence')}, ${formatMs(s.tookMs)}`
      : `${who}: **failed** (${escapedCut(oneLine(s.error ?? 'unknown error'), 200)}), still serving ${plural(s.sentences, 'sentence')}`;
  });
  return joinFitting(lines, LIMITS.fieldValue, '\n');
}

/**
 * The report: counts, files added/changed/removed, each bad file with its reason, time taken; under sharding,
 * each shard's outcome (`shards.from` is the shard that ran the command).
 * @example renderReloadReport(await engine.reload({ requestedBy: { id: '42', name: 'Mod' } })).embeds[0].title // 'Sources reloaded'
 */
export function renderReloadReport(report: ReloadReport, shards?: { from: number; outcome: Array<ShardReload | ShardNotStarted> | Error }): Reply {
  const fileList = (files: string[]) => (files.length ? joinFitting(files.map((f) => codeSpan(f, 200)), LIMITS.fieldValue, ', ') : 'none');
  // A failed reload lists only what did change since the caller asked (a reload before it, when it queued):
  // "Added (0)" under a failure read as a reload that had worked and found nothing new.
  const changes = [['Added', report.added], ['Changed', report.changed], ['Removed', report.removed]] as const;
  const fields = changes
    .filter(([, files]) => report.ok || files.length > 0)
    .map(([name, files]) => ({ name: `${name} (${files.length})`, value: fileList(files) }));
  const changedSince = fields.length > 0;
  if (report.errors.length) {
    fields.push({
      name: `Not loaded (${report.errors.length})`,
      value: joinFitting(
        report.errors.map((e) => `${codeSpan(e.file, 150)}: ${escapedCut(oneLine(e.reason), 300)}`),
        LIMITS.fieldValue,
        '\n',
      ),
    });
  }
  if (shards) {
    const count = shards.outcome instanceof Error ? '?' : String(shards.outcome.length);
    fields.push({ name: `Shards (${count})`, value: shardLines(shards.from, shards.outcome) });
  }
  // A reload queued behind another says so, failed or not: its "waiting" progress line may have been replaced before
  // it could be read. Only a wait long enough to notice: "after waiting 3 ms" told of a wait nobody saw.
  const waitedMs = report.waitedMs ?? 0;
  const waited = waitedMs >= NOTICEABLE_MS ? `after waiting ${formatMs(waitedMs)} for the reload before yours` : '';
  const counts = `**${plural(report.articles, 'article')}, ${plural(report.sentences, 'sentence')}** · ${plural(report.embedded, 'sentence')} newly embedded · took ${formatMs(report.tookMs)}${waited && `, ${waited}`} · model: ${escapeText(report.model)}`;
  const failedLead = `The reload failed${waited && ` ${waited}`}: `;
  const title = report.ok ? 'Sources reloaded' : 'Reload failed — the last good index keeps serving';
  const serving = `\nThe last good index keeps serving answers (${plural(report.articles, 'article')}, ${plural(report.sentences, 'sentence')})${changedSince ? ', with what the reload before yours changed since you asked:' : '.'}`;
  // The reason gets what the fields leave of the message's 6,000 characters: a failed reload can now list what a
  // reload before it changed, up to five full fields under sharding.
  const room = LIMITS.embedsTotal - embedLength({ title, fields }) - failedLead.length - serving.length;
  const description = report.ok ? counts : `${failedLead}${escapedCut(oneLine(report.error ?? 'unknown error'), Math.min(1500, room))}${serving}`;
  return { content: '', embeds: [{ color: report.ok ? COLOR.ok : COLOR.bad, title, description, fields }] };
}
