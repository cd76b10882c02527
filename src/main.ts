/**
 * `npm start`: the Discord bot when DISCORD_TOKEN is set, otherwise the terminal mode. Both call the same engine.
 * With SHARD_COUNT set, this process becomes discord.js' ShardingManager and runs this same file once per shard
 * (discord.js marks those processes with SHARDING_MANAGER and tells each its shard through SHARDS / SHARD_COUNT).
 * A start that cannot go on (a bad setting, no readable article, a token Discord rejects, Discord out of reach)
 * ends at once with one line saying why and exit code 1; the stack is logged at debug level only.
 */
import { fileURLToPath } from 'node:url';
import { checkUnreadEnvFile, readBotConfig } from './bot/config';
import { createShardManager, SHARD_BUILT } from './bot/shard-manager';
import { DiscordStartError, startBot, type RunningBot } from './bot/start-bot';
import { scriptOptions } from './cli/args';
import { startTerminal } from './cli/terminal';
import { ConfigError, dataDirOf, EnvFileError, loadDotenv, readEngineSettings, SettingProblems } from './config';
import { EngineStartError, openEngine, SNAPSHOT_EXIT_WAIT_MS } from './engine';
import { createArticleIntake, readIntakeSettings } from './intake';
import { createLogger, readLogLevel } from './log';
import { shownText } from './shown-text';

const USAGE = `usage: npm start
  the Discord bot when DISCORD_TOKEN is set (environment or .env), otherwise questions typed in the terminal;
  every setting is an environment variable (README "Configuration")`;
// No options: --help prints the usage (it would otherwise start the bot); anything else is refused (exit 2).
scriptOptions(process.argv.slice(2), {}, USAGE);
const envFileError = loadDotenv();
/** Set in the processes the ShardingManager spawns. */
const shardProcess = Boolean(process.env.SHARDING_MANAGER);
const log = shardProcess ? createLogger().child({ shard: Number(process.env.SHARDS) }) : createLogger();

/** No token: the terminal mode, which writes readable lines, not the bot's JSON log. */
const terminalMode = !process.env.DISCORD_TOKEN?.trim();

