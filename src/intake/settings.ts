/**
 * Intake settings from the environment, validated with messages that name the variable: ARTICLE_FETCH_ALLOW_PRIVATE
 * and REMOVED_DIR. The data folder and the size cap are the engine's (`src/config.ts`).
 */
import path from 'node:path';
import { SettingProblems, type EngineSettings } from '../config';
import { defaultRemovedDir } from './store';

export interface IntakeSettings {
  dataDir: string;
  /** Where removed and replaced article files are moved; outside the data folder. */
  removedDir: string;
  maxFileBytes: number;
  /** Links may reach private, loopback and link-local addresses (intranets, tests). Default false. */
  allowPrivate: boolean;
  /** Hosts an uploaded file may be downloaded from: Discord's attachment hosts and DISCORD_API_BASE's host. */
  attachmentHosts: string[];
}

/** Where Discord serves attachments. */
const DISCORD_ATTACHMENT_HOSTS = ['cdn.discordapp.com', 'media.discordapp.net'];

/**
 * @example readIntakeSettings({ ARTICLE_FETCH_ALLOW_PRIVATE: 'false' }, readEngineSettings())
 */
export function readIntakeSettings(env: NodeJS.ProcessEnv, engine: Pick<EngineSettings, 'dataDir' | 'maxFileBytes'>): IntakeSettings {
  const problems = new SettingProblems();
  const flag = env.ARTICLE_FETCH_ALLOW_PRIVATE?.trim().toLowerCase();
  if (flag && !['true', 'false', '1', '0', 'yes', 'no'].includes(flag)) {
    problems.add(`ARTICLE_FETCH_ALLOW_PRIVATE must be true or false, got ${JSON.stringify(env.ARTICLE_FETCH_ALLOW_PRIVATE)}`);
  }
  const dataDir = path.resolve(engine.dataDir);
  const removedDir = path.resolve(env.REMOVED_DIR?.trim() || defaultRemovedDir(dataDir));
  if (removedDir === dataDir || removedDir.startsWith(dataDir + path.sep)) {
    problems.add(`REMOVED_DIR (${removedDir}) must not be inside DATA_DIR (${dataDir}): files set aside there would be loaded again`);
  }
  problems.throwIfAny();
  // A proxy or test server standing in for Discord (DISCORD_API_BASE, checked with the bot's settings) serves them too.
  let apiHost: string | null = null;
  try {
    apiHost = env.DISCORD_API_BASE?.trim() ? new URL(env.DISCORD_API_BASE.trim()).hostname : null;
  } catch {
    apiHost = null;
  }
  const attachmentHosts = apiHost ? [...DISCORD_ATTACHMENT_HOSTS, apiHost] : DISCORD_ATTACHMENT_HOSTS;
  return { dataDir, removedDir, maxFileBytes: engine.maxFileBytes, allowPrivate: flag === 'true' || flag === '1' || flag === 'yes', attachmentHosts };
}
