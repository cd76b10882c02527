/**
 * A sharded start cut short, end to end: `npm start`'s command (node with tsx, so the test holds the manager's own
 * process) run as discord.js' ShardingManager against the fake Discord, which can hold a shard in its login
 * by withholding the gateway's HELLO.
 * - A manager killed outright while its shard logs in: the shard ends too, at once, saying why, before it opens a
 *   gateway session (it missed the manager's end, logged in and crashed at READY without logging out); also killed
 *   before the shard's code runs.
 * - Three shards, the last not started yet: /about lists it "not started yet" and /reload reports it will read the
 *   sources when it starts (discord.js refuses a broadcast to every shard while shards are still being spawned);
 *   then SIGTERM stops every shard started, logged out, starts no other, and the manager exits 0.
 * - A shard holding the bot's one server of two shards, no moderators' server named: moderator commands refused.
 * - SIGTERM while Discord never answers a shard's login: the shard stops at once, the manager exits 0.
 * - A shard killed while it logs in, during the start: one line, exit code 1, and how the shard ended.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeDiscord, OTHER_GUILD_ID, shardOf } from './fake-discord';
import { callback, edit } from './discord-view';
import { ROOT, START, TOKEN } from './system';

const MOD_ROLE = '900000000000000777';
/** A server on shard 0 of 3. */
const SHARD0_GUILD = '900000000008388610';
const tmp = mkdtempSync(path.join(os.tmpdir(), 'shards-start-'));
const runs: Run[] = [];

/** True while `pid` runs (an ended process nobody has reaped yet, its parent killed, counts as ended). */
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return true;
  }
};

