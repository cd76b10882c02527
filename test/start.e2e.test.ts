/**
 * `npm start` from outside: package.json's command (src/main.ts through tsx) in a child process, with the environment
 * a user would set, against the fake Discord on 127.0.0.1. A start that cannot work (a bad setting, a token Discord
 * rejects, Discord out of reach) must end within seconds with one readable line and exit code 1 — no stack, no
 * token, nothing left running; a start that works answers the first /ask within Discord's 3 seconds.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ApplicationCommandOptionType, MessageFlags } from 'discord.js';
import { callback } from './discord-view';
import { FakeDiscord } from './fake-discord';
import { canHoldFiles, holdFile } from './hold-file';
import { pathToFileURL } from 'node:url';
import { MAIN, ROOT, TOKEN } from './system';
import { entries, startMain, type Started } from './start-run';

const OTHER_TOKEN = 'MjIyMjIyMjIyMjIyMjIyMjIy.GaBcDe.realrealrealrealrealrealrealreal34';
const tmp = mkdtempSync(path.join(os.tmpdir(), 'start-'));
const CAN_HOLD_FILES = canHoldFiles();

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Runs `npm start`'s command with only these settings (from a folder without a .env, unless `cwd` has one), timing it. */
const start = (env: Record<string, string>, cwd = tmp): Started => startMain(env, cwd, tmp);

function expectOneCleanError(out: { stdout: string; stderr: string }, message: RegExp) {
  const lines = entries(out.stderr);
  const errors = lines.filter((l) => l.level === 'error');
  expect(errors, out.stderr).toHaveLength(1);
  expect(errors[0].msg).toMatch(message);
  expect(Object.keys(errors[0]).sort()).toEqual(['level', 'msg', 'time']);
  const all = out.stdout + out.stderr;
  expect(all).not.toMatch(/stack|\n\s+at |unhandled/i);
  expect(all).not.toContain(TOKEN);
  expect(all).not.toContain('fakefake');
  expect(all).not.toContain('realreal');
}

/** A data folder whose one article file cannot be read (a folder with none starts, empty). */
function unreadableData(): string {
  const dir = path.join(tmp, 'unreadable-data');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'empty.txt'), '');
  return dir;
}

