import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// A data folder whose article holds terminal escape sequences, C1 controls and bidi overrides in its text, its
// title and its file name: what the command line prints must show them, never send them to the terminal.
const run = promisify(execFile);
const tsx = path.resolve('node_modules/.bin/tsx');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'cli-controls-'));
const env = { ...process.env, CACHE_DIR: path.join(tmp, 'cache'), DISCORD_TOKEN: '' };
const dataDir = path.join(tmp, 'data');
mkdirSync(dataDir);
const FILE = 'esc\u001b[31m_red.txt';
const TITLE = 'Summit \u202Etalks\u202C end\u001b]0;owned\u0007';
const QUOTE =
  'Obama and Putin met for 90 minutes in Hangzhou \u001b[2J\u001b[31mRED TEXT\u001b[0m on Monday, \u009B31m the \u202Eofficial\u202C said \u2066so\u2069\u0008\u007F.';
writeFileSync(path.join(dataDir, FILE), `${TITLE}\n\n${QUOTE}\n\nThe weather in Hangzhou was warm and humid all week.\n`);
writeFileSync(path.join(dataDir, 'empty\u001b[2J.txt'), ''); // skipped: its name is printed on stderr

/** What must never reach the terminal raw: C0 controls but tab and line feed, DEL, C1, bidi embeddings/overrides/isolates. */
const RAW_CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;
const QUESTION = 'How long did Obama and Putin meet?';

describe('the command line over an article with controls in its text, title and file name', () => {
  it('npm run ask prints the quote, title and file name with the controls shown (␛, U+FFFD), none raw', async () => {
    const { stdout, stderr } = await run(tsx, ['src/cli/ask.ts', '--data', dataDir, QUESTION], { env });
    expect(stdout).not.toMatch(RAW_CONTROL);
    expect(stderr).not.toMatch(RAW_CONTROL);
    expect(stdout).toContain('in Hangzhou ␛[2J␛[31mRED TEXT␛[0m on Monday, \uFFFD31m the \uFFFDofficial\uFFFD said \uFFFDso\uFFFD␈␡.');
    expect(stdout).toContain('— Summit \uFFFDtalks\uFFFD end␛]0;owned␇ (esc␛[31m_red.txt)');
    expect(stderr).toMatch(/^skipped empty␛\[2J\.txt: empty file$/m);
  }, 60_000);

  it('npm run ask --json escapes them, and the parsed quote is still the verbatim text of the file', async () => {
    const { stdout } = await run(tsx, ['src/cli/ask.ts', '--json', '--data', dataDir, QUESTION], { env });
    expect(stdout).not.toMatch(RAW_CONTROL);
    const answer = JSON.parse(stdout);
    expect(answer.answers[0].quote).toBe(QUOTE);
    expect(answer.answers[0].source).toMatchObject({ title: TITLE, file: FILE });
    expect(readFileSync(path.join(dataDir, FILE), 'utf8')).toContain(answer.answers[0].quote);
  }, 60_000);

  it('the terminal mode of npm start shows them in answers and in :sources', async () => {
    const child = run(tsx, ['src/main.ts'], { env: { ...env, DATA_DIR: dataDir } });
    child.child.stdin!.end(`${QUESTION}\n:sources\n`);
    const { stdout, stderr } = await child;
    expect(stdout).not.toMatch(RAW_CONTROL);
    expect(stderr).not.toMatch(RAW_CONTROL);
    expect(stdout).toContain('␛[2J␛[31mRED TEXT␛[0m');
    expect(stdout).toMatch(/^- Summit \uFFFDtalks\uFFFD end␛\]0;owned␇: 2 sentences, esc␛\[31m_red\.txt$/m);
  }, 60_000);
});