/** One `npm start` under sharding: the manager process, its log (shards write to the same stderr) and its end. */
class Run {
  readonly child: ChildProcess;
  stderr = '';
  /** Settles once every process writing to the log has ended (the shards inherit the manager's stderr). */
  readonly closed: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(name: string, readonly fake: FakeDiscord, env: Record<string, string>) {
    const dir = path.join(tmp, name);
    cpSync(path.join(ROOT, 'data'), path.join(dir, 'data'), { recursive: true });
    this.child = spawn(START.command, START.args, {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', HOME: dir, DISCORD_TOKEN: TOKEN, DISCORD_API_BASE: fake.apiBase, DATA_DIR: path.join(dir, 'data'), CACHE_DIR: path.join(dir, 'cache'), ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.child.stderr!.on('data', (d: Buffer) => (this.stderr += d));
    this.closed = new Promise((resolve) => this.child.on('close', (code, signal) => resolve({ code, signal })));
    runs.push(this);
  }

  logLines(): Array<Record<string, any>> {
    return this.stderr.trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, any>);
  }

  async waitFor<T>(what: string, check: () => T | undefined | false, timeoutMs: number): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = check();
      if (v) return v;
      if (Date.now() > deadline) throw new Error(`no ${what} within ${timeoutMs} ms; the log:\n${this.stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  waitForLog(msg: string, fields: Record<string, unknown>, timeoutMs: number) {
    return this.waitFor(`"${msg}" ${JSON.stringify(fields)}`, () => this.logLines().find((l) => l.msg === msg && Object.entries(fields).every(([k, v]) => l[k] === v)), timeoutMs);
  }

  /** Every shard process the manager started. */
  shardPids(): number[] {
    return this.logLines().filter((l) => l.msg === 'shard process started').map((l) => l.pid as number);
  }

  /** Waits (bounded) for every process to end; what is still running then is killed and reported. */
  async ended(timeoutMs: number) {
    const end = await Promise.race([this.closed, new Promise<null>((r) => setTimeout(() => r(null), timeoutMs))]);
    const left = [this.child.pid!, ...this.shardPids()].filter(alive);
    for (const pid of left) process.kill(pid, 'SIGKILL');
    return { end, left };
  }
}

afterAll(async () => {
  for (const run of runs) {
    await run.ended(5_000);
    await run.fake.close();
  }
  rmSync(tmp, { recursive: true, force: true });
});

describe('a shard whose manager is killed while the shard logs in', () => {
  let run: Run;
  let result: Awaited<ReturnType<Run['ended']>>;
  let shardPid: number;

  beforeAll(async () => {
    const fake = new FakeDiscord({ token: TOKEN, shards: 1 });
    await fake.start();
    fake.holdHello = true;
    run = new Run('killed', fake, { SHARD_COUNT: '1' });
    [shardPid] = await run.waitFor('shard process', () => run.shardPids().length > 0 && run.shardPids(), 30_000);
    await run.waitFor('gateway connection held', () => fake.helloHeldCount === 1, 30_000);
    process.kill(run.child.pid!, 'SIGKILL');
    // Once Discord answers, an orphan's login goes on: it would open a gateway session and, at READY, crash on
    // discord.js' message to the gone manager, without logging out (close code 1006). Told its manager is gone during
    // the login, the shard ends at once, as any stop during a login (main.ts): it has no session to log out of.
    await run.waitForLog('shutting down', { shard: 0 }, 2_000).catch(() => undefined);
    fake.holdHello = false;
    fake.releaseHello();
    result = await run.ended(20_000);
    await run.waitFor('the gateway connection closed', () => fake.gatewayCloses.length > 0, 5_000).catch(() => undefined);
  }, 60_000);

  it('ends at once, saying why, before it opens a gateway session (no crash at a READY whose news the manager cannot take)', () => {
    expect(result.left).toEqual([]);
    expect(alive(shardPid)).toBe(false);
    expect(run.logLines()).toContainEqual(expect.objectContaining({ shard: 0, msg: 'shutting down', signal: 'sharding manager gone' }));
    // Its held connection closed before any IDENTIFY: no session opened, so none left behind without a logout.
    expect(run.fake.gatewayCloses.length).toBeGreaterThan(0);
    expect(run.fake.gatewayCloses.every((c) => c.shard === null)).toBe(true);
    expect(run.fake.identifies).toEqual([]);
    expect(run.fake.helloHeldCount).toBe(0);
    expect(run.stderr.split('\n').filter((l) => l && !l.startsWith('{'))).toEqual([]);
    expect(run.stderr).not.toContain('fakefake');
  });
});

describe('a shard whose manager is killed while the shard process still loads', () => {
  it('ends as soon as it can, before it logs in, rather than serve on unsupervised', async () => {
    const fake = new FakeDiscord({ token: TOKEN, shards: 1 });
    await fake.start();
    const run = new Run('killed-early', fake, { SHARD_COUNT: '1' });
    const [pid] = await run.waitFor('shard process', () => run.shardPids().length > 0 && run.shardPids(), 30_000);
    // Before its code runs: the 'disconnect' comes before any listener, so the shard checks the channel itself.
    process.kill(run.child.pid!, 'SIGKILL');
    const { left } = await run.ended(20_000);
    expect(left).toEqual([]);
    expect(alive(pid)).toBe(false);
    expect(run.logLines()).toContainEqual(expect.objectContaining({ shard: 0, msg: 'shutting down', signal: 'sharding manager gone' }));
    expect(fake.identifies).toEqual([]);
  }, 60_000);
});

describe('three shards, the last one not started yet', () => {
  let run: Run;
  let about: string;
  let reload: { title: string; shards: string[] };
  let result: Awaited<ReturnType<Run['ended']>>;
  let shutdownAt: number;

  const commandAndWait = async (name: string, roles: string[]) => {
    const token = run.fake.command(name, [], { id: `9100000000000000${name.length}`, roles }, undefined, SHARD0_GUILD);
    const calls = await run.fake
      .waitForInteraction(token, (c) => !!edit(c) && !/^Reloading…/.test(edit(c)!.body?.content ?? 'x'), 60_000)
      .catch((err: Error) => Promise.reject(new Error(`${err.message}\nthe bot's log:\n${run.stderr}`)));
    return calls.filter((c) => c.method === 'PATCH').at(-1)!.body.embeds[0] as { title: string; fields: Array<{ name: string; value: string }> };
  };

  beforeAll(async () => {
    expect(shardOf(SHARD0_GUILD, 3)).toBe(0);
    const fake = new FakeDiscord({ token: TOKEN, shards: 3, guilds: [SHARD0_GUILD], roles: [MOD_ROLE] });
    await fake.start();
    run = new Run('three', fake, { SHARD_COUNT: 'auto', MODERATOR_ROLE_IDS: MOD_ROLE, MODERATOR_GUILD_ID: SHARD0_GUILD });
    await run.waitForLog('index built', { shard: 0 }, 100_000);
    // The manager waits 5.5 s before it starts shard 1: held in its login, shard 2 is not started.
    fake.holdHello = true;
    await run.waitFor('shard 1 held in its login', () => fake.helloHeldCount === 1, 30_000);
    about = (await commandAndWait('about', [])).fields.find((f) => f.name.startsWith('Shards'))!.value;
    const reloaded = commandAndWait('reload', [MOD_ROLE]);
    await run.waitForLog("asked to take another shard's build before this one's is done: taking it once built", { shard: 1 }, 30_000);
    fake.holdHello = false;
    fake.releaseHello();
    const report = await reloaded;
    reload = { title: report.title, shards: report.fields.find((f) => f.name.startsWith('Shards'))!.value.split('\n') };
    // Shard 1 is built: the manager waits 5.5 s before shard 2; stopped now, it starts no other shard.
    shutdownAt = run.logLines().length;
    run.child.kill('SIGTERM');
    result = await run.ended(30_000);
  }, 150_000);

  it('/about lists every shard: built, still starting (logging in, not "reloading") and not started yet', () => {
    expect(about.split('\n')).toEqual([
      expect.stringMatching(/^shard 0 \(this one\): 1 server, 2 articles, \d+ sentences, built <t:\d+:f>/),
      'shard 1: still starting (logging in to Discord)',
      'shard 2: not started yet',
    ]);
  });

  it('/reload reloads the started shards and says the last one reads the sources when it starts', () => {
    expect(reload.title).toBe('Sources reloaded');
    expect(reload.shards).toEqual([
      expect.stringMatching(/^shard 0 \(this one\): reloaded, 2 articles/),
      expect.stringMatching(/^shard 1: reloaded from the snapshot, 2 articles/),
      'shard 2: not started yet; it reads the sources when it starts',
    ]);
  });

  it('SIGTERM during the start stops every shard started, logged out, starts no other, and exits 0', () => {
    expect(result.left).toEqual([]);
    expect(result.end).toEqual({ code: 0, signal: null });
    const after = run.logLines().slice(shutdownAt);
    expect(after).toContainEqual(expect.objectContaining({ msg: 'shutting down', signal: 'SIGTERM' }));
    expect(after.filter((l) => l.msg === 'shard starting' || l.msg === 'shard process started')).toEqual([]);
    const started = run.logLines().filter((l) => l.msg === 'shard process started').map((l) => l.shardId as number);
    expect(started).toEqual([0, 1]);
    for (const shard of started) expect(after).toContainEqual(expect.objectContaining({ shard, msg: 'disconnected from Discord' }));
    expect(run.fake.gatewayCloses.map((c) => [c.shard?.[0], c.code]).sort()).toEqual([
      [0, 1000],
      [1, 1000],
    ]);
    expect(run.stderr.split('\n').filter((l) => l && !l.startsWith('{'))).toEqual([]);
    expect(run.stderr).not.toContain('fakefake');
  });
});

