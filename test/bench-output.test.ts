/**
 * The bench scripts print sentences from the articles to the terminal: an article holding ESC sequences (clear the
 * screen, set the window title) or a bidi override must show them as stand-ins, as `npm run ask` does, not act on
 * the terminal. One script run for real (bench/ce-question.ts, on the committed models) on such an article.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'bench-output-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Runs a bench script as `npx tsx` would, from the project's root. */
const runScript = (args: string[]) => promisify(execFile)(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, timeout: 60_000 });

/** A data folder named `name` holding one plain article: the engine warns when the cache is put inside it. */
function meetingFolder(name: string): string {
  const data = path.join(tmp, name);
  mkdirSync(data);
  writeFileSync(path.join(data, 'meeting.txt'), 'Obama and Putin meet\n\nObama and Putin met for 90 minutes in Hangzhou on Monday, officials said.\n');
  return data;
}

describe('a bench script printing article sentences', () => {
  it('shows the controls of a hostile article as stand-ins (bench/ce-question.ts)', async () => {
    const data = path.join(tmp, 'data');
    mkdirSync(data);
    writeFileSync(
      path.join(data, 'hostile.txt'),
      'Obama and Putin meet\n\nObama and Putin met for 90 minutes \u001b[2J\u001b]0;pwned\u0007 in Hangzhou on Monday, officials said.\n\n' +
        'The talks on Syria \u202Eended\u202C without a deal, a spokesman said.\n',
    );
    const { stdout } = await runScript(['bench/ce-question.ts', '--data', data, '--cache', path.join(tmp, 'cache'), '--top', '2', '--question', 'How long did Obama and Putin meet?']);
    expect(stdout).toContain('Obama and Putin met for 90 minutes \u241b[2J\u241b]0;pwned\u2407 in Hangzhou');
    expect(stdout).toContain('The talks on Syria \uFFFDended\uFFFD without a deal');
    expect(stdout).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u202A-\u202E]/);
  }, 90_000);

  it("shows the controls of the engine's warnings as stand-ins too (bench/scale.ts, one step)", async () => {
    // A data folder whose name holds a terminal's title sequence, the cache inside it: the engine warns, naming it.
    const data = meetingFolder('scale-data\u001b]0;pwned\u0007');
    const { stderr } = await runScript(['bench/scale.ts', '--step', 'cold', '--data', data, '--cache', path.join(data, 'cache')]);
    expect(stderr).toContain('scale-data\u241b]0;pwned\u2407/cache is inside the data folder');
    expect(stderr).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u202A-\u202E]/);
  }, 90_000);

  it("shows the controls of the engine's warnings as stand-ins in the scripts with a warn of their own too (bench/warm-start.ts)", async () => {
    // bench/warm-start.ts, reload.ts and snapshot-index.ts (which six scripts load their model through) each wrote
    // the engine's warnings with console.error, raw.
    const data = meetingFolder('warm-data\u001b]0;pwned\u0007');
    const { stderr } = await runScript(['bench/warm-start.ts', '--data', data, '--cache', path.join(data, 'cache')]);
    expect(stderr).toContain('warm-data\u241b]0;pwned\u2407/cache is inside the data folder');
    expect(stderr).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u202A-\u202E]/);
  }, 90_000);
});
