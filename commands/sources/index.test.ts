import { beforeAll, describe, expect, it } from 'vitest';
import { openEngine } from '../../src/engine';
import { tempDirs } from '../../test/temp-dirs';
import type { AnswerEngine } from '../../src/engine/types';
import type { Reply } from '../../src/discord/reply';
import type { BotContext, CommandCall, Respond } from '../command';
import { command, sourcesQuery } from './index';

describe('sourcesQuery', () => {
  it('passes the page and find on as the client sent them', () => {
    expect(sourcesQuery({})).toEqual({});
    expect(sourcesQuery({ page: 3, find: 'putin obama' })).toEqual({ page: 3, find: 'putin obama' });
  });

  it('turns a page of another type into NaN, for the renderer to refuse, and ignores a find of another type', () => {
    expect(sourcesQuery({ page: '2', find: 7 })).toEqual({ page: NaN });
    expect(sourcesQuery({ page: true })).toEqual({ page: NaN });
  });
});

describe('/sources on an empty index', () => {
  const tmp = tempDirs();
  let engine: AnswerEngine;
  beforeAll(async () => {
    engine = await openEngine({ dataDir: tmp('sources-data-'), cacheDir: tmp('sources-cache-'), warn: () => {} });
  }, 60_000);

  /** What a member of `guildId` is shown, the moderators' settings as given (the real engine, on a folder with no article). */
  async function shown(guildId: string, settings: Pick<BotContext, 'moderatorGuildId' | 'servers'>): Promise<string | undefined> {
    const replies: Reply[] = [];
    const respond: Respond = { defer: async () => {}, progress: async () => {}, reply: async (r) => void replies.push(r) };
    const ctx = { engine, moderatorRoleIds: [], ...settings } as unknown as BotContext;
    const call: CommandCall = { options: {}, guildId, member: { id: '1', name: 'Ana', roleIds: [], canManageServer: false } };
    await command.execute(call, respond, ctx);
    return replies[0]?.embeds?.[0].description;
  }

  it('says who can add articles as the moderator commands judge it, for the server the member asks from', async () => {
    expect(await shown('7', { moderatorGuildId: null, servers: () => 1 })).toMatch(/^No articles are loaded yet: moderators add them with `\/article add`\.$/);
    expect(await shown('8', { moderatorGuildId: '7', servers: () => 2 })).toMatch(/^No articles are loaded yet: moderators of the server the bot's sources belong to add them/);
    expect(await shown('7', { moderatorGuildId: '7', servers: () => 2 })).toMatch(/^No articles are loaded yet: moderators add them/);
    // In more than one server (or in shards) with none named, /article and /reload are refused to everyone.
    expect(await shown('7', { moderatorGuildId: null, servers: () => 2 })).toMatch(/^No articles are loaded yet, and moderators cannot add any until the bot's owner names/);
  });
});
