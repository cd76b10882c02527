/**
 * `npm run deploy-commands`: registers every command definition (`commands/<name>/definition.ts`) with Discord —
 * for one guild when DISCORD_GUILD_ID is set (instant, for testing), globally otherwise (may take up to an hour
 * to show). It loads the definitions only: no behaviour, no engine, no model.
 */
import { pathToFileURL } from 'node:url';
import { REST, Routes } from 'discord.js';
import type { Definition } from '../../commands/command';
import { loadDefinitions } from '../../commands';
import { addSecret, createLogger, readLogLevel, type Logger } from '../log';
import { loadDotenv, SettingProblems } from '../config';
import { scriptOptions } from '../cli/args';
import { checkUnreadEnvFile, ConfigError, readBotConfig, type BotConfig } from './config';
import { describeDeployFailure } from './discord-failure';

/**
 * @example await deployCommands(readBotConfig(process.env, { deploy: true }), createLogger()) // { scope: 'guild', names: ['about', …] }
 */
export async function deployCommands(config: BotConfig, log: Logger, body?: Definition[]): Promise<{ scope: 'guild' | 'global'; names: string[] }> {
  addSecret(config.token);
  if (!config.clientId) throw new Error('DISCORD_CLIENT_ID is not set');
  const definitions = body ?? (await loadDefinitions());
  const rest = new REST({ version: '10', ...(config.apiBase ? { api: config.apiBase } : {}) }).setToken(config.token);
  const route = config.guildId ? Routes.applicationGuildCommands(config.clientId, config.guildId) : Routes.applicationCommands(config.clientId);
  const result = (await rest.put(route, { body: definitions })) as Array<{ name: string }>;
  const names = result.map((c) => c.name);
  const scope = config.guildId ? 'guild' : 'global';
  log.info('commands deployed', { scope, guild: config.guildId, commands: names });
  return { scope, names };
}

const USAGE = `usage: npm run deploy-commands
  registers the slash commands with Discord: DISCORD_TOKEN and DISCORD_CLIENT_ID (environment or .env); with
  DISCORD_GUILD_ID in that server only (at once), without it globally (up to an hour)`;
const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  // No options: --help prints the usage rather than registering the commands; anything else is refused (exit 2).
  scriptOptions(process.argv.slice(2), {}, USAGE);
  const envFileError = loadDotenv();
  const log = createLogger();
  let config: BotConfig | undefined;
  try {
    // Every bad setting named at once, an unreadable .env among them, as at the start.
    const problems = new SettingProblems();
    problems.take(() => readLogLevel(), null);
    const read = problems.take(() => readBotConfig(process.env, { deploy: true }), undefined);
    if (envFileError) problems.take(() => checkUnreadEnvFile(envFileError, read ?? null, { deploy: true }), undefined);
    problems.throwIfAny();
    if (envFileError) log.warn(envFileError.goingOn);
    config = read!;
    const { scope, names } = await deployCommands(config, log);
    process.stdout.write(`Registered ${names.length} commands (${names.map((n) => `/${n}`).join(', ')}) ${scope === 'guild' ? 'in the guild' : 'globally (may take up to an hour to appear)'}.\n`);
  } catch (err) {
    // One line for the operator; the stack only at debug level.
    log.error(err instanceof ConfigError ? `configuration error: ${err.message}` : `deploy failed: ${describeDeployFailure(err, config)}`);
    log.debug('deploy failure', { err });
    process.exitCode = 1;
  }
}
