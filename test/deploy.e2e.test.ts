/**
 * `npm run deploy-commands`, run as a user runs it, against the fake Discord: it registers every command, and it
 * loads the command definitions only — no behaviour, no engine, no transformers.js or onnxruntime. Every module the
 * child processes load is recorded (test/record-modules.mjs), so this fails the day a definition imports more.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_ID, FakeDiscord, GUILD_ID, OTHER_APP_ID } from './fake-discord';
import { ROOT, START } from './system';

const run = promisify(execFile);
const TOKEN = 'MTExMTExMTExMTExMTExMTEx.GaBcDe.fakefakefakefakefakefakefakefake12';
const tmp = mkdtempSync(path.join(os.tmpdir(), 'deploy-'));
let fake: FakeDiscord;

beforeAll(async () => {
  fake = new FakeDiscord();
  await fake.start();
});

afterAll(async () => {
  await fake.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('npm run deploy-commands', () => {
  it('says in one line, with exit code 1, that Discord rejected the token', async () => {
    const rejecting = new FakeDiscord('MjIyMjIyMjIyMjIyMjIyMjIy.GaBcDe.realrealrealrealrealrealrealreal34');
    await rejecting.start();
    try {
      const failed = await run('npm', ['run', 'deploy-commands'], {
        env: { ...process.env, DISCORD_TOKEN: TOKEN, DISCORD_CLIENT_ID: APP_ID, DISCORD_GUILD_ID: GUILD_ID, DISCORD_API_BASE: rejecting.apiBase, LOG_LEVEL: 'info' },
      }).then(
        () => null,
        (err: { code: number; stdout: string; stderr: string }) => err,
      );
      expect(failed?.code).toBe(1);
      expect(failed!.stdout).toBe('');
      const lines = failed!.stderr.trim().split('\n').map((l) => JSON.parse(l));
      expect(lines).toEqual([{ time: expect.any(String), level: 'error', msg: expect.stringMatching(/^deploy failed: Discord rejected the token \(HTTP 401\)/) }]);
      expect(failed!.stderr).not.toContain('fakefake');
    } finally {
      await rejecting.close();
    }
  }, 60_000);

  // Discord's common refusals of a first deploy, each said as what to fix (it said "could not connect to Discord").
  it.each([
    // An id of no application is 404 Unknown Application; another application's, 403 (it was tested as one).
    ['a server id as DISCORD_CLIENT_ID', () => ({ DISCORD_CLIENT_ID: GUILD_ID, DISCORD_GUILD_ID: GUILD_ID }), /^deploy failed: Discord refused \(HTTP 404: Unknown Application\): DISCORD_CLIENT_ID \(900000000000000002\) is no application's id .*: copy the Application ID .*General Information/],
    ["another application's id as DISCORD_CLIENT_ID", () => ({ DISCORD_CLIENT_ID: OTHER_APP_ID, DISCORD_GUILD_ID: GUILD_ID }), new RegExp(`^deploy failed: Discord refused \\(HTTP 403: You are not authorized .*\\): DISCORD_CLIENT_ID \\(${OTHER_APP_ID}\\) is not the application of this DISCORD_TOKEN: copy the Application ID .*General Information`)],
    ['a server the bot is not in', () => ({ DISCORD_CLIENT_ID: APP_ID, DISCORD_GUILD_ID: '900000000000000777' }), /^deploy failed: Discord refused \(HTTP 403: Missing Access\): the bot is not in the server DISCORD_GUILD_ID names \(900000000000000777\), or was invited without the applications\.commands scope: invite it .*step 2/],
    // Any other answer is said as one: "could not connect" sent the operator to the network.
    ['a wrong DISCORD_API_BASE path', () => ({ DISCORD_CLIENT_ID: APP_ID, DISCORD_API_BASE: `${fake.apiBase}/x` }), /^deploy failed: Discord answered HTTP 404 \(404: Not Found\)$/],
  ])('says what to fix, in one line with exit code 1, for %s', async (_, settings, message) => {
    const env = { ...process.env, DISCORD_TOKEN: TOKEN, DISCORD_API_BASE: fake.apiBase, LOG_LEVEL: 'info', ...settings() };
    const failed = await run('npm', ['run', 'deploy-commands'], { env }).then(() => null, (err: { code: number; stdout: string; stderr: string }) => err);
    expect(failed).toMatchObject({ code: 1, stdout: '' });
    expect(failed!.stderr.trim().split('\n').map((l) => JSON.parse(l).msg)).toEqual([expect.stringMatching(message)]);
  }, 60_000);

  it('names every bad setting in one line each, a bad LOG_LEVEL too (it was named alone)', async () => {
    const env = { ...process.env, DISCORD_TOKEN: TOKEN, DISCORD_CLIENT_ID: '', LOG_LEVEL: 'loud' };
    const failed = await run('npm', ['run', 'deploy-commands'], { env }).then(() => null, (err: { code: number; stderr: string }) => err);
    expect(failed?.code).toBe(1);
    expect(failed!.stderr.trim().split('\n').map((l) => JSON.parse(l).msg)).toEqual([
      expect.stringMatching(/^configuration error: 2 settings are wrong:\n- LOG_LEVEL must be .*"loud"\n- DISCORD_CLIENT_ID is not set/),
    ]);
  }, 60_000);

  // Run from a folder whose .env cannot be read (a folder of that name, as a bind mount of a missing file makes): npm
  // start names it among the other bad settings, and goes on when the environment holds the token and the server.
  const deployFrom = (folder: string, env: Record<string, string>) => {
    const cwd = path.join(tmp, folder);
    mkdirSync(path.join(cwd, '.env'), { recursive: true });
    const args = [...START.args.slice(0, -1), path.join(ROOT, 'src/bot/deploy-commands.ts')];
    const settings = { PATH: process.env.PATH ?? '', HOME: tmp, DISCORD_TOKEN: TOKEN, LOG_LEVEL: 'info', ...env };
    return run(START.command, args, { cwd, env: settings }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (err: { code: number; stdout: string; stderr: string }) => err,
    );
  };
  const messages = (stderr: string) => stderr.trim().split('\n').map((l) => JSON.parse(l).msg as string);

  it('names an unreadable .env among the other bad settings, in one line, as npm start does (it was named alone)', async () => {
    const failed = await deployFrom('env-folder', { DISCORD_CLIENT_ID: '' });
    expect(failed.code).toBe(1);
    expect(messages(failed.stderr)).toEqual([
      expect.stringMatching(/^configuration error: 2 settings are wrong:\n- DISCORD_CLIENT_ID is not set.*\n- .*\/env-folder\/\.env cannot be read \(EISDIR: .*\), and the environment names no server to deploy to: .*set DISCORD_GUILD_ID in the environment$/),
    ]);
  }, 60_000);

  it('goes on without an unreadable .env when the environment holds the token and names the server, saying so', async () => {
    const done = await deployFrom('env-folder-set', { DISCORD_CLIENT_ID: APP_ID, DISCORD_GUILD_ID: GUILD_ID, DISCORD_API_BASE: fake.apiBase });
    expect(done).toMatchObject({ code: 0, stdout: 'Registered 5 commands (/about, /article, /ask, /reload, /sources) in the guild.\n' });
    expect(messages(done.stderr)).toEqual([
      expect.stringMatching(/\/env-folder-set\/\.env cannot be read \(EISDIR: .*\): going on with the environment's settings \(DISCORD_TOKEN is set there\); a setting only in \.env is not applied$/),
      'commands deployed',
    ]);
  }, 60_000);

  // The moderators' server is the start's concern; deploy's is the server it registers in (DISCORD_GUILD_ID): without it
  // the commands go to every server the bot is in, where .env may have named one (a test server).
  it('refuses an unreadable .env when the environment names the moderators\' server but no server to deploy to, instead of registering everywhere', async () => {
    const failed = await deployFrom('env-folder-moderators', { DISCORD_CLIENT_ID: APP_ID, MODERATOR_GUILD_ID: GUILD_ID, DISCORD_API_BASE: fake.apiBase });
    expect(failed).toMatchObject({ code: 1, stdout: '' });
    expect(messages(failed.stderr)).toEqual([
      expect.stringMatching(/^configuration error: .*\/env-folder-moderators\/\.env cannot be read \(EISDIR: .*\), and the environment names no server to deploy to: .*set DISCORD_GUILD_ID in the environment$/),
    ]);
  }, 60_000);

  it('registers every command in the guild, loading only the definitions', async () => {
    const record = path.join(tmp, 'modules.txt');
    const { stdout } = await run('npm', ['run', 'deploy-commands'], {
      env: {
        ...process.env,
        DISCORD_TOKEN: TOKEN,
        DISCORD_CLIENT_ID: APP_ID,
        DISCORD_GUILD_ID: GUILD_ID,
        DISCORD_API_BASE: fake.apiBase,
        RECORD_MODULES_TO: record,
        NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${pathToFileURL(path.resolve('test/record-modules.mjs')).href}`,
      },
    });
    expect(stdout).toBe('Registered 5 commands (/about, /article, /ask, /reload, /sources) in the guild.\n');
    const put = fake.calls.filter((c) => c.method === 'PUT').at(-1)!; // this run's (earlier tests' were refused)
    expect(put.route).toBe(`/api/v10/applications/${APP_ID}/guilds/${GUILD_ID}/commands`);
    expect(put.body.map((c: { name: string }) => c.name)).toEqual(['about', 'article', 'ask', 'reload', 'sources']);
    // Options travel with their definition alone: /sources' page and find, limits included.
    expect(put.body.find((c: { name: string }) => c.name === 'sources').options).toEqual([
      expect.objectContaining({ name: 'page', type: 4, min_value: 1 }),
      expect.objectContaining({ name: 'find', type: 3, max_length: 100 }),
    ]);

    const loaded = readFileSync(record, 'utf8').split('\n').filter(Boolean).map((m) => m.replace(/\\/g, '/'));
    const ours = loaded.filter((m) => /\/(commands|src)\//.test(m) && !m.includes('/node_modules/'));
    // It really recorded the deploy run: the definitions were loaded.
    for (const name of ['about', 'article', 'ask', 'reload', 'sources']) expect(ours.some((m) => m.endsWith(`/commands/${name}/definition.ts`))).toBe(true);
    expect(ours.filter((m) => /\/commands\/[^/]+\/(index|render)\.ts$/.test(m))).toEqual([]);
    expect(ours.filter((m) => m.includes('/src/engine/'))).toEqual([]);
    for (const heavy of ['onnxruntime-node', '@huggingface/transformers', 'flexsearch']) {
      expect(loaded.filter((m) => m.includes(`/node_modules/${heavy}/`))).toEqual([]);
    }
  }, 60_000);
});
