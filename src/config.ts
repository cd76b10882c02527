/**
 * Engine settings from the environment (`.env` is loaded by the entry points, through `loadDotenv` here), validated
 * with messages that name the variable and what is wrong. Discord settings live in `src/bot/config.ts`.
 */
import dotenv from 'dotenv';
import { lstatSync, readlinkSync, statSync } from 'node:fs';
import path from 'node:path';

export interface EngineSettings {
  dataDir: string;
  cacheDir: string;
  /** Hugging Face id or local folder; undefined means the bundled offline model. */
  model: string | undefined;
  maxFileBytes: number;
}

/** A setting that is present but wrong; the message names the variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Reads DATA_DIR, CACHE_DIR, EMBEDDING_MODEL and MAX_FILE_MB (and looks whether a file stands where CACHE_DIR goes).
 * @example readEngineSettings({ DATA_DIR: 'data', MAX_FILE_MB: '5' })
 */
export function readEngineSettings(env: NodeJS.ProcessEnv = process.env): EngineSettings {
  const dataDir = path.resolve(env.DATA_DIR?.trim() || 'data');
  const cacheDir = path.resolve(env.CACHE_DIR?.trim() || '.cache');
  const mb = env.MAX_FILE_MB?.trim();
  let maxFileBytes = 5 * 1024 * 1024;
  if (mb) {
    const n = Number(mb);
    if (!Number.isFinite(n) || n <= 0 || n > 1024) {
      throw new ConfigError(`MAX_FILE_MB must be a number of megabytes above 0 and at most 1024, got ${JSON.stringify(mb)}`);
    }
    maxFileBytes = Math.round(n * 1024 * 1024);
  }
  // Checked here, once, for every front end (the engine trusts its options): the message can name the variables.
  if (cacheDir === dataDir || cacheDir.startsWith(dataDir + path.sep)) {
    throw new ConfigError(`CACHE_DIR (${cacheDir}) must not be inside DATA_DIR (${dataDir}): the data folder may be read-only or shared`);
  }
  const notFolder = fileInTheWay(cacheDir);
  if (notFolder) {
    // Else the start warned three times (snapshot not read, cache and snapshot not written) and every reload again.
    throw new ConfigError(`CACHE_DIR (${cacheDir}) must be a folder, but ${notFolder} is a file: the index snapshot and the embedding cache could never be written there`);
  }
  return { dataDir, cacheDir, model: env.EMBEDDING_MODEL?.trim() || undefined, maxFileBytes };
}

/** The nearest existing part of `dir` when it is no folder (a folder under it can never be made), else null. */
function fileInTheWay(dir: string): string | null {
  for (let at = dir; ; at = path.dirname(at)) {
    let kind;
    try {
      kind = statSync(at, { throwIfNoEntry: false });
    } catch (err) {
      // ENOTDIR: a file further up, found on the way. Otherwise (no permission to look) the engine's warnings say.
      if ((err as NodeJS.ErrnoException).code !== 'ENOTDIR') return null;
    }
    if (kind) return kind.isDirectory() ? null : at;
    if (path.dirname(at) === at) return null;
  }
}

/**
 * Loads `.env` from the working folder into the environment (variables already set win). No `.env` is fine; one that
 * is there but cannot be read (a folder, another user's file, a link to nothing) is returned as the error to report:
 * dotenv passes it over silently, and the bot then started without its settings — without its token, in the terminal mode, which
 * under a service manager reads an empty stdin and exits 0 at once, saying nothing of `.env`.
 * @example const envFileError = loadDotenv(); // null, or a ConfigError to throw where the entry point reports errors
 */
export function loadDotenv(): ConfigError | null {
  const file = path.resolve('.env');
  const { error } = dotenv.config({ path: file, quiet: true });
  if (!error) return null;
  let why = error.message;
  if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
    // A link to nothing (a secret not mounted) is a .env that is there: read, it says ENOENT as no .env does.
    if (!lstatSync(file, { throwIfNoEntry: false })?.isSymbolicLink()) return null;
    why = `it links to ${readlinkSync(file)}, which is not there`;
  }
  return new ConfigError(`${file} cannot be read (${why}): make it readable, or remove it if its settings are set elsewhere`);
}
