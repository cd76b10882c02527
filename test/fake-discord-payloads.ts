/**
 * What the fake Discord (fake-discord.ts) sends and returns, as plain data: a server as GUILD_CREATE carries it,
 * a message the bot sent as Discord returns it, and the common part of an interaction, with just the fields
 * discord.js reads; and the ids they use.
 */
/** The bot's application id (also its user id). */
export const APP_ID = '900000000000000001';
/** Another application, whose commands the bot's token may not change. */
export const OTHER_APP_ID = '900000000000000004';
/** The channel every interaction comes from. */
export const CHANNEL_ID = '900000000000000003';

/** A member who interacts with the bot. */
export interface FakeMember {
  id: string;
  username?: string;
  /** Server nickname: the display name the bot shows. */
  nick?: string;
  /** Permission bit field as a decimal string (default "0"). */
  permissions?: string;
  roles?: string[];
}

let seq = 1n;
/** A fresh id shaped like Discord's. */
export function snowflake(): string {
  // Snowflakes grow with time; a counter on top keeps them unique within one millisecond.
  return ((BigInt(Date.now() - 1420070400000) << 22n) + seq++).toString();
}

/** A server as GUILD_CREATE carries it (just what discord.js reads). */
export function guildPayload(id: string, roles: readonly string[]) {
  return {
    id,
    name: `Server ${id.slice(-4)}`,
    icon: null,
    owner_id: APP_ID,
    unavailable: false,
    member_count: 2,
    large: false,
    joined_at: '2020-01-01T00:00:00.000Z',
    features: [],
    roles: [id, ...roles].map((roleId, position) => ({
      id: roleId,
      name: roleId === id ? '@everyone' : `role ${roleId.slice(-4)}`,
      color: 0,
      hoist: false,
      position,
      permissions: '0',
      managed: false,
      mentionable: false,
      flags: 0,
    })),
    emojis: [],
    stickers: [],
    channels: [],
    threads: [],
    members: [],
    presences: [],
    voice_states: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
    preferred_locale: 'en-US',
  };
}

/** A message the bot sent, as Discord returns it (`body` is what the bot sent; `token` its interaction's, or null for a channel's message). */
export function messagePayload(body: any, token: string | null, channelId = CHANNEL_ID) {
  return {
    id: snowflake(),
    channel_id: channelId,
    author: { id: APP_ID, username: 'QuoteBot', discriminator: '0', global_name: null, avatar: null, bot: true },
    content: body?.content ?? '',
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: body?.embeds ?? [],
    components: body?.components ?? [],
    pinned: false,
    type: 20,
    flags: body?.flags ?? 0,
    webhook_id: APP_ID,
    application_id: APP_ID,
    interaction_token_for_tests: token,
  };
}

/** The part of an INTERACTION_CREATE every kind of interaction shares: who, where, the token. */
export function interactionPayload(member: FakeMember, token: string, guildId: string) {
  return {
    id: snowflake(),
    application_id: APP_ID,
    token,
    version: 1,
    guild_id: guildId,
    // Discord sends the channel as a partial object (discord.js reads the interaction's channel id from it).
    channel: { id: CHANNEL_ID, type: 0, guild_id: guildId, name: 'general' },
    channel_id: CHANNEL_ID,
    member: {
      user: { id: member.id, username: member.username ?? `member${member.id.slice(-4)}`, discriminator: '0', global_name: null, avatar: null },
      roles: member.roles ?? [],
      permissions: member.permissions ?? '0',
      joined_at: '2020-01-01T00:00:00.000Z',
      deaf: false,
      mute: false,
      flags: 0,
      nick: member.nick ?? null,
      avatar: null,
    },
    app_permissions: '2248473465835073',
    locale: 'en-US',
    guild_locale: 'en-US',
    entitlements: [],
    authorizing_integration_owners: { '0': guildId },
    context: 0,
  };
}
