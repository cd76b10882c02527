/**
 * `npm start` from a folder whose .env is UTF-16, with a byte-order mark (what Windows PowerShell's `>` and Notepad's
 * "Unicode" save) or without. dotenv read it as UTF-8 and found no setting: the bot started in the terminal mode, "no DISCORD_TOKEN
 * set", with the token right there in .env (under a service: an empty stdin, exit 0 at once).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { entries, startMain } from './start-run';
import { TOKEN } from './system';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'env-encoding-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** UTF-16 big-endian: Node's Buffer has only the little-endian encoding. */
const utf16be = (text: string) => Buffer.from(text, 'utf16le').swap16();

describe('a .env saved as UTF-16', () => {
  it.each([
    ['little-endian (PowerShell, Notepad "Unicode")', (text: string) => Buffer.from(`\uFEFF${text}`, 'utf16le')],
    ['big-endian (Notepad "Unicode big endian")', (text: string) => utf16be(`\uFEFF${text}`)],
    // Without the mark (.NET's UnicodeEncoding(false, false)): no UTF-8 text holds a zero byte.
    ['little-endian without a byte-order mark', (text: string) => Buffer.from(text, 'utf16le')],
    ['big-endian without a byte-order mark', (text: string) => utf16be(text)],
  ])('is read: %s', async (kind, encode) => {
    const cwd = path.join(tmp, kind.replace(/\W+/g, '-'));
    mkdirSync(cwd, { recursive: true });
    // Discord out of reach: the start gets as far as logging in, which only the token in .env can make it do.
    writeFileSync(path.join(cwd, '.env'), encode(`DISCORD_TOKEN=${TOKEN}\r\nDISCORD_API_BASE=http://127.0.0.1:9/api\r\n`));
    const out = await startMain({}, cwd, tmp).done;
    expect(out.stdout).not.toMatch(/Terminal mode/);
    expect(out.code).toBe(1);
    expect(entries(out.stderr).map((l) => l.msg)).toEqual([expect.stringMatching(/^could not start: could not reach Discord at http:\/\/127\.0\.0\.1:9\/api/)]);
    expect(out.stdout + out.stderr).not.toContain('fakefake');
  }, 30_000);
});
