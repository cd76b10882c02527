/**
 * Sharding end to end: `npm start`'s entry with SHARD_COUNT=auto against a fake Discord that recommends 2 shards
 * and has one server on each. The entry becomes discord.js' ShardingManager and runs two shard processes, each
 * with its own gateway connection and its own engine over the same data folder; the fake routes each server's
 * interactions to its shard's connection only. The second shard starts from the snapshot the first one built.
 * /about lists both shards; /reload on one shard builds once and the other shard loads the snapshot it wrote (an
 * article added before it is then quoted by the other shard too); SIGTERM stops everything. While shard 1 still
 * loads its index (logged in first), /about lists it as still starting and a /reload waits for it to take the build;
 * a shard that dies while asked is reported as such at once (discord.js drops the question).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApplicationCommandOptionType, MessageFlags } from 'discord.js';
import { FakeDiscord, GUILD_ID, OTHER_GUILD_ID, shardOf } from './fake-discord';
import { ROOT, START, TOKEN } from './system';
import { edit } from './discord-view';
import { canHoldFiles, holdFile } from './hold-file';

const MOD_ROLE = '900000000000000777';
const tmp = mkdtempSync(path.join(os.tmpdir(), 'shards-'));
const dataDir = path.join(tmp, 'data');

let fake: FakeDiscord;
let child: ChildProcess;
let stderr = '';
let exited: Promise<number | null>;
let memberSeq = 0;
/** /about and /reload asked on shard 0's server while shard 1, logged in, still loaded its index (held). */
let duringStart: { about: string; reload: string[]; logsAfter: number } | null = null;
const CAN_HOLD_FILES = canHoldFiles();
const member = (roles: string[] = []) => ({ id: `91000000000000${String(++memberSeq).padStart(4, '0')}`, roles });

const logLines = () => stderr.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, any>);

async function waitForLog(msg: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!logLines().some((l) => l.msg === msg)) {
    if (Date.now() > deadline) throw new Error(`no "${msg}" log line within ${timeoutMs} ms:\n${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Sends a command to a server's shard and returns the deferred answer's final edit. */
async function commandAndWait(name: string, options: Array<{ name: string; type: number; value: unknown }>, who: ReturnType<typeof member>, guildId: string) {
  const token = fake.command(name, options, who, undefined, guildId);
  const calls = await fake
    .waitForInteraction(token, (c) => !!edit(c) && !/^Reloading…/.test(edit(c)!.body?.content ?? 'x'), 60_000)
    .catch((err: Error) => {
      throw new Error(`${err.message}\nthe bot's log:\n${stderr}`);
    });
  return { callback: calls.find((c) => c.route.endsWith('/callback'))!, edit: calls.filter((c) => c.method === 'PATCH').at(-1)! };
}