/** A port on 127.0.0.1 that nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('npm start', () => {
  it('ends within seconds, with one line and exit code 1, when Discord rejects the token (HTTP 401)', async () => {
    const fake = new FakeDiscord(OTHER_TOKEN);
    await fake.start();
    try {
      const out = await start({ DISCORD_TOKEN: TOKEN, DISCORD_API_BASE: fake.apiBase }).done;
      expect(out.code).toBe(1);
      expect(out.ms).toBeLessThan(15_000);
      expectOneCleanError(out, /^could not start: Discord rejected the token \(HTTP 401\).*DISCORD_TOKEN/);
      expect(fake.calls.map((c) => `${c.method} ${c.route}`)).toContain('GET /api/v10/gateway/bot');
      expect(fake.identified).toBe(false);
    } finally {
      await fake.close();
    }
  }, 30_000);

  it('ends within seconds, with one line and exit code 1, when Discord cannot be reached', async () => {
    const apiBase = `http://127.0.0.1:${await closedPort()}/api`;
    const out = await start({ DISCORD_TOKEN: TOKEN, DISCORD_API_BASE: apiBase }).done;
    expect(out.code).toBe(1);
    expect(out.ms).toBeLessThan(15_000);
    expectOneCleanError(out, new RegExp(`^could not start: could not reach Discord at ${apiBase.replace(/[.]/g, '\\.')} \\(ECONNREFUSED\\)`));
  }, 30_000);

  it.each([
    ['ASK_COOLDOWN_SECONDS', { DISCORD_TOKEN: TOKEN, ASK_COOLDOWN_SECONDS: 'soon' }, /^configuration error: ASK_COOLDOWN_SECONDS must be a number of seconds from 0 to 3600, got "soon"$/],
    ['MAX_FILE_MB', { DISCORD_TOKEN: TOKEN, MAX_FILE_MB: '-1' }, /^configuration error: MAX_FILE_MB must be a number of megabytes/],
    // Taken for `info` before, silently (and "toString", `in` every object, let every debug line through).
    ['LOG_LEVEL', { DISCORD_TOKEN: TOKEN, DISCORD_API_BASE: 'http://127.0.0.1:9/api', LOG_LEVEL: 'verbose' }, /^configuration error: LOG_LEVEL must be debug, info, warn or error, got "verbose"$/],
    ['DISCORD_API_BASE', { DISCORD_TOKEN: TOKEN, DISCORD_API_BASE: 'discord.example' }, /^configuration error: DISCORD_API_BASE must be a URL/],
    ['SHARD_COUNT and MAX_FILE_MB, each on a line of one message,', { DISCORD_TOKEN: TOKEN, SHARD_COUNT: 'abc', MAX_FILE_MB: '-1' }, /^configuration error: 2 settings are wrong:\n- MAX_FILE_MB must be .*"-1"\n- SHARD_COUNT must be .*"abc"$/],
  ])('gives a bad %s as one line naming the variable, before building anything', async (_name, env, message) => {
    const out = await start(env).done;
    expect(out.code).toBe(1);
    expect(entries(out.stderr)).toHaveLength(1);
    expectOneCleanError(out, message);
  }, 30_000);

  it('logs the stack of a configuration error at debug level only', async () => {
    const out = await start({ DISCORD_TOKEN: TOKEN, MAX_FILE_MB: 'lots', LOG_LEVEL: 'DEBUG' }).done;
    expect(out.code).toBe(1);
    const lines = entries(out.stderr);
    expect(lines.filter((l) => l.level === 'error').map((l) => l.msg)).toEqual([expect.stringMatching(/^configuration error: MAX_FILE_MB/)]);
    const debug = lines.find((l) => l.level === 'debug' && l.msg === 'start failure') as { err?: { stack?: string } } | undefined;
    expect(debug?.err?.stack).toMatch(/ConfigError: MAX_FILE_MB[\s\S]*\n\s+at /);
  }, 30_000);

  it.each([
    ['a folder', 'env-folder', (env: string) => mkdirSync(env, { recursive: true }), /\/env-folder\/\.env cannot be read \(EISDIR: .*\)/],
    // A link to a secret that is not mounted (/run/secrets, a container's secret): reading it says ENOENT, as no .env.
    ['a link to nothing', 'env-link', (env: string) => symlinkSync('/run/secrets/quotebot-missing.env', env), /\/env-link\/\.env cannot be read \(it links to \/run\/secrets\/quotebot-missing\.env, which is not there\)/],
  ])('refuses to start when .env is there but cannot be read (%s), instead of starting without its token in the terminal mode', async (_, folder, make, why) => {
    // dotenv passes an unreadable .env over: the bot started in the terminal mode, read the empty stdin a service
    // gives it, and exited 0 at once, saying nothing of .env.
    const cwd = path.join(tmp, folder);
    mkdirSync(cwd, { recursive: true });
    make(path.join(cwd, '.env'));
    const out = await start({}, cwd).done;
    expect(out.stdout).not.toMatch(/Terminal mode/);
    expect(out.code).toBe(1);
    expectOneCleanError(out, new RegExp(`^configuration error: .*${why.source}: make it readable, or remove it if its settings are set elsewhere$`));
  }, 30_000);

  it("with DISCORD_TOKEN in the environment but no moderators' server there, still refuses an unreadable .env (its MODERATOR_GUILD_ID lost: its one server's moderators could change the articles, in more than one nobody)", async () => {
    const cwd = path.join(tmp, 'env-folder-token');
    mkdirSync(path.join(cwd, '.env'), { recursive: true });
    const out = await start({ DISCORD_TOKEN: TOKEN, DISCORD_API_BASE: `http://127.0.0.1:${await closedPort()}/api` }, cwd).done;
    expect(out.code).toBe(1);
    expectOneCleanError(out, /^configuration error: .*\/env-folder-token\/\.env cannot be read \(EISDIR: .*\), and the environment names no moderators' server: \.env may name one \(MODERATOR_GUILD_ID\), and without it the moderators of the bot's one server could change the articles \(in more than one, or in shards, nobody could\)\. Make \.env readable, remove it, or set MODERATOR_GUILD_ID in the environment$/);
  }, 30_000);

  it("names an unreadable .env that stops the start with the other bad settings, in one message (not after they are fixed)", async () => {
    const cwd = path.join(tmp, 'env-folder-and-setting');
    mkdirSync(path.join(cwd, '.env'), { recursive: true });
    const out = await start({ DISCORD_TOKEN: TOKEN, MAX_FILE_MB: '-1', DISCORD_API_BASE: `http://127.0.0.1:${await closedPort()}/api` }, cwd).done;
    expect(out.code).toBe(1);
    // Before: MAX_FILE_MB alone; the owner fixed it, restarted, and only then met the unreadable .env.
    expectOneCleanError(out, /^configuration error: 2 settings are wrong:\n- MAX_FILE_MB must be .*\n- .*\/env-folder-and-setting\/\.env cannot be read \(EISDIR: .*\), and the environment names no moderators' server: .*set MODERATOR_GUILD_ID in the environment$/);
  }, 30_000);

  it('answers the first /ask right after the index is built within 3 seconds, and stops cleanly on SIGTERM', async () => {
    const fake = new FakeDiscord(TOKEN);
    await fake.start();
    const bot = start({ DISCORD_TOKEN: TOKEN, DISCORD_API_BASE: fake.apiBase });
    try {
      await fake.waitFor(() => bot.stderr().includes('"index built"'), 30_000, 'the index to be built');
      // The first interaction arrives as soon as the engine serves.
      const sent = Date.now();
      const token = fake.command('ask', [{ name: 'question', type: ApplicationCommandOptionType.String, value: 'How long did Obama and Putin meet?' }], {
        id: '910000000000000001',
      });
      const [first] = await fake.waitForInteraction(token, (c) => c.length > 0, 10_000);
      expect(first.route).toMatch(/\/callback$/);
      expect(first.at - sent).toBeLessThan(3000);
      const calls = await fake.waitForInteraction(token, (c) => c.some((x) => x.method === 'PATCH'), 10_000);
      expect(JSON.stringify(calls.find((x) => x.method === 'PATCH')!.body)).toContain('90 minutes');
      bot.kill('SIGTERM');
      const out = await bot.done;
      expect(out.code).toBe(0);
      const said = entries(out.stderr).map((l) => l.msg);
      // A logout is no reconnection (discord.js reports its own close as one): "gateway reconnecting" sent operators looking for an outage.
      expect(said.slice(said.indexOf('connected to Discord'))).toEqual(['connected to Discord', 'index built', 'answered', 'shutting down', 'disconnected from Discord']);
      expect(out.stderr).not.toContain('fakefake');
    } finally {
      bot.kill('SIGKILL');
      await fake.close();
    }
  }, 60_000);

  it('stops cleanly on SIGTERM while its main thread is busy, also when a second SIGTERM comes during the stop', async () => {
    const fake = new FakeDiscord(TOKEN);
    await fake.start();
    const busyFrom = path.join(tmp, 'busy-from');
    const busy = `--import ${pathToFileURL(path.join(ROOT, 'test/busy-main-thread.mjs')).href}`;
    const bot = start({ DISCORD_TOKEN: TOKEN, DISCORD_API_BASE: fake.apiBase, NODE_OPTIONS: busy, BUSY_MAIN_THREAD_FROM: busyFrom });
    const logged = async (msg: string) => {
      while (!bot.stderr().includes(`"${msg}"`)) await new Promise((resolve) => setTimeout(resolve, 5));
    };
    try {
      await fake.waitFor(() => bot.stderr().includes('"index built"'), 30_000, 'the index to be built');
      writeFileSync(busyFrom, '');
      await new Promise((resolve) => setTimeout(resolve, 500));
      // Through tsx's command line, the signal went to tsx, which gave the entry's process 30 ms to take it on, then
      // killed it: exit 143, no logout (seen under load in the test below).
      bot.kill('SIGTERM');
      await Promise.race([bot.done, logged('shutting down')]);
      // npm passes the signal on to the bot, which the terminal (Ctrl-C) or systemd also sent it: the second killed it.
      bot.kill('SIGTERM');
      const out = await bot.done;
      expect(out.code, out.stderr).toBe(0);
      expect(entries(out.stderr).map((l) => l.msg)).toEqual(expect.arrayContaining(['shutting down', 'disconnected from Discord']));
    } finally {
      bot.kill('SIGKILL');
      await fake.close();
    }
  }, 60_000);

  it('stops at once with exit code 0 on SIGTERM during the login (Discord slow to answer)', async () => {
    // Takes the connection and never answers: the login waits (discord.js' REST timeout, 15 s).
    const sockets: net.Socket[] = [];
    const silent = net.createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const bot = start({ DISCORD_TOKEN: TOKEN, DISCORD_API_BASE: `http://127.0.0.1:${(silent.address() as net.AddressInfo).port}/api` });
    try {
      while (sockets.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
      // Its handler came only once logged in: the signal killed it, saying nothing (exit code null, signal SIGTERM).
      bot.kill('SIGTERM');
      const out = await bot.done;
      expect(out.code).toBe(0);
      expect(out.ms).toBeLessThan(10_000);
      expect(entries(out.stderr).map((l) => l.msg)).toEqual(['shutting down']);
    } finally {
      bot.kill('SIGKILL');
      sockets.forEach((socket) => socket.destroy());
      silent.close();
    }
  }, 30_000);

  it('logs in before building: a command during the build gets one private "still starting", and after it the answer', async () => {
    if (!CAN_HOLD_FILES) console.warn('cannot hold files here (Linux and python3 needed): the build is not held');
    const dataDir = path.join(tmp, 'held-data');
    cpSync(path.join(ROOT, 'data'), dataDir, { recursive: true });
    // The build waits inside its real read of an article for as long as the test holds the file.
    const hold = CAN_HOLD_FILES ? await holdFile(path.join(dataDir, readdirSync(dataDir).sort()[0])) : null;
    const fake = new FakeDiscord(TOKEN);
    await fake.start();
    const bot = start({ DISCORD_TOKEN: TOKEN, DISCORD_API_BASE: fake.apiBase, DATA_DIR: dataDir, CACHE_DIR: path.join(tmp, 'held-cache') });
    const ask = (id: string) => fake.command('ask', [{ name: 'question', type: ApplicationCommandOptionType.String, value: 'How long did Obama and Putin meet?' }], { id });
    try {
      await fake.waitFor(() => fake.identified, 20_000, 'the bot to log in');
      if (hold) {
        await hold.opened;
        const sent = Date.now();
        const calls = await fake.waitForInteraction(ask('910000000000000002'), (c) => !!callback(c), 10_000);
        const first = callback(calls)!;
        expect(first.at - sent).toBeLessThan(3000);
        expect(first.body.type).toBe(4);
        expect(first.body.data.flags & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
        expect(first.body.data.content).toMatch(/^The bot is still starting \(building its index: (?:\d+ ms|\d+\.\d s|\d+ min \d+ s) so far\)\. Please ask again in a minute\.$/);
        expect(first.body.data.allowed_mentions).toEqual({ parse: [] });
        expect(calls).toHaveLength(1);
        expect(entries(bot.stderr()).map((l) => l.msg)).not.toContain('index built');
        hold.release();
      }
      await fake.waitFor(() => bot.stderr().includes('"index built"'), 60_000, 'the index to be built');
      const token = ask('910000000000000003');
      const calls = await fake.waitForInteraction(token, (c) => c.some((x) => x.method === 'PATCH'), 20_000);
      expect(JSON.stringify(calls.find((x) => x.method === 'PATCH')!.body)).toContain('90 minutes');
      bot.kill('SIGTERM');
      expect((await bot.done).code).toBe(0);
    } finally {
      hold?.release();
      bot.kill('SIGKILL');
      await fake.close();
    }
  }, 90_000);

  // /article and /reload are refused with no moderators' server named once the bot is in more than one (or in shards):
  // "moderators add articles with /article add" sent the owner to a command nobody could use.
  it("on an empty folder with no moderators' server named, says when moderators can add articles", async () => {
    const dataDir = path.join(tmp, 'empty-unnamed');
    mkdirSync(dataDir);
    const fake = new FakeDiscord(TOKEN);
    await fake.start();
    const bot = start({ DISCORD_TOKEN: TOKEN, DISCORD_API_BASE: fake.apiBase, DATA_DIR: dataDir, CACHE_DIR: path.join(tmp, 'empty-unnamed-cache') });
    try {
      await fake.waitFor(() => bot.stderr().includes('no articles are loaded yet'), 60_000, 'the empty folder to be told');
      const told = entries(bot.stderr()).map((l) => String(l.msg)).find((m) => m.startsWith('no articles are loaded yet'));
      expect(told).toMatch(/\/article add .*; with MODERATOR_GUILD_ID unset, only while the bot is in one server \(not in shards\)$/);
    } finally {
      bot.kill('SIGTERM');
      await bot.done;
      await fake.close();
    }
  }, 60_000);

  it('ends with one line and exit code 1, logged out, when the build fails after the login (no readable article)', async () => {
    const empty = unreadableData();
    const fake = new FakeDiscord(TOKEN);
    await fake.start();
    try {
      const out = await start({ DISCORD_TOKEN: TOKEN, DISCORD_API_BASE: fake.apiBase, DATA_DIR: empty }).done;
      expect(out.code).toBe(1);
      expect(fake.identified).toBe(true);
      expectOneCleanError(out, /^could not start: .*no readable article/i);
      const msgs = entries(out.stderr).map((l) => l.msg);
      // The client was destroyed before the one line that ends the start.
      expect(msgs.slice(-2)).toEqual(['disconnected from Discord', expect.stringMatching(/^could not start: /)]);
      expect(msgs).toContain('connected to Discord');
    } finally {
      await fake.close();
    }
  }, 60_000);

  it('under the shard manager, a shard whose build fails after its login ends the whole start with exit code 1', async () => {
    const empty = unreadableData();
    const fake = new FakeDiscord(TOKEN);
    await fake.start();
    try {
      const out = await start({ DISCORD_TOKEN: TOKEN, DISCORD_API_BASE: fake.apiBase, DATA_DIR: empty, SHARD_COUNT: '1' }).done;
      expect(out.code).toBe(1);
      expect(out.ms).toBeLessThan(30_000);
      expect(fake.identified).toBe(true);
      const errors = entries(out.stderr).filter((l) => l.level === 'error').map((l) => l.msg);
      expect(errors.at(-1)).toMatch(/^could not start: a shard could not start \(shard 0 ended before its index was built\)/);
      expect(errors[0]).toMatch(/^could not start: .*no readable article/i);
      expect(out.stderr).not.toContain('fakefake');
    } finally {
      await fake.close();
    }
  }, 60_000);

  it('under the shard manager, a shard that dies and cannot build again is not restarted for ever (each restart logs in to Discord)', async () => {
    const dataDir = path.join(tmp, 'respawn-data');
    cpSync(path.join(ROOT, 'data'), dataDir, { recursive: true });
    const fake = new FakeDiscord(TOKEN);
    await fake.start();
    const bot = start({ DISCORD_TOKEN: TOKEN, DISCORD_API_BASE: fake.apiBase, DATA_DIR: dataDir, CACHE_DIR: path.join(tmp, 'respawn-cache'), SHARD_COUNT: '1' });
    try {
      await fake.waitFor(() => bot.stderr().includes('"all shards ready"'), 60_000, 'the shard to be built');
      // The folder loses its articles (and the snapshot its match), then the shard process dies (killed outright).
      for (const f of readdirSync(dataDir)) rmSync(path.join(dataDir, f), { recursive: true });
      writeFileSync(path.join(dataDir, 'notes.md'), '');
      // The manager's node, then the shard's: the deepest process running the entry (not esbuild's).
      const children = (pid: number) => {
        try {
          const rows = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(pid)], { encoding: 'utf8' }).trim().split('\n');
          return rows.filter((r) => r.includes(MAIN)).map((r) => Number.parseInt(r, 10));
        } catch {
          return []; // ps ends with 1 when the process has no child
        }
      };
      let shard = bot.pid;
      for (let next = children(shard); next.length === 1; next = children(shard)) shard = next[0];
      expect(shard).not.toBe(bot.pid);
      expect(children(shard)).toEqual([]);
      process.kill(shard, 'SIGKILL');
      const out = await Promise.race([bot.done, new Promise<null>((resolve) => setTimeout(() => resolve(null), 30_000))]);
      // Once restarted, it logged in and could not build: the manager stops rather than log in again and again.
      expect(out?.code, `still running after 30 s, ${fake.identifies.length} logins:\n${bot.stderr()}`).toBe(1);
      // One restart (a shard that dies once built is restarted as before), one login more; then no more.
      expect(fake.identifies).toHaveLength(2);
      const errors = entries(out!.stderr).filter((l) => l.level === 'error').map((l) => l.msg);
      expect(errors.at(-1)).toMatch(/^stopped: shard 0 ended before its index was built, after a restart/);
    } finally {
      bot.kill('SIGTERM');
      await fake.close();
    }
  }, 90_000);
});
