/**
 * `npm start` run from outside, as a user runs it: package.json's command (src/main.ts through tsx) in a child
 * process with only the settings given, from a folder without a .env unless the test puts one there.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { isRoot, NO_PERMISSION_OVERRIDE, ROOT, START } from './system';

export interface Started {
  done: Promise<{ code: number | null; ms: number; stdout: string; stderr: string }>;
  kill(signal: NodeJS.Signals): void;
  stderr(): string;
  pid: number;
}

/**
 * Runs `npm start`'s command in `cwd` with only these settings (HOME and the cache in `tmp`, the project's data folder
 * unless DATA_DIR says otherwise), timing it. `permissions`: as root, without root's power to bypass file permissions
 * (test/system.ts), so an unreadable file is unreadable to the bot as to any user.
 */
export function startMain(env: Record<string, string>, cwd: string, tmp: string, options: { permissions?: boolean } = {}): Started {
  const started = Date.now();
  const [command, ...args] = options.permissions && isRoot ? [...NO_PERMISSION_OVERRIDE, START.command, ...START.args] : [START.command, ...START.args];
  const child = spawn(command, args, {
    // Outside the checkout, so a developer's .env cannot leak in.
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: tmp, DATA_DIR: path.join(ROOT, 'data'), CACHE_DIR: path.join(tmp, 'cache'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d));
  child.stderr.on('data', (d: Buffer) => (stderr += d));
  const done = new Promise<{ code: number | null; ms: number; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, ms: Date.now() - started, stdout, stderr })),
  );
  return { done, kill: (signal) => child.kill(signal), stderr: () => stderr, pid: child.pid! };
}

/** Each stderr line is a JSON log entry. */
export const entries = (stderr: string) => stderr.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
