/**
 * The terminal mode in this process, on a stand-in for a terminal (a stream that says it is a TTY, so readline
 * runs as it does for a person typing): Ctrl-C while a command is running ends the session for good. And on piped
 * input: what a command says to a word after it, or to a command pasted whole.
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

/** What the terminal shows for these lines piped in, to their end. */
async function piped(lines: string): Promise<string> {
  const input = new PassThrough();
  const output = new PassThrough();
  let shown = '';
  output.on('data', (c: Buffer) => (shown += c.toString()));
  const session = runTerminal(engine, input as unknown as typeof process.stdin, output as unknown as typeof process.stdout);
  input.end(lines);
  await session;
  return shown;
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

describe('the terminal, Ctrl-D', () => {
  it('at the prompt ends the session on a fresh line, so the shell prompt does not follow "ask> "', async () => {
    const t = fakeTerminal();
    const session = runTerminal(engine, t.input as unknown as typeof process.stdin, t.output as unknown as typeof process.stdout);
    t.input.write('\u0004');
    await session;
    expect(t.shown().slice(t.shown().lastIndexOf('ask> '))).toMatch(/^ask> [^\n]*\n$/);
  }, 30_000);
});

describe('the terminal, its commands mistyped', () => {
  it('refuses words after a command by its name (it said ":sources" was unknown, then listed it), takes any case, cuts a long echo', async () => {
    const shown = await piped(`:sources extra\n:reload  now please\n:SOURCES\n:${'x'.repeat(100_000)}\n:quit please\nWho is Peskov?\n`);
    const lines = shown.split('\n');
    expect(lines).toContain(':sources takes nothing after it (got "extra"); type :sources alone');
    expect(lines).toContain(':reload takes nothing after it (got "now please"); type :reload alone');
    expect(lines).toContain(':quit takes nothing after it (got "please"); type :quit alone');
    expect(shown).not.toMatch(/unknown command :(sources|reload|quit)/);
    expect(shown).not.toMatch(/^Indexed /m); // nothing reloaded
    expect(lines.filter((l) => l.startsWith('- ')).length).toBe(engine.articles().length); // :SOURCES listed them
    expect(lines).toContain(`unknown command :${'x'.repeat(59)}…; the commands are :sources, :reload, :quit`);
    expect(shown.length).toBeLessThan(10_000);
    expect(shown).toMatch(/^Q: Who is Peskov\?$/m); // the session went on after ":quit please"
  }, 30_000);

  it('cuts an echo between characters, never between the halves of an emoji (shown as \uFFFD)', async () => {
    const shown = await piped(`:sources a${'😀'.repeat(40)}\n:a${'😀'.repeat(40)}\n`);
    const lines = shown.split('\n');
    expect(lines).toContain(`:sources takes nothing after it (got "a${'😀'.repeat(29)}…"); type :sources alone`);
    expect(lines).toContain(`unknown command :a${'😀'.repeat(29)}…; the commands are :sources, :reload, :quit`);
    expect(shown).not.toContain('\uFFFD');
  }, 30_000);
});