describe("a shard holding one server, no moderators' server named", () => {
  it('refuses moderator commands, as the bot in more than one server does: a shard sees only its own servers', async () => {
    // A stranger's server alone on its shard passed for the bot's one server: its admins could change the articles
    // every server is quoted from.
    expect(shardOf(OTHER_GUILD_ID, 2)).toBe(0);
    const fake = new FakeDiscord({ token: TOKEN, shards: 2, guilds: [OTHER_GUILD_ID], roles: [MOD_ROLE] });
    await fake.start();
    const run = new Run('unnamed', fake, { SHARD_COUNT: '2', MODERATOR_ROLE_IDS: MOD_ROLE });
    await run.waitForLog('index built', { shard: 0 }, 100_000);
    const token = fake.command('reload', [], { id: '910000000000000099', roles: [MOD_ROLE] }, undefined, OTHER_GUILD_ID);
    const calls = await fake.waitForInteraction(token, (c) => callback(c)?.body?.type === 4 || (!!edit(c) && !/^Reloading…/.test(edit(c)!.body?.content ?? 'x')), 60_000);
    const answer = callback(calls)!.body.type === 4 ? callback(calls)!.body.data.content : edit(calls)!.body.content;
    run.child.kill('SIGTERM');
    expect((await run.ended(30_000)).left).toEqual([]);
    expect(answer).toMatch(/^The bot is in more than one server \(or runs in shards\) and its owner has not named the moderators' server \(MODERATOR_GUILD_ID\)/);
    expect(run.logLines().filter((l) => l.msg === 'reload finished')).toEqual([]);
  }, 150_000);
});

describe("SIGTERM while Discord never answers a shard's login (an outage)", () => {
  it('stops the shard at once and exits 0, with no error and nothing left running', async () => {
    const fake = new FakeDiscord({ token: TOKEN, shards: 1 });
    await fake.start();
    fake.holdHello = true;
    const run = new Run('outage', fake, { SHARD_COUNT: '1' });
    await run.waitFor('gateway connection held', () => fake.helloHeldCount === 1, 30_000);
    const stoppedAt = Date.now();
    run.child.kill('SIGTERM');
    // Was: the shard waited for the ready timeout (60 s) and failed ("could not start", exit 1), while its manager
    // gave up after 40 s, exited 0 and left it running. Not logged in, it has nothing to log out of: it ends at once.
    const { end, left } = await run.ended(25_000);
    expect(left).toEqual([]);
    expect(end).toEqual({ code: 0, signal: null });
    expect(Date.now() - stoppedAt).toBeLessThan(10_000);
    const lines = run.logLines();
    expect(lines).toContainEqual(expect.objectContaining({ shard: 0, msg: 'shutting down' }));
    expect(lines.filter((l) => l.level !== 'info')).toEqual([]);
  }, 60_000);
});

describe('a shard killed while it logs in, during the start', () => {
  it('ends the start with one line and exit code 1, logging how the shard ended, the other processes stopped', async () => {
    const fake = new FakeDiscord({ token: TOKEN, shards: 1 });
    await fake.start();
    fake.holdHello = true;
    const run = new Run('died', fake, { SHARD_COUNT: '1' });
    const [pid] = await run.waitFor('shard process', () => run.shardPids().length > 0 && run.shardPids(), 30_000);
    await run.waitFor('gateway connection held', () => fake.helloHeldCount === 1, 30_000);
    process.kill(pid, 'SIGKILL');
    const { end, left } = await run.ended(30_000);
    expect(left).toEqual([]);
    expect(end).toEqual({ code: 1, signal: null });
    const lines = run.logLines();
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'shard process ended', shardId: 0, exitCode: null, signal: 'SIGKILL' }));
    // discord.js had begun a restart, which the stop ends: no error line for it, one line saying why.
    expect(lines.filter((l) => l.level === 'error').map((l) => l.msg)).toEqual([
      "could not start: a shard could not start (Shard 0's process exited before its Client became ready.); see the shard's own log line above",
    ]);
  }, 60_000);
});
