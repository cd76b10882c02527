/**
 * `npm start` on a new server's empty data folder, from a folder whose `.env` cannot be read (a folder of that name, as
 * a bind mount of a missing file makes) while the token and every setting (the moderators' server among them) are in
 * the environment: the bot starts, says once that no articles are loaded yet, tells a member's question so, and serves
 * what a moderator adds.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ApplicationCommandOptionType, PermissionFlagsBits } from 'discord.js';
import { noArticlesYet } from '../commands/wording';
import { FakeDiscord, GUILD_ID, type RecordedCall } from './fake-discord';
import { entries, startMain } from './start-run';
import { hasCommand, isRoot, TOKEN } from './system';

const { String: STRING, Subcommand: SUB, Attachment: ATTACHMENT } = ApplicationCommandOptionType;
const FERRY = 'Ferry timetable cut\n\nThe island ferry will run twice a day instead of four times from November, the operator said.\n';
const tmp = mkdtempSync(path.join(os.tmpdir(), 'start-empty-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const shown = (calls: RecordedCall[]) => JSON.stringify(calls.map((c) => c.body));

describe('npm start on an empty data folder', () => {
  // The data folder a fresh ext4 volume: its lost+found/ (root's, mode 700) cannot be read by the bot's user, and as root
  // the bot runs without root's power to read it anyway (test/system.ts).
  it.skipIf(isRoot && !hasCommand('setpriv'))('starts (an unreadable .env warned of, the token being in the environment; an unreadable lost+found/ not named: no article anyone put there), tells /ask no articles are loaded yet, and serves what /article add adds', async () => {
    const cwd = path.join(tmp, 'app');
    const dataDir = path.join(tmp, 'data');
    mkdirSync(path.join(cwd, '.env'), { recursive: true });
    mkdirSync(path.join(dataDir, 'lost+found'), { recursive: true });
    chmodSync(path.join(dataDir, 'lost+found'), 0o000);
    const files = http.createServer((req, res) => (req.url === '/attachments/ferry.txt' ? res.end(FERRY) : res.writeHead(404).end()));
    await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
    const fake = new FakeDiscord(TOKEN);
    await fake.start();
    const settings = { DISCORD_TOKEN: TOKEN, DISCORD_API_BASE: fake.apiBase, DATA_DIR: dataDir, ASK_COOLDOWN_SECONDS: '60', MODERATOR_GUILD_ID: GUILD_ID };
    const bot = startMain(settings, cwd, tmp, { permissions: true });
    try {
      await fake.waitFor(() => bot.stderr().includes('"index built"'), 30_000, 'the index to be built');
      const warnings = entries(bot.stderr()).filter((l) => l.level === 'warn').map((l) => l.msg);
      expect(warnings).toEqual([
        expect.stringMatching(/\/app\/\.env cannot be read \(EISDIR: .*\): going on with the environment's settings \(DISCORD_TOKEN is set there\); a setting only in \.env is not applied$/),
        `no articles are loaded yet from ${dataDir}: members are told so; moderators add articles with /article add (or put .txt or .md files there and /reload)`,
      ]);

      const member = { id: '910000000000000101' };
      const ask = () => fake.command('ask', [{ name: 'question', type: STRING, value: 'How often will the island ferry run?' }], member);
      const refused = await fake.waitForInteraction(ask(), (c) => shown(c).includes('No articles'), 10_000);
      // Asked from the moderators' server: its moderators can add articles, and the member is told so.
      const told = JSON.stringify(noArticlesYet(null));
      expect(shown(refused)).toContain(told);
      expect(shown(refused)).not.toMatch(/don't answer this question/);
      // Refused unread, as a too-long question: no cooldown held the member back (the first took it: a minute's wait).
      const again = await fake.waitForInteraction(ask(), (c) => /No articles|asking a little fast/.test(shown(c)), 10_000);
      expect(shown(again)).toContain(told);

      const moderator = { id: '910000000000000102', permissions: String(PermissionFlagsBits.ManageGuild) };
      const url = `http://127.0.0.1:${(files.address() as AddressInfo).port}/attachments/ferry.txt`;
      const resolved = { attachments: { '950000000000000001': { id: '950000000000000001', filename: 'ferry.txt', size: FERRY.length, url, proxy_url: url } } };
      const add = fake.command('article', [{ name: 'add', type: SUB, options: [{ name: 'file', type: ATTACHMENT, value: '950000000000000001' }] }], moderator, resolved);
      expect(shown(await fake.waitForInteraction(add, (c) => shown(c).includes('Article added'), 20_000))).toContain('Now 1 article');

      const answered = await fake.waitForInteraction(ask(), (c) => shown(c).includes('twice a day'), 10_000);
      expect(shown(answered)).not.toContain('No articles are loaded yet');
      expect(bot.stderr()).not.toContain('fakefake');
      expect(entries(bot.stderr()).filter((l) => l.level === 'error')).toEqual([]);
    } finally {
      bot.kill('SIGTERM');
      await bot.done;
      chmodSync(path.join(dataDir, 'lost+found'), 0o755);
      await fake.close();
      await new Promise((resolve) => files.close(resolve));
    }
  }, 90_000);
});
