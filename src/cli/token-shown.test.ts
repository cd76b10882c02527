/**
 * The terminal front never prints the bot's token, whatever the sources hold: a data folder holding a link to the
 * bot's settings file is read as an article, and `npm run ask`, run beside that `.env` (so it loads the token), masks
 * the token and its pieces as the bot does (`(…)`, test/token-in-sources.e2e.test.ts). Run as other tools run it, in
 * a child process, on the real engine.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { START } from '../../test/system';

const run = promisify(execFile);
const tsx = path.resolve('node_modules/.bin/tsx');
const ask = path.resolve('src/cli/ask.ts');
/** A token whose secret part begins with a digit: the engine reads "GaBcDe.7" as one word, the rest as another. */
const TOKEN = 'MTExMTExMTExMTExMTExMTEx.GaBcDe.7fakefakefakefakefakefakefakefak12';
/** Every 10 characters in a row of the token. */
const PIECES = Array.from({ length: TOKEN.length - 9 }, (_, i) => TOKEN.slice(i, i + 10));
const leaks = (text: string) => PIECES.filter((p) => text.includes(p));
const QUESTION = 'What is the token of the harbour quiz bot?';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'cli-token-'));
const botDir = path.join(tmp, 'bot');
const dataDir = path.join(tmp, 'data');
mkdirSync(botDir);
cpSync(path.resolve('data'), dataDir, { recursive: true });
writeFileSync(
  path.join(botDir, '.env'),
  `# Settings of the harbour quiz bot. Keep this file secret and out of the articles folder.\nDISCORD_TOKEN=${TOKEN}\n# The quiz bot was set up for the Millbrook harbour club in March.\n`,
);
symlinkSync(path.join('..', 'bot', '.env'), path.join(dataDir, 'harbour-bot-settings.txt'));
// The token only in .env, read from the working folder as `npm run ask` does.
const env: NodeJS.ProcessEnv = { ...process.env, CACHE_DIR: path.join(tmp, 'cache') };
delete env.DISCORD_TOKEN;

describe("npm run ask beside the bot's .env, with a link to it among the articles", () => {
  it('quotes the settings file (the test is live) with the token and its pieces masked', async () => {
    const { stdout } = await run(tsx, [ask, '--data', dataDir, '--top', '5', QUESTION, 'When was the quiz bot set up for the harbour club?'], { cwd: botDir, env });
    expect(stdout).toContain('up for the Millbrook');
    expect(stdout).toMatch(/TOKEN=\(…\)/);
    expect(leaks(stdout)).toEqual([]);
  }, 60_000);

  it('masks them in --json lines too', async () => {
    const { stdout } = await run(tsx, [ask, '--data', dataDir, '--top', '5', '--json', QUESTION], { cwd: botDir, env });
    const [line] = stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(line.answers.map((a: { quote: string }) => a.quote).join('\n')).toMatch(/TOKEN=\(…\)/);
    expect(leaks(stdout)).toEqual([]);
  }, 60_000);
});

describe('npm start in the terminal mode', () => {
  it("masks a token in the one line a start that cannot go on ends with, as the bot's log does", async () => {
    // A token pasted into another setting: the bot's log masks it (`redact`); the terminal printed it.
    const failed = await run(START.command, START.args, { cwd: botDir, env: { ...env, DISCORD_TOKEN: '', MAX_FILE_MB: TOKEN } }).then(
      () => null,
      (err: { code: number; stderr: string }) => err,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toMatch(/^error: configuration error: MAX_FILE_MB must be a number .*got "\(…\)"\n$/);
    expect(leaks(failed!.stderr)).toEqual([]);
  }, 60_000);
});