async function main(): Promise<void> {
  // Without a token in the environment, .env may hold it: starting would fall into the terminal mode unseen.
  if (envFileError && terminalMode) throw envFileError;
  // Every setting checked before the (slower) login and build, so typos fail in a second, all named at once.
  const problems = new SettingProblems();
  problems.take(() => readLogLevel(), null);
  const settings = problems.take(() => readEngineSettings(), null);
  if (terminalMode) {
    problems.throwIfAny();
    // Without a token, the terminal mode: readable lines on stderr, not JSON logs above its prompt.
    return startTerminal(settings!);
  }
  const botConfig = problems.take(() => readBotConfig(), null);
  const intakeSettings = problems.take(() => readIntakeSettings(process.env, settings ?? { dataDir: dataDirOf(process.env), maxFileBytes: 0 }), null);
  if (envFileError) problems.take(() => checkUnreadEnvFile(envFileError, botConfig), undefined);
  problems.throwIfAny();
  // Only to narrow the types: each is null only when throwIfAny has thrown.
  if (!settings || !botConfig || !intakeSettings) return;
  if (envFileError) log.warn(envFileError.goingOn);
  if (botConfig.shardCount && !shardProcess) {
    // The manager only supervises: each shard process opens its own engine.
    const onGiveUp = (why: string) => {
      log.error(`stopped: ${why}`);
      process.exit(1);
    };
    const entry = fileURLToPath(import.meta.url);
    const shards = createShardManager({ config: botConfig, log, entry, exitWaitMs: SNAPSHOT_EXIT_WAIT_MS + 10_000, onGiveUp });
    // Before the start, which takes minutes: a stop then ends the shards started so far, and starts no more.
    onStopSignal((signal) => {
      log.info('shutting down', { signal });
      shards.stop().finally(() => process.exit(0));
    });
    return shards.start();
  }
  let bot: RunningBot | undefined;
  let engine: Awaited<ReturnType<typeof openEngine>> | undefined;
  // In place before the login, which can wait a minute on Discord: a stop then found no handler and killed the process.
  const stop = onStopSignal((signal) => {
    log.info('shutting down', { signal });
    // Not logged in yet: no session to close, no index to write. Ending now beats waiting for Discord (and discord.js
    // cannot give a login up half way: its destroy while waiting for Discord's HELLO reconnects and never settles).
    if (!bot) process.exit(0);
    // A reload's snapshot still being written is finished first (bounded), or the next start rebuilds the index.
    const snapshot = async () =>
      !engine ||
      engine.snapshotWritten(SNAPSHOT_EXIT_WAIT_MS, () => log.info('waiting for the index snapshot to be written', { timeoutMs: SNAPSHOT_EXIT_WAIT_MS }));
    bot
      .stop()
      .then(snapshot)
      .then((written) => written || log.warn('the index snapshot was not written in time; the next start rebuilds the index'))
      .finally(() => process.exit(0));
  });
  if (shardProcess) {
    // A shard whose manager is gone (killed outright) ends with it rather than serve on unsupervised, also when the
    // manager went before this listener existed (the channel is closed then).
    process.once('disconnect', () => stop('sharding manager gone'));
    if (!process.connected) stop('sharding manager gone');
    // discord.js tells the manager of every gateway event; with the manager gone that is an 'error' event on the
    // process, which would end it before it has logged out.
    process.on('error', (err) => log.debug('message to the sharding manager not sent', { err }));
  }
  // Log in first, then build: a cold build takes minutes, and meanwhile members get "still starting", not Discord's
  // "did not respond". A token Discord rejects fails here, before any build.
  bot = await startBot({ config: botConfig, log });
  try {
    engine = await openEngine({ ...settings, warn: (message) => log.warn(message) });
  } catch (err) {
    // Nothing may stay running: log out, then main's catch gives the one line and exit code 1.
    await bot.stop();
    throw err;
  }
  const { articles, sentences, model, lastReload } = engine.status();
  log.info('index built', { articles, sentences, model, tookMs: lastReload?.tookMs, fromSnapshot: lastReload?.fromSnapshot ?? false, dataDir: settings.dataDir });
  for (const e of lastReload?.errors ?? []) log.warn('article file skipped', { file: e.file, reason: e.reason });
  if (articles === 0) {
    // Unset, /article and /reload are refused in more than one server or in shards (servers may join later).
    const unnamed = botConfig.moderatorGuildId === null ? '; with MODERATOR_GUILD_ID unset, only while the bot is in one server (not in shards)' : '';
    log.warn(`no articles are loaded yet from ${settings.dataDir}: members are told so; moderators add articles with /article add (or put .txt or .md files there and /reload)${unnamed}`);
  }
  // From now on a failure anywhere must not take the bot down; the router already answers the member. (During the
  // build a crash still ends the process, rather than leave it "still starting" for ever.)
  process.on('unhandledRejection', (reason) => log.error('unhandled rejection', { err: reason }));
  process.on('uncaughtException', (err) => log.error('uncaught exception', { err }));
  const built = engine;
  bot.serve(built, createArticleIntake(intakeSettings, () => built.articles()));
  // The manager starts the next shard once this one is built, so that one loads this build's snapshot.
  if (shardProcess && process.connected) process.send?.(SHARD_BUILT);
}

/**
 * Calls `stop` on the first SIGINT or SIGTERM (or call of the function returned) and ignores the ones after it while
 * it stops: a second comes when a stop is asked twice, or when npm passes on the signal the terminal (Ctrl-C) or
 * systemd also sent the bot, and with `process.once` it found no handler and killed the process before it had logged
 * out. The stop is bounded (a snapshot waits at most SNAPSHOT_EXIT_WAIT_MS); SIGKILL still ends it at once.
 */
function onStopSignal(stop: (why: string) => void): (why: string) => void {
  let stopping = false;
  const once = (why: string) => {
    if (stopping) return;
    stopping = true;
    stop(why);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => once(signal));
  return once;
}

main().catch((err: Error) => {
  // The terminal mode's person reads one plain line, as its other messages (the bot's JSON log is for a service).
  if (terminalMode && !(err instanceof EnvFileError)) {
    const why = err instanceof ConfigError ? `configuration error: ${err.message}` : `could not start: ${err.message}`;
    // As every line of the terminal's: a token in it (pasted into another setting, a file's name) masked, as the log masks it.
    process.stderr.write(shownText(`error: ${why}\n`));
  } else if (err instanceof ConfigError) log.error(`configuration error: ${err.message}`);
  else if (err instanceof DiscordStartError || err instanceof EngineStartError) log.error(`could not start: ${err.message}`);
  else log.error('could not start', { err });
  log.debug('start failure', { err: err.cause ?? err });
  // Nothing is left to finish: the client is destroyed and the engine has nothing pending. Exit now rather than
  // wait for idle sockets to close.
  process.exit(1);
});
