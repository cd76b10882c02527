/**
 * What more than one command tells, in one place: a command imports of another only its definition, plain data
 * (test/architecture.test.ts), so a text two commands share lives here, beside none of them. The types it tells
 * of (a refusal, the engine's status) stay where they are defined (commands/command.ts, the engine's types).
 */
import type { EngineStatus, Requester } from '../src/engine/types';
import { discordTime, memberName, oneLine } from '../src/discord/text';
import type { ServerRefusal } from './command';

/** What a moderator command says to a `no-moderators-server` refusal (the owner has a setting to make). */
export const NO_MODERATORS_SERVER =
  "The bot is in more than one server (or runs in shards) and its owner has not named the moderators' server (MODERATOR_GUILD_ID): every server shares the same articles, so nobody may change them until it is set.";

/**
 * What an empty index tells a member of who can add articles (/sources' list, /ask's question), by why moderators of
 * their server may not (null: they may). Every server the bot is in shares one data folder: said where that is why.
 */
export function noArticlesYet(refusal: ServerRefusal | null): string {
  return NO_ARTICLES_YET[refusal ?? 'none'];
}

const NO_ARTICLES_YET: Record<ServerRefusal | 'none', string> = {
  none: 'No articles are loaded yet: moderators add them with `/article add`.',
  'other-server': "No articles are loaded yet: moderators of the server the bot's sources belong to add them with `/article add` (every server the bot is in shares the same articles).",
  'no-moderators-server':
    "No articles are loaded yet, and moderators cannot add any until the bot's owner names the moderators' server (MODERATOR_GUILD_ID): the bot is in more than one server (or runs in shards), and every server shares the same articles.",
};

/** After an index's size, while a reload runs (/about's index and shards, /sources' title): the list may change. */
export function reloadingSign(reloading: boolean): string {
  return reloading ? ' (reloading…)' : '';
}

const NAMES = new Intl.ListFormat('en-US', { type: 'conjunction' });
/**
 * The most moderators named for one build; past it, "and N others". A build every reload made meanwhile joined can
 * have many: cut to the field, the line lost its end ("failed <t:…>": a failed reload read as a good one).
 */
const NAMED_AT_MOST = 5;

/**
 * "by A, B, and C", or "" for nobody: each person once (told apart by id), each name as text (`memberName`). Two
 * moderators sharing a name are one entry, "Ann (2 moderators of that name)": "by Ann and Ann" read as one person
 * named twice, and an id would mean nothing to a reader.
 */
function byNames(requesters: Requester[]): string {
  const people = new Map<string, string>();
  for (const r of requesters) if (!people.has(r.id)) people.set(r.id, oneLine(r.name));
  const counts = new Map<string, number>();
  for (const name of people.values()) counts.set(name, (counts.get(name) ?? 0) + 1);
  if (counts.size === 0) return '';
  const entries = [...counts];
  const shown = entries.length > NAMED_AT_MOST ? entries.slice(0, NAMED_AT_MOST - 1) : entries;
  const rest = people.size - shown.reduce((n, [, count]) => n + count, 0);
  const named = shown.map(([name, count]) => `${memberName(name)}${count > 1 ? ` (${count} moderators of that name)` : ''}`);
  return ` by ${NAMES.format([...named, ...(rest ? [`${rest} others`] : [])])}`;
}

/**
 * When the serving index was built and by whom (the bot names every moderator who reloads, so an unnamed build is
 * the one at start; a build several reloads shared names them all); after a failed reload, also who tried and when.
 * @example describeLastReload(engine.status()) // '<t:1473069600:f> (<t:1473069600:R>) by Mod'
 */
export function describeLastReload(status: EngineStatus): string {
  const last = status.lastReload;
  if (last?.ok) return `${discordTime(last.builtAt)}${last.requestedBy.length ? byNames(last.requestedBy) : ', at start'}`;
  const serving = status.builtAt ? discordTime(status.builtAt) : 'not built yet';
  return last ? `${serving}; a reload${byNames(last.requestedBy)} failed <t:${Math.floor(last.builtAt.getTime() / 1000)}:R>` : serving;
}