beforeAll(async () => {
  cpSync(path.join(ROOT, 'data'), dataDir, { recursive: true });
  fake = new FakeDiscord({ token: TOKEN, shards: 2, guilds: [GUILD_ID, OTHER_GUILD_ID], roles: [MOD_ROLE] });
  await fake.start();
  child = spawn(START.command, START.args, {
    cwd: tmp,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: tmp,
      DISCORD_TOKEN: TOKEN,
      DISCORD_API_BASE: fake.apiBase,
      SHARD_COUNT: 'auto',
      DATA_DIR: dataDir,
      CACHE_DIR: path.join(tmp, 'cache'),
      MODERATOR_ROLE_IDS: MOD_ROLE,
      // Under several shards, moderator commands need it named (a shard sees only its own servers).
      MODERATOR_GUILD_ID: OTHER_GUILD_ID,
      ASK_COOLDOWN_SECONDS: '0',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr!.on('data', (d: Buffer) => (stderr += d));
  exited = new Promise((resolve) => child.on('close', (code) => resolve(code)));
  if (CAN_HOLD_FILES) {
    // Shard 1 starts once shard 0 has built and written its snapshot; holding that file keeps shard 1, logged in,
    // inside its real index load for as long as the test asks shard 0 for every shard's status and a reload.
    await waitForLog('index built', 100_000);
    const snapshots = path.join(tmp, 'cache', 'snapshots');
    const hold = await holdFile(path.join(snapshots, readdirSync(snapshots).find((f) => f.endsWith('.bin'))!));
    try {
      await hold.opened;
      const first = shardOf(GUILD_ID, 2) === 0 ? GUILD_ID : OTHER_GUILD_ID;
      const about = (await commandAndWait('about', [], member(), first)).edit.body.embeds[0].fields.find((f: { name: string }) => f.name.startsWith('Shards'));
      const token = fake.command('reload', [], member([MOD_ROLE]), undefined, first);
      // Shard 1 is asked to take the reload's build before its own is done: it does once built.
      await waitForLog("asked to take another shard's build before this one's is done: taking it once built", 30_000);
      hold.release();
      const calls = await fake.waitForInteraction(token, (c) => !!edit(c) && !/^Reloading…/.test(edit(c)!.body?.content ?? 'x'), 60_000);
      const report = calls.filter((c) => c.method === 'PATCH').at(-1)!.body.embeds[0];
      duringStart = { about: `${about.name}\n${about.value}`, reload: [report.title, report.fields.find((f: { name: string }) => f.name.startsWith('Shards')).value], logsAfter: logLines().length };
    } finally {
      hold.release();
    }
  } else console.warn('cannot hold files here (Linux and python3 needed): no command is sent while shard 1 starts');
  await waitForLog('all shards ready', 100_000);
}, 180_000);

afterAll(async () => {
  // SIGTERM first: the manager stops its shards (a SIGKILL would stop only the manager).
  if (child && child.exitCode === null) {
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
  }
  await fake?.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('npm start with SHARD_COUNT=auto and two shards', () => {
  it('asks Discord how many shards, and each shard process identifies with its own [id, count]', () => {
    expect(fake.calls.some((c) => c.route === '/api/v10/gateway/bot')).toBe(true);
    expect([...fake.identifies].sort()).toEqual([
      [0, 2],
      [1, 2],
    ]);
    expect(shardOf(GUILD_ID, 2)).not.toBe(shardOf(OTHER_GUILD_ID, 2));
    const built = logLines().filter((l) => l.msg === 'index built');
    expect(built.map((l) => l.shard).sort()).toEqual([0, 1]);
    // Shards start one after the other: the first builds, the next loads its snapshot.
    expect(built.map((l) => [l.shard, l.fromSnapshot]).sort()).toEqual([
      [0, false],
      [1, true],
    ]);
    expect(stderr).not.toContain('fakefake');
  });

  it.runIf(CAN_HOLD_FILES)('while shard 1 still builds its first index, /about on shard 0 lists it as still starting, and /reload waits for it to take the new build', () => {
    expect(duringStart!.about).toMatch(/^Shards \(2\)\nshard 0 \(this one\): 1 server, 2 articles, \d+ sentences, built <t:\d+:f> \(<t:\d+:R>\)\nshard 1: 1 server, still starting \(building its index\)$/);
    expect(duringStart!.reload[0]).toBe('Sources reloaded');
    expect(duringStart!.reload[1].split('\n')).toEqual([
      expect.stringMatching(/^shard 0 \(this one\): reloaded, 2 articles, \d+ sentences/),
      expect.stringMatching(/^shard 1: reloaded from the snapshot, 2 articles, \d+ sentences/),
    ]);
  });

  it('/about answers from the server\'s shard and lists every shard with its servers and index', async () => {
    const { callback, edit: reply } = await commandAndWait('about', [], member(), OTHER_GUILD_ID);
    expect(callback.body.type).toBe(5);
    expect(reply.body.flags ?? callback.body.data?.flags).toBe(MessageFlags.Ephemeral);
    const field = (reply.body.embeds[0].fields as Array<{ name: string; value: string }>).find((f) => f.name === 'Shards (2)')!;
    const lines = field.value.split('\n');
    const here = shardOf(OTHER_GUILD_ID, 2);
    expect(lines).toHaveLength(2);
    for (const [i, line] of lines.entries()) {
      expect(line).toMatch(new RegExp(`^shard ${i}${i === here ? ' \\(this one\\)' : ''}: 1 server, 2 articles, \\d+ sentences, built <t:\\d+:f>`));
    }
  }, 30_000);

  it('/reload on one shard builds once, the other shard loads that build\'s snapshot, and then quotes the new article', async () => {
    writeFileSync(
      path.join(dataDir, 'lighthouse.md'),
      '---\ntitle: Quillbay lighthouse repainted\n---\nThe Quillbay lighthouse was painted bright green by the harbour volunteers in 1987.\n',
    );
    const moderator = member([MOD_ROLE]);
    const { edit: report } = await commandAndWait('reload', [], moderator, OTHER_GUILD_ID);
    const embed = report.body.embeds[0];
    expect(embed.title).toBe('Sources reloaded');
    const field = (embed.fields as Array<{ name: string; value: string }>).find((f) => f.name === 'Shards (2)')!;
    const from = shardOf(OTHER_GUILD_ID, 2);
    const other = 1 - from;
    expect(field.value.split('\n')).toEqual(
      [0, 1].map((i) => expect.stringMatching(new RegExp(`^shard ${i}${i === from ? ' \\(this one\\): reloaded' : ': reloaded from the snapshot'}, 3 articles, \\d+ sentences`))),
    );
    // One build: the shard that ran /reload did not reload again for the broadcast, the other one built nothing.
    // Only this test's reload (not the one sent while shard 1 started).
    const later = logLines().slice(duringStart?.logsAfter ?? 0);
    const took = later.filter((l) => l.msg === "took another shard's build");
    expect(took).toEqual([expect.objectContaining({ shard: other, from, ok: true, fromSnapshot: true })]);
    expect(later.filter((l) => l.msg === 'reload finished')).toEqual([expect.objectContaining({ shard: from, ok: true, added: 1 })]);

    const ask = fake.command('ask', [{ name: 'question', type: ApplicationCommandOptionType.String, value: 'What colour was the Quillbay lighthouse painted?' }], member(), undefined, GUILD_ID);
    const calls = await fake.waitForInteraction(ask, (c) => !!edit(c), 30_000);
    expect(edit(calls)!.body.embeds[0].description.replace(/\*\*/g, '')).toContain('painted bright green by the harbour volunteers');
    // Who asked crossed processes with the build: the other shard's /about names the moderator.
    const about = (await commandAndWait('about', [], member(), GUILD_ID)).edit.body.embeds[0].fields.find((f: { name: string }) => f.name === 'Last reload');
    expect(about.value).toMatch(new RegExp(`\\) by member${moderator.id.slice(-4)}$`));
  }, 90_000);

  it('/about says a shard ended before it answered, rather than wait for its answer for ever', async () => {
    const other = 1 - shardOf(GUILD_ID, 2);
    const pid = logLines().filter((l) => l.msg === 'shard process started' && l.shardId === other).at(-1)!.pid as number;
    const builtBefore = logLines().filter((l) => l.msg === 'index built' && l.shard === other).length;
    // Frozen, the other shard gets the question but cannot answer; then it dies (discord.js drops the question).
    process.kill(pid, 'SIGSTOP');
    const token = fake.command('about', [], member(), undefined, GUILD_ID);
    await fake.waitForInteraction(token, (c) => c.some((call) => call.route.endsWith('/callback')), 10_000);
    await new Promise((r) => setTimeout(r, 1000));
    process.kill(pid, 'SIGKILL');
    const calls = await fake.waitForInteraction(token, (c) => !!edit(c), 10_000);
    expect(edit(calls)!.body.embeds[0].fields.at(-1)).toEqual({ name: 'Shards', value: `Could not ask every shard: shard ${other} ended before it answered` });
    // The manager restarts it, from the snapshot.
    await fake.waitFor(() => logLines().filter((l) => l.msg === 'index built' && l.shard === other).length > builtBefore, 60_000, 'the restarted shard built');
  }, 90_000);

  it('stops every shard on SIGTERM', async () => {
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(logLines().some((l) => l.msg === 'shards stopped')).toBe(true);
  });
});
