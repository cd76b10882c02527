/**
 * The shard manager's stop, with a real ShardingManager and real child processes: a shard process that does not end
 * when told to (stuck in a logout or a snapshot write) must not outlive the manager.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { createLogger } from '../log';
import type { BotConfig } from './config';
import { createShardManager } from './shard-manager';

const dir = mkdtempSync(path.join(os.tmpdir(), 'shard-manager-'));
const pids: number[] = [];

/** True while `pid` runs (a zombie nobody has reaped yet counts as ended). */
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return false;
  }
};

afterAll(() => {
  for (const pid of pids.filter(alive)) process.kill(pid, 'SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

it('kills a shard process still running after the stop wait, so that none outlives the manager', async () => {
  // A shard that never logs in and ignores SIGTERM: the manager's stop comes during its start.
  const entry = path.join(dir, 'stuck-shard.mjs');
  writeFileSync(entry, "process.on('SIGTERM', () => undefined);\nsetInterval(() => undefined, 1000);\n");
  const lines: Array<Record<string, any>> = [];
  const log = createLogger({ level: 'debug', write: (line) => lines.push(JSON.parse(line)) });
  const config: BotConfig = {
    token: 'not-a-token', clientId: '1', guildId: undefined, apiBase: undefined, moderatorRoleIds: [], moderatorGuildId: null, askCooldownSeconds: 0, shardCount: 1,
  };
  const shards = createShardManager({ config, log, entry, exitWaitMs: 500, onGiveUp: () => undefined });
  const started = shards.start();
  const pid = await new Promise<number>((resolve) => {
    const poll = setInterval(() => {
      const line = lines.find((l) => l.msg === 'shard process started');
      if (line) resolve((clearInterval(poll), line.pid as number));
    }, 20);
  });
  pids.push(pid);
  await new Promise((r) => setTimeout(r, 300));
  await shards.stop();
  await expect(started).resolves.toBeUndefined();
  expect(alive(pid)).toBe(false);
  expect(lines).toContainEqual(expect.objectContaining({ level: 'warn', msg: 'shard still running after the wait: killed', shardId: 0, pid }));
}, 20_000);
