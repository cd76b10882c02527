import { describe, expect, it } from 'vitest';
import { mayModerate, moderationRefusal, serverRefusal, type Member } from './command';

const member = (over: Partial<Member> = {}): Member => ({ id: '1', name: 'Mod', roleIds: [], canManageServer: false, ...over });
const HOME = '900000000000000002';
const OTHER = '900000000004194306';

describe('who may change the sources', () => {
  it('a member with Manage Server or a moderator role, in its one server when no moderators\' server is set', () => {
    const ctx = { moderatorRoleIds: ['42'], moderatorGuildId: null, servers: () => 1 };
    expect(moderationRefusal({ member: member({ canManageServer: true }), guildId: OTHER }, ctx)).toBeNull();
    expect(moderationRefusal({ member: member({ roleIds: ['42'] }), guildId: HOME }, ctx)).toBeNull();
    expect(moderationRefusal({ member: member({ roleIds: ['7'] }), guildId: HOME }, ctx)).toBe('not-moderator');
    expect(mayModerate({ member: member({ roleIds: ['7'] }), guildId: HOME }, ctx)).toBe(false);
  });

  it('says when the call comes from another server than the moderators\' one, even from an admin there', () => {
    const ctx = { moderatorRoleIds: ['42'], moderatorGuildId: HOME, servers: () => 3 };
    expect(moderationRefusal({ member: member({ canManageServer: true }), guildId: HOME }, ctx)).toBeNull();
    expect(moderationRefusal({ member: member({ canManageServer: true, roleIds: ['42'] }), guildId: OTHER }, ctx)).toBe('other-server');
    expect(moderationRefusal({ member: member(), guildId: null }, ctx)).toBe('other-server');
    expect(mayModerate({ member: member({ canManageServer: true }), guildId: OTHER }, ctx)).toBe(false);
  });

  it("nobody, admins included, when none is set and the bot is in more than one server (anyone can add a public bot to theirs)", () => {
    const ctx = { moderatorRoleIds: ['42'], moderatorGuildId: null, servers: () => 2 };
    expect(moderationRefusal({ member: member({ canManageServer: true, roleIds: ['42'] }), guildId: HOME }, ctx)).toBe('no-moderators-server');
    expect(mayModerate({ member: member({ canManageServer: true }), guildId: OTHER }, ctx)).toBe(false);
  });
});

describe('serverRefusal: whether moderators of a server may change the sources from it, whoever asks', () => {
  it('tells the moderators\' server from the others, and a lone server from one of several with none named', () => {
    expect(serverRefusal(HOME, { moderatorGuildId: HOME, servers: () => 3 })).toBeNull();
    expect(serverRefusal(OTHER, { moderatorGuildId: HOME, servers: () => 3 })).toBe('other-server');
    expect(serverRefusal(OTHER, { moderatorGuildId: null, servers: () => 1 })).toBeNull();
    expect(serverRefusal(OTHER, { moderatorGuildId: null, servers: () => Number.POSITIVE_INFINITY })).toBe('no-moderators-server');
  });
});
