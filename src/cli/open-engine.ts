/**
 * Opening the engine for the command-line front ends: settings from the environment, files that could not be
 * read reported by name on stderr (never stdout, which `--json` owns).
 */
import dotenv from 'dotenv';
import path from 'node:path';
import { openEngine, type AnswerEngine } from '../engine';
import { readEngineSettings } from '../config';
import { buildProgress } from './progress';

/** `showProgress`: a progress bar on stderr during the build when stderr is a terminal (`--json` runs pass false). */
export async function openEngineForCli(dataDirOverride?: string, showProgress = true): Promise<AnswerEngine> {
  dotenv.config({ quiet: true });
  const settings = readEngineSettings();
  const progress = showProgress ? buildProgress() : null;
  const engine = await openEngine({
    ...settings,
    dataDir: dataDirOverride ? path.resolve(dataDirOverride) : settings.dataDir,
    warn: (m) => process.stderr.write(`warning: ${m}\n`),
    onProgress: progress?.onProgress,
  }).finally(() => progress?.stop());
  for (const e of engine.status().lastReload?.errors ?? []) process.stderr.write(`skipped ${e.file}: ${e.reason}\n`);
  return engine;
}

/** Runs a command-line main, turning any error into one line on stderr and exit code 1. */
export function runMain(main: () => Promise<void>): void {
  main().catch((err: Error) => {
    process.stderr.write(`error: ${err.message}\n`);
    process.exitCode = 1;
  });
}
