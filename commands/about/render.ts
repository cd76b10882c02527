/** How /about looks. */
import type { EngineStatus } from '../../src/engine/types';
import type { ShardNotStarted, ShardStatus } from '../command';
import { LIMITS } from '../../src/discord/limits';
import { COLOR, type Reply } from '../../src/discord/reply';
import { cut, discordTime, escapedCut, formatUptime, joinFitting, oneLine, plural } from '../../src/discord/text';
import { formatMs } from '../../src/duration';
import { describeLastReload, reloadingSign } from '../wording';

export interface AboutInfo {
  status: EngineStatus;
  startedAt: Date;
  now: Date;
  /** /ask questions answered since start, and their answer-time percentiles (null before the first). */
  asks: number;
  p50: number | null;
  p95: number | null;
  /** Under sharding: every shard's index (or why they could not be asked), and which shard answers. */
  shards?: { from: number; statuses: Array<ShardStatus | ShardNotStarted> | Error };
}

function shardLines({ from, statuses }: NonNullable<AboutInfo['shards']>): string {
  if (statuses instanceof Error) return `Could not ask every shard: ${escapedCut(oneLine(statuses.message), 300)}`;
  const lines = statuses.map((s) => {
    if ('notStarted' in s) return `shard ${s.shard}: not started yet`;
    const who = `shard ${s.shard}${s.shard === from ? ' (this one)' : ''}`;
    // Not logged in, it knows no servers yet; logged in, it knows them but has no index yet. Neither is a reload.
    if (s.starting === 'logging-in') return `${who}: still starting (logging in to Discord)`;
    if (s.starting === 'building' || s.builtAt === null) return `${who}: ${plural(s.guilds, 'server')}, still starting (building its index)`;
    return `${who}: ${plural(s.guilds, 'server')}, ${plural(s.articles, 'article')}, ${plural(s.sentences, 'sentence')}, built ${discordTime(new Date(s.builtAt))}${reloadingSign(s.reloading)}`;
  });
  return joinFitting(lines, LIMITS.fieldValue, '\n');
}

/**
 * Model, index size, uptime, last reload and answer times.
 * @example renderAbout({ status: engine.status(), startedAt, now: new Date(), asks: 0, p50: null, p95: null })
 */
export function renderAbout(info: AboutInfo): Reply {
  const { status } = info;
  const times = info.p50 === null ? 'no questions yet' : `p50 ${formatMs(info.p50)}, p95 ${formatMs(info.p95 ?? info.p50)} over ${plural(info.asks, 'question')}`;
  return {
    embeds: [
      {
        color: COLOR.answer,
        title: 'About this bot',
        description:
          'I answer questions about the news event with **verbatim sentences** from the source articles — no generated text. Every quote links to its article.',
        fields: [
          { name: 'Embedding model', value: escapedCut(status.model, 1000), inline: true },
          { name: 'Index', value: `${plural(status.articles, 'article')}, ${plural(status.sentences, 'sentence')}${reloadingSign(status.reloading)}`, inline: true },
          { name: 'Uptime', value: formatUptime(info.now.getTime() - info.startedAt.getTime()), inline: true },
          { name: 'Last reload', value: cut(describeLastReload(status), LIMITS.fieldValue) },
          { name: '/ask answer times since start', value: times },
          ...(info.shards ? [{ name: info.shards.statuses instanceof Error ? 'Shards' : `Shards (${info.shards.statuses.length})`, value: shardLines(info.shards) }] : []),
        ],
      },
    ],
  };
}
