/**
 * Engine settings from the environment (`.env` is loaded by the entry points, through `loadDotenv` here), validated
 * with messages that name the variable and what is wrong. Discord settings live in `src/bot/config.ts`.
 */
import dotenv from 'dotenv';
import { lstatSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import path from 'node:path';

export interface EngineSettings {
  dataDir: string;
  cacheDir: string;
  /** Hugging Face id or local folder; undefined means the bundled offline model. */
  model: string | undefined;
  maxFileBytes: number;
}

/** Settings that are present but wrong: one line each, naming the variable (the message lists them all). */
export class ConfigError extends Error {
  override name = 'ConfigError';
  readonly problems: readonly string[];
  constructor(problems: string | readonly string[]) {
    const lines = typeof problems === 'string' ? [problems] : problems;
    super(lines.length === 1 ? lines[0] : `${lines.length} settings are wrong:\n${lines.map((l) => `- ${l}`).join('\n')}`);
    this.problems = lines;
  }
}

/**
 * Gathers every bad setting before the start gives up: naming only the first, an owner fixed it, restarted, and met
 * the next.
 * @example const problems = new SettingProblems(); const n = problems.take(() => count(env), 5); problems.throwIfAny();
 */
export class SettingProblems {
  private readonly lines: string[] = [];

  /** `read()`'s value; when it throws a ConfigError, its lines are kept and `fallback` is returned. */
  take<T, F = T>(read: () => T, fallback: F): T | F {
    try {
      return read();
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      this.lines.push(...err.problems);
      return fallback;
    }
  }

  add(problem: string): void {
    this.lines.push(problem);
  }

  /** One ConfigError naming them all, when there are any. */
  throwIfAny(): void {
    if (this.lines.length > 0) throw new ConfigError(this.lines);
  }
}

/**
 * Reads DATA_DIR, CACHE_DIR, EMBEDDING_MODEL and MAX_FILE_MB (and looks whether a file stands where CACHE_DIR goes).
 * @example readEngineSettings({ DATA_DIR: 'data', MAX_FILE_MB: '5' })
 */
export function readEngineSettings(env: NodeJS.ProcessEnv = process.env): EngineSettings {
  const problems = new SettingProblems();
  const dataDir = dataDirOf(env);
  const cacheDir = path.resolve(env.CACHE_DIR?.trim() || '.cache');
  const maxFileBytes = problems.take(() => maxFileBytesOf(env.MAX_FILE_MB?.trim()), 0);
  // Checked here, once, for every front end (the engine trusts its options): the message can name the variables.
  problems.take(() => checkCacheDir(cacheDir, dataDir), null);
  problems.throwIfAny();
  return { dataDir, cacheDir, model: env.EMBEDDING_MODEL?.trim() || undefined, maxFileBytes };
}

/** DATA_DIR, absolute (also for the intake's checks when another engine setting is wrong). */
export function dataDirOf(env: NodeJS.ProcessEnv): string {
  return path.resolve(env.DATA_DIR?.trim() || 'data');
}

function maxFileBytesOf(mb: string | undefined): number {
  if (!mb) return 5 * 1024 * 1024;
  const n = Number(mb);
  if (!Number.isFinite(n) || n <= 0 || n > 1024) {
    throw new ConfigError(`MAX_FILE_MB must be a number of megabytes above 0 and at most 1024, got ${JSON.stringify(mb)}`);
  }
  return Math.round(n * 1024 * 1024);
}

function checkCacheDir(cacheDir: string, dataDir: string): void {
  if (cacheDir === dataDir || cacheDir.startsWith(dataDir + path.sep)) {
    throw new ConfigError(`CACHE_DIR (${cacheDir}) must not be inside DATA_DIR (${dataDir}): the data folder may be read-only or shared`);
  }
  const notFolder = fileInTheWay(cacheDir);
  if (notFolder) {
    // Else the start warned three times (snapshot not read, cache and snapshot not written) and every reload again.
    throw new ConfigError(`CACHE_DIR (${cacheDir}) must be a folder, but ${notFolder} is a file: the index snapshot and the embedding cache could never be written there`);
  }
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
export function loadDotenv(): EnvFileError | null {
  const file = path.resolve('.env');
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    return envFileError(file, err as NodeJS.ErrnoException);
  }
  // UTF-16 with a byte-order mark (Windows PowerShell's `>`, Notepad's "Unicode"), read as UTF-8, held no setting: the
  // bot started in the terminal mode, "no DISCORD_TOKEN set", with the token in .env. Read once (a FIFO reads once).
  // Without the mark too: no UTF-8 text holds a zero byte, and ASCII's is the second of a character little-endian.
  const marked = bytes[0] === 0xff && bytes[1] === 0xfe ? 'utf-16le' : bytes[0] === 0xfe && bytes[1] === 0xff ? 'utf-16be' : null;
  const utf16 = marked ?? (bytes.includes(0) ? (bytes[0] === 0 ? 'utf-16be' : 'utf-16le') : null);
  const text = utf16 ? new TextDecoder(utf16).decode(bytes) : bytes.toString('utf8');
  dotenv.populate(process.env as Record<string, string>, dotenv.parse(text)); // variables already set win, as with dotenv.config
  return null;
}

function envFileError(file: string, error: NodeJS.ErrnoException): EnvFileError | null {
  let why = error.message;
  if (error.code === 'ENOENT') {
    // A link to nothing (a secret not mounted) is a .env that is there: read, it says ENOENT as no .env does.
    if (!lstatSync(file, { throwIfNoEntry: false })?.isSymbolicLink()) return null;
    why = `it links to ${readlinkSync(file)}, which is not there`;
  }
  return new EnvFileError(file, why);
}

/**
 * A `.env` that is there but cannot be read; `unread` says so without what follows the colon, `goingOn` is the
 * warning of an entry point that goes on without it (`checkUnreadEnvFile` in src/bot/config.ts decides).
 */
export class EnvFileError extends ConfigError {
  readonly unread: string;
  readonly goingOn: string;
  constructor(file: string, why: string) {
    super(`${file} cannot be read (${why}): make it readable, or remove it if its settings are set elsewhere`);
    this.unread = `${file} cannot be read (${why})`;
    this.goingOn = `${this.unread}: going on with the environment's settings (DISCORD_TOKEN is set there); a setting only in .env is not applied`;
  }
}
