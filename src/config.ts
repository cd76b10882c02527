/**
 * Engine settings from the environment (`.env` is loaded by the entry points), validated with messages
 * that name the variable and what is wrong. Discord settings live in `src/bot/config.ts`.
 */
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
 * Reads DATA_DIR, CACHE_DIR, EMBEDDING_MODEL and MAX_FILE_MB.
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
      throw new ConfigError(`MAX_FILE_MB must be a number of megabytes between 0 and 1024, got ${JSON.stringify(mb)}`);
    }
    maxFileBytes = Math.round(n * 1024 * 1024);
  }
  // Checked here, once, for every front end (the engine trusts its options): the message can name the variables.
  if (cacheDir === dataDir || cacheDir.startsWith(dataDir + path.sep)) {
    throw new ConfigError(`CACHE_DIR (${cacheDir}) must not be inside DATA_DIR (${dataDir}): the data folder may be read-only or shared`);
  }
  return { dataDir, cacheDir, model: env.EMBEDDING_MODEL?.trim() || undefined, maxFileBytes };
}
