/**
 * /article (moderators): add an article from an uploaded file or a link, or remove one; then reload. The intake
 * (src/intake) does the fetching, checks and writing; this only checks who asks, logs, and reports privately.
 */
import type { Article, ReloadReport, Requester } from '../../src/engine/types';
import { findWords, foldedPattern, holdsEvery, typedPrefix } from '../../src/discord/fold';
import { IntakeError } from '../../src/intake/errors';
import { withoutCredentials } from '../../src/intake/fetch-page';
import type { AddedArticle } from '../../src/intake/intake';
import { FIND_MAX_LENGTH, FIND_MAX_WORDS } from '../sources/definition';
import { mayModerate, moderationRefusal, REFUSAL_LOGGED, type BotContext, type Choice, type Command, type CommandCall, type Respond } from '../command';
import { definition } from './definition';
import { renamedTo } from './renamed';
import { renderAdded, renderArticleBeingAdded, renderArticleBeingRemoved, renderArticleChoices, renderArticleRefused, renderArticleUsage, renderIntakeRefusal, renderLastArticle, renderNoSuchArticle, renderRemoved } from './render';

/** @example await article({ subcommand: 'add', options: { url: 'https://…' }, member, guildId }, respond, ctx) */
export async function article(call: CommandCall, respond: Respond, ctx: BotContext): Promise<void> {
  const { member } = call;
  const refusal = moderationRefusal(call, ctx);
  if (refusal) {
    ctx.log.warn(`article refused: ${REFUSAL_LOGGED[refusal]}`, { user: member.id, name: member.name, guild: call.guildId, action: call.subcommand });
    return respond.reply(renderArticleRefused(refusal), { ephemeral: true });
  }
  if (call.subcommand === 'remove') return remove(call, respond, ctx);
  return add(call, respond, ctx);
}

async function add(call: CommandCall, respond: Respond, ctx: BotContext): Promise<void> {
  const { member } = call;
  const file = call.attachments?.file;
  const url = typeof call.options.url === 'string' ? call.options.url.trim() : '';
  if (Boolean(file) === Boolean(url)) return respond.reply(renderArticleUsage(), { ephemeral: true });
  // Fetching, extracting and the reload can take seconds: acknowledge first.
  await respond.defer({ ephemeral: true });
  // A password in a link is the moderator's, not the log's.
  const source = file ? { file: file.name, size: file.size } : { url: withoutCredentials(url) };
  ctx.log.info('article add', { user: member.id, name: member.name, guild: call.guildId, ...source });
  const addedBy = `${member.name} (${member.id})`;
  let report: ReloadReport | undefined;
  // Reloaded before the add's mark ends: the same article added again meanwhile is refused, not saved twice.
  const load = async (added: AddedArticle, alreadyRead: Article) => {
    ctx.log.info('article added', {
      user: member.id,
      name: member.name,
      file: added.file,
      title: added.title,
      replaced: added.replaced.map((r) => r.file),
      setAside: added.replaced.map((r) => r.setAsideTo),
    });
    report = await reloadAfterChange(ctx, { id: member.id, name: member.name }, [alreadyRead]);
  };
  let added: AddedArticle;
  try {
    added = file ? await ctx.intake.addFromUpload(file, addedBy, load) : await ctx.intake.addFromLink(url, addedBy, load);
  } catch (err) {
    if (!(err instanceof IntakeError)) throw err;
    ctx.log.warn('article add refused', { user: member.id, name: member.name, ...source, kind: err.kind, reason: err.message });
    return respond.reply(renderIntakeRefusal(err.message));
  }
  // Set: the intake awaits `load` before it returns (addMarked in src/intake/intake.ts), and a reload that throws
  // rejects the add. A fallback reload here would never run, and would run outside the add's mark if it did.
  await respond.reply(renderAdded(added, report!));
}

