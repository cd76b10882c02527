import { beforeAll, describe, expect, it } from 'vitest';
import { openEngine } from '../../src/engine';
import { tempDirs } from '../../test/temp-dirs';
import type { AnswerEngine } from '../../src/engine/types';
import type { Reply } from '../../src/discord/reply';
import type { BotContext, CommandCall, Respond } from '../command';
import { createBotState } from '../state';
import { ask } from './index';

describe('/ask on an empty index', () => {
  const tmp = tempDirs();
  let engine: AnswerEngine;
  beforeAll(async () => {
    engine = await openEngine({ dataDir: tmp('ask-data-'), cacheDir: tmp('ask-cache-'), warn: () => {} });
  }, 60_000);

  /** What a member of `guildId` is told, privately or not (the real engine, on a folder with no article). */
  async function told(guildId: string | null, settings: Pick<BotContext, 'moderatorGuildId' | 'servers'>): Promise<{ text?: string; ephemeral?: boolean }> {
    const replies: Array<{ reply: Reply; ephemeral?: boolean }> = [];
    const respond: Respond = { defer: async () => {}, progress: async () => {}, reply: async (reply, o) => void replies.push({ reply, ephemeral: o?.ephemeral }) };
    const ctx = { engine, moderatorRoleIds: [], state: createBotState({ askCooldownSeconds: 5 }), ...settings } as unknown as BotContext;
    const call: CommandCall = { options: { question: 'How long did they meet?' }, guildId, member: { id: '1', name: 'Ana', roleIds: [], canManageServer: false } };
    await ask(call, respond, ctx);
    return { text: replies[0]?.reply.content, ephemeral: replies[0]?.ephemeral };
  }

  it('says who can add articles as /sources does, never "ask again" where nobody can add any', async () => {
    expect(await told('7', { moderatorGuildId: null, servers: () => 1 })).toEqual({ text: 'No articles are loaded yet: moderators add them with `/article add`.', ephemeral: true });
    expect((await told('8', { moderatorGuildId: '7', servers: () => 2 })).text).toMatch(/^No articles are loaded yet: moderators of the server the bot's sources belong to add them/);
    // In more than one server (or in shards) with none named, nobody can add any: "ask again once added" was false.
    const nobody = (await told('7', { moderatorGuildId: null, servers: () => 2 })).text;
    expect(nobody).toMatch(/^No articles are loaded yet, and moderators cannot add any until the bot's owner names/);
    expect(nobody).not.toMatch(/ask again/);
    // In a direct message (no server): with the moderators' server named, its moderators; with one server, its own.
    expect((await told(null, { moderatorGuildId: '7', servers: () => 2 })).text).toMatch(/^No articles are loaded yet: moderators of the server the bot's sources belong to add them/);
    expect((await told(null, { moderatorGuildId: null, servers: () => 1 })).text).toBe('No articles are loaded yet: moderators add them with `/article add`.');
  });
});
