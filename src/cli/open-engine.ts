/**
 * Opening the engine for the command-line front ends: settings from the environment, files that could not be
 * read reported by name on stderr (never stdout, which `--json` owns). Whatever is printed may name a file or
 * quote one, so it goes through `shownText` (a file name can hold ESC; an article, the token).
 */
import path from 'node:path';
import { openEngine, type AnswerEngine } from '../engine';
import { loadDotenv, readEngineSettings, type EngineSettings } from '../config';
import { UsageError } from './args';
import { buildProgress } from './progress';
import { addSecret } from '../log';
import { shownText } from '../shown-text';
import { endQuietlyWhenOutputCloses } from './closed-output';

/**
 * Settings from the environment (and `.env`), with `--data DIR` taking the place of DATA_DIR.
 * `showProgress` false (`--json` runs) keeps the build's progress bar off.
 */
export async function openEngineForCli(dataDirOverride?: string, showProgress = true): Promise<AnswerEngine> {
  const envFileError = loadDotenv();
  if (envFileError) throw envFileError;
  // Run beside the bot's .env, the token is known: masked wherever the sources hold it, as the bot masks it.
  addSecret(process.env.DISCORD_TOKEN?.trim());
  const settings = readEngineSettings();
  return openEngineReadably({ ...settings, dataDir: dataDirOverride ? path.resolve(dataDirOverride) : settings.dataDir }, showProgress);
}

/**
 * Opens the engine with warnings and skipped files as readable lines on stderr, and a progress bar on stderr
 * while it builds when stderr is a terminal.
 */
export async function openEngineReadably(settings: EngineSettings, showProgress = true): Promise<AnswerEngine> {
  const progress = showProgress ? buildProgress() : null;
  const engine = await openEngine({ ...settings, warn: (m) => process.stderr.write(shownText(`warning: ${m}\n`)), onProgress: progress?.onProgress }).finally(() =>
    progress?.stop(),
  );
  for (const e of engine.status().lastReload?.errors ?? []) process.stderr.write(shownText(`skipped ${e.file}: ${e.reason}\n`));
  return engine;
}

/**
 * Runs a command-line main, turning any error into one line on stderr (then the usage, for a `UsageError`) and exit
 * status 2 for a command line that cannot be read, 1 for anything else (as every script of the project).
 */
export function runMain(main: () => Promise<void>): void {
  endQuietlyWhenOutputCloses();
  main().catch((err: Error) => {
    process.stderr.write(shownText(`error: ${err.message}\n`));
    process.exitCode = err instanceof UsageError ? 2 : 1;
  });
}