async function remove(call: CommandCall, respond: Respond, ctx: BotContext): Promise<void> {
  const { member } = call;
  const id = String(call.options.article ?? '').trim();
  const loaded = ctx.engine.articles();
  const target = loaded.find((a) => a.id === id || a.file === id);
  // Saved, not loaded yet (or loaded over a file of the same name it replaces): marked by the intake from its save.
  const adding = target?.file ?? id;
  if (ctx.intake.beingAdded(adding)) return respond.reply(renderArticleBeingAdded(adding), { ephemeral: true });
  if (!target) return respond.reply(renderNoSuchArticle(id, loaded.length), { ephemeral: true });
  // The last article stays: a reload that finds none keeps the old index serving (a folder unmounted looks the same),
  // so the removal would not show; a folder that never had one starts empty instead. Checked and
  // marked with no await between, so two removals at once cannot both pass.
  const { removing } = ctx.state;
  // A second removal of the same file would fail to move it and, on its way out, unmark it while the first reloads.
  if (removing.has(target.file)) return respond.reply(renderArticleBeingRemoved(target), { ephemeral: true });
  const others = ctx.engine.articles().filter((a) => a.file !== target.file && !removing.has(a.file)).map((a) => a.file);
  const refuseLast = () => {
    ctx.log.warn('article remove refused: the last article', { user: member.id, name: member.name, file: target.file });
    return respond.reply(renderLastArticle(target), { ephemeral: true });
  };
  if (others.length === 0) return refuseLast();
  removing.add(target.file);
  try {
    // The index still quotes a file set aside by a removal whose reload failed: one of the others must be in the folder.
    if (!(await ctx.intake.anyInFolder(others))) return refuseLast();
    await respond.defer({ ephemeral: true });
    let setAsideTo: string | null;
    try {
      ({ setAsideTo } = await ctx.intake.remove(target.file));
    } catch (err) {
      if (!(err instanceof IntakeError)) throw err;
      // Quoted, but its file already gone (the host's doing, or a removal whose reload failed): the reload drops it.
      if (err.kind === 'no-such-article') setAsideTo = null;
      else {
        ctx.log.warn('article remove refused', { user: member.id, name: member.name, file: target.file, kind: err.kind, reason: err.message });
        return respond.reply(renderIntakeRefusal(err.message));
      }
    }
    ctx.log.info('article removed', { user: member.id, name: member.name, guild: call.guildId, file: target.file, title: target.title, setAside: setAsideTo ?? 'its file was already gone' });
    const report = await reloadAfterChange(ctx, { id: member.id, name: member.name });
    const listed = ctx.engine.articles();
    const servedAgain = listed.some((a) => a.file === target.file);
    // Gone before, and quoted from another name: the host renamed its file (the same inode, size and time).
    const renamed = setAsideTo === null && !servedAgain ? renamedTo(target, loaded, listed) : null;
    await respond.reply(renderRemoved(target, setAsideTo, report, servedAgain, renamed));
  } finally {
    removing.delete(target.file);
  }
}

/** Reloads so the change shows (a reload asked during a running build gets a build of its own after it); under
 * sharding the other shards read the same folder, so they take this build too. */
async function reloadAfterChange(ctx: BotContext, requestedBy: Requester, alreadyRead?: readonly Article[]): Promise<ReloadReport> {
  const report = await ctx.engine.reload({ requestedBy, waitForSnapshot: ctx.shards !== null, alreadyRead });
  if (ctx.shards) await ctx.shards.shareReload(requestedBy).catch((err: unknown) => ctx.log.warn('article: could not reload every shard', { err }));
  return report;
}

/**
 * The loaded articles whose title or file holds every word typed, in any order, capitals and accents aside, as
 * `/sources find:` matches (all of them, up to 25, when nothing is typed), but not one being removed; nothing for a
 * member who may not moderate (the data folder's file names are not theirs to list).
 * @example autocompleteArticle({ name: 'article', value: 'obama PUTIN' }, ctx, call) // [{ name: 'Putin, Obama agree… — putin.txt', value: 'putin.txt' }]
 */
export function autocompleteArticle(focused: { name: string; value: string }, ctx: BotContext, call: Pick<CommandCall, 'member' | 'guildId'>): Choice[] {
  if (focused.name !== 'article' || !mayModerate(call, ctx)) return [];
  // Each keystroke asks again, so /sources find's caps hold: a pasted 6,000-character word made a pattern that held
  // the bot seconds over 50,000 articles, then overflowed the stack; each word more is a pass over every article.
  const typed = typedPrefix(focused.value, FIND_MAX_LENGTH);
  const patterns = findWords(typed).slice(0, FIND_MAX_WORDS).map(foldedPattern);
  // An article being removed is still loaded until its reload ends; removing it again would only be refused.
  const { removing } = ctx.state;
  return renderArticleChoices(ctx.engine.articles().filter((a) => !removing.has(a.file) && holdsEvery([a.title, a.file], patterns)));
}

export const command: Command = { definition, execute: article, autocomplete: autocompleteArticle };
