/**
 * The terminal mode in this process, on a stand-in for a terminal (a stream that says it is a TTY, so readline
 * runs as it does for a person typing): Ctrl-C while a command is running ends the session for good.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEngine, type AnswerEngine } from '../engine';
import { runTerminal } from './terminal';

let engine: AnswerEngine;
beforeAll(async () => {
  engine = await openEngine({ dataDir: path.resolve('data'), cacheDir: mkdtempSync(path.join(os.tmpdir(), 'terminal-')), warn: () => {} });
}, 60_000);
afterAll(() => engine?.snapshotWritten(30_000));

/** A stream readline takes for a terminal. */
function fakeTerminal() {
  const input = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => input });
  const output = Object.assign(new PassThrough(), { isTTY: true, columns: 100 });
  let shown = '';
  output.on('data', (c: Buffer) => (shown += c.toString()));
  return { input, output, shown: () => shown };
}

describe('the terminal, typed into', () => {
  it('ends at Ctrl-C pressed during a reload: no prompt after its report, the keyboard let go (the process can exit)', async () => {
    const t = fakeTerminal();
    const session = runTerminal(engine, t.input as unknown as typeof process.stdin, t.output as unknown as typeof process.stdout);
    t.input.write(':reload\r\u0003'); // Ctrl-C arrives while the reload runs
    await session;
    const afterReport = t.shown().slice(t.shown().lastIndexOf('Indexed '));
    expect(afterReport).toMatch(/^Indexed 2 articles/);
    expect(afterReport).not.toContain('ask> ');
    // A resumed stdin keeps a real process alive after the session: it waited for another Ctrl-C.
    expect(t.input.isPaused()).toBe(true);
  }, 30_000);
});
