import { describe, expect, it } from 'vitest';
import { ConfigError, readBotConfig } from './config';

const TOKEN = 'MTExMTExMTExMTExMTExMTEx.GaBcDe.fakefakefakefakefakefakefakefake12';

describe('readBotConfig', () => {
  it('names every bad setting, one a line, not only the first (an owner fixed one, restarted, and met the next)', () => {
    const env = { DISCORD_TOKEN: 'Bot abc', SHARD_COUNT: 'abc', ASK_COOLDOWN_SECONDS: 'soon', MODERATOR_ROLE_IDS: 'mods' };
    const err = (() => {
      try {
        readBotConfig(env);
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect(err!.problems.map((p) => p.split(' ')[0])).toEqual(['DISCORD_TOKEN', 'MODERATOR_ROLE_IDS', 'ASK_COOLDOWN_SECONDS', 'SHARD_COUNT']);
    expect(err!.message.split('\n')).toEqual(['4 settings are wrong:', ...err!.problems.map((p) => `- ${p}`)]);
    expect(err!.message).not.toContain('Bot abc');
  });

  it('reads defaults', () => {
    expect(readBotConfig({ DISCORD_TOKEN: TOKEN })).toEqual({
      token: TOKEN,
      clientId: undefined,
      guildId: undefined,
      apiBase: undefined,
      moderatorRoleIds: [],
      moderatorGuildId: null,
      askCooldownSeconds: 5,
      shardCount: null,
    });
  });

  it('takes the moderators\' server from MODERATOR_GUILD_ID, else DISCORD_GUILD_ID, and names a bad one', () => {
    expect(readBotConfig({ DISCORD_TOKEN: TOKEN, DISCORD_GUILD_ID: '900000000000000002' }).moderatorGuildId).toBe('900000000000000002');
    expect(readBotConfig({ DISCORD_TOKEN: TOKEN, DISCORD_GUILD_ID: '900000000000000002', MODERATOR_GUILD_ID: '900000000000000009' }).moderatorGuildId).toBe('900000000000000009');
    expect(() => readBotConfig({ DISCORD_TOKEN: TOKEN, MODERATOR_GUILD_ID: 'home' })).toThrow(/MODERATOR_GUILD_ID/);
  });

  it('reads every setting', () => {
    const c = readBotConfig({
      DISCORD_TOKEN: ` ${TOKEN} `,
      DISCORD_CLIENT_ID: '123456789012345678',
      DISCORD_GUILD_ID: '223456789012345678',
      DISCORD_API_BASE: 'http://127.0.0.1:8080/api/',
      MODERATOR_ROLE_IDS: '323456789012345678, 423456789012345678',
      ASK_COOLDOWN_SECONDS: '0',
      SHARD_COUNT: '2',
    });
    expect(c).toMatchObject({ apiBase: 'http://127.0.0.1:8080/api', moderatorRoleIds: ['323456789012345678', '423456789012345678'], askCooldownSeconds: 0, shardCount: 2 });
    expect(readBotConfig({ DISCORD_TOKEN: TOKEN, SHARD_COUNT: 'Auto' }).shardCount).toBe('auto');
  });

  it.each([
    [{}, /DISCORD_TOKEN is not set/],
    [{ DISCORD_TOKEN: 'Bot abc' }, /DISCORD_TOKEN does not look like a bot token/],
    [{ DISCORD_TOKEN: TOKEN, DISCORD_GUILD_ID: 'my-guild' }, /DISCORD_GUILD_ID must be a Discord id/],
    [{ DISCORD_TOKEN: TOKEN, DISCORD_API_BASE: 'https://discord.com/api/v10' }, /DISCORD_API_BASE must not include the API version/],
    [{ DISCORD_TOKEN: TOKEN, DISCORD_API_BASE: 'ftp://x' }, /DISCORD_API_BASE must be an http\(s\) URL/],
    [{ DISCORD_TOKEN: TOKEN, MODERATOR_ROLE_IDS: '123456789012345678,mods' }, /MODERATOR_ROLE_IDS must be comma-separated role ids/],
    // Every bad id at once (named one by one, each fix met the next), a role's mention told from its id.
    [{ DISCORD_TOKEN: TOKEN, MODERATOR_ROLE_IDS: '<@&123456789012345678>, 223456789012345678 323456789012345678' }, /role ids \(17–20 digits each\), got "<@&123456789012345678>" \(a mention: the id alone, without <@& >\), "223456789012345678 323456789012345678"$/],
    [{ DISCORD_TOKEN: TOKEN, ASK_COOLDOWN_SECONDS: 'soon' }, /ASK_COOLDOWN_SECONDS must be a number/],
    [{ DISCORD_TOKEN: TOKEN, SHARD_COUNT: 'two' }, /SHARD_COUNT must be "auto" or a whole number of shards from 1 to 1024, got "two"/],
    [{ DISCORD_TOKEN: TOKEN, SHARD_COUNT: '0' }, /SHARD_COUNT must be "auto" or a whole number/],
    [{ DISCORD_TOKEN: TOKEN, SHARD_COUNT: '2.5' }, /SHARD_COUNT must be "auto" or a whole number/],
  ])('names the variable and what is wrong: %j', (env, message) => {
    expect(() => readBotConfig(env as NodeJS.ProcessEnv)).toThrow(ConfigError);
    expect(() => readBotConfig(env as NodeJS.ProcessEnv)).toThrow(message);
  });

  it('needs the client id to deploy', () => {
    expect(() => readBotConfig({ DISCORD_TOKEN: TOKEN }, { deploy: true })).toThrow(/DISCORD_CLIENT_ID is not set/);
  });

  it('never puts the token in an error message', () => {
    try {
      readBotConfig({ DISCORD_TOKEN: `${TOKEN} extra` });
    } catch (err) {
      expect((err as Error).message).not.toContain('fakefake');
    }
  });
});
