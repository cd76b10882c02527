import { execFile, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { hasCommand } from '../../test/system';
import { MAX_QUESTION_LENGTH, NO_ARTICLES, openEngine } from '../engine';

// The command line is a contract other tools call: run it as they do, in a child process.
const run = promisify(execFile);
const tsx = path.resolve('node_modules/.bin/tsx');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'cli-'));
const env = { ...process.env, CACHE_DIR: path.join(tmp, 'cache'), DISCORD_TOKEN: '' };

describe('npm run ask -- --json', () => {
  it('prints exactly one contract-shaped JSON line per question, in order, quotes verbatim', async () => {
    const batch = path.join(tmp, 'questions.txt');
    writeFileSync(batch, 'How long did Obama and Putin meet?\nWhat is the weather in Moscow tomorrow?\nWho is Dmitry Peskov?\n');
    // Exactly as other tools call it, through npm: its "> script" banner must not reach stdout either.
    const { stdout } = await run('npm', ['run', 'ask', '--', '--json', '--top', '2', '--batch', batch], { env });
    const lines = stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.question)).toEqual([
      'How long did Obama and Putin meet?',
      'What is the weather in Moscow tomorrow?',
      'Who is Dmitry Peskov?',
    ]);
    expect(lines[1]).toEqual({ question: 'What is the weather in Moscow tomorrow?', abstained: true, model: expect.any(String), answers: [] });
    for (const line of [lines[0], lines[2]]) {
      expect(Object.keys(line)).toEqual(['question', 'abstained', 'model', 'answers']);
      expect(line.abstained).toBe(false);
      expect(line.answers.length).toBeGreaterThan(0);
      expect(line.answers.length).toBeLessThanOrEqual(2);
      for (const a of line.answers) {
        expect(Object.keys(a)).toEqual(['quote', 'source', 'score', 'context', 'alsoIn', 'answerSpans']);
        expect(Object.keys(a.source)).toEqual(['title', 'file', 'url']);
        expect(readFileSync(path.join('data', a.source.file), 'utf8')).toContain(a.quote);
      }
    }
    expect(lines[0].answers[0].quote).toMatch(/90 minutes|ninety minutes/);
    // The answer inside the quote: "how long" asks for a duration.
    const [first] = lines[0].answers;
    expect(first.answerSpans.map(([start, end]: [number, number]) => first.quote.slice(start, end))).toEqual(['90 minutes']);
  }, 60_000);

  it('gives every input line exactly one output line, blank lines with an error, so answers never shift', async () => {
    const batch = path.join(tmp, 'blanks.txt');
    const long = `How long did they meet ${'and why '.repeat(200)}?`; // over MAX_QUESTION_LENGTH
    writeFileSync(batch, `How long did Obama and Putin meet?\n\n   \nWho is Dmitry Peskov?\n\n${long}\nWhere is the G20 summit being held?\n`);
    const { stdout } = await run(tsx, ['src/cli/ask.ts', '--json', '--batch', batch], { env });
    const lines = stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(7);
    expect(lines.map((l) => l.question)).toEqual(['How long did Obama and Putin meet?', '', '', 'Who is Dmitry Peskov?', '', long, 'Where is the G20 summit being held?']);
    for (const i of [1, 2, 4]) expect(lines[i]).toEqual({ question: '', abstained: true, model: expect.any(String), answers: [], error: expect.stringMatching(/empty/) });
    expect(lines[5]).toEqual({ question: long, abstained: true, model: expect.any(String), answers: [], error: `The question is too long (${long.length} characters; at most ${MAX_QUESTION_LENGTH}).` });
    for (const i of [0, 3, 6]) expect(lines[i].answers.length).toBeGreaterThan(0);
  }, 60_000);
});

describe('npm run ask -- --batch, a file saved by Windows PowerShell', () => {
  it('reads UTF-16 with a byte-order mark and CRLF line ends as the same questions (each was garbage between NULs)', async () => {
    const batch = path.join(tmp, 'powershell.txt');
    writeFileSync(batch, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('How long did Obama and Putin meet?\r\nWho is Dmitry Peskov?\r\n', 'utf16le')]));
    const { stdout } = await run(tsx, ['src/cli/ask.ts', '--json', '--batch', batch], { env });
    const lines = stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.question)).toEqual(['How long did Obama and Putin meet?', 'Who is Dmitry Peskov?']);
    expect(lines[0].answers[0].quote).toMatch(/90 minutes/);
  }, 60_000);
});

describe('npm run ask (text)', () => {
  it('says why an empty or over-long question gets no answer, and answers the next one', async () => {
    const long = 'why '.repeat(300);
    const { stdout } = await run(tsx, ['src/cli/ask.ts', '  ', long, 'How long did Obama and Putin meet?'], { env });
    const [empty, tooLong, answered] = stdout.trimEnd().split('\n\n');
    expect(empty).toBe('Q: \n  The question is empty: type a question about the news event.');
    expect(tooLong).toBe(`Q: ${long.trim()}\n  The question is too long (${long.trim().length} characters; at most ${MAX_QUESTION_LENGTH}).`);
    expect(answered).toMatch(/90 minutes/);
  }, 60_000);
});

describe('unknown options', () => {
  it.each([
    // Every command refuses a command line it cannot read with exit status 2 (a usage error), as the bench and
    // training scripts do; 1 is left for what goes wrong after (an unreadable file, a bad setting).
    ['ask', ['src/cli/ask.ts', '--bogus', 'Who is Peskov?'], 2],
    ['eval', ['src/cli/eval.ts', '--questions', 'src/cli/fixtures/seed-questions-dev.jsonl', '--bogus'], 2],
    ['start', ['src/main.ts', '--bogus'], 2],
    ['deploy-commands', ['src/bot/deploy-commands.ts', '--bogus'], 2],
  ] as const)('%s refuses them by name instead of taking the question for their value', async (_, args, code) => {
    const failed = await run(tsx, args, { env }).then(() => null, (err: { code: number; stdout: string; stderr: string }) => err);
    expect(failed).not.toBeNull();
    expect(failed!.code).toBe(code);
    expect(failed!.stdout).toBe('');
    expect(failed!.stderr).toMatch(/unknown option '--bogus'/i);
    expect(failed!.stderr).not.toMatch(/no question given|\n\s+at /);
  }, 60_000);

  it.each([
    ['ask without a question', ['src/cli/ask.ts', '--json'], 2, /^error: no question given\nusage: npm run ask/],
    ['eval without --questions', ['src/cli/eval.ts'], 2, /^error: no question file: --questions FILE\.jsonl is required\nusage: /],
    ['eval with a stray word', ['src/cli/eval.ts', '--questions', 'src/cli/fixtures/seed-questions-dev.jsonl', '300'], 2, /^error: unexpected argument '300'\nusage: /],
    // Not a usage error: the command line is right, the file is not there.
    ['eval with a missing file', ['src/cli/eval.ts', '--questions', 'no/such/file.jsonl'], 1, /^error: cannot read the question file: /],
  ] as const)('%s: exit status %i, one line and no stack trace', async (_, args, code, stderr) => {
    const failed = await run(tsx, args, { env }).then(() => null, (err: { code: number; stdout: string; stderr: string }) => err);
    expect({ code: failed?.code, stdout: failed?.stdout }).toEqual({ code, stdout: '' });
    expect(failed!.stderr).toMatch(stderr);
    expect(failed!.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);

  it('start takes no words either: a question after npm start is refused, not ignored while the bot starts', async () => {
    const failed = await run(tsx, ['src/main.ts', 'Who is Peskov?'], { env, timeout: 30_000 }).then(() => null, (err: { code: number; stdout: string; stderr: string }) => err);
    expect({ code: failed?.code, stdout: failed?.stdout, stderr: failed?.stderr }).toEqual({
      code: 2,
      stdout: '',
      stderr: expect.stringMatching(/^error: unexpected argument 'Who is Peskov\?'\nusage: npm start\n/),
    });
  }, 60_000);
});

describe('a reader that goes away (| head)', () => {
  const questions = path.join(tmp, 'many-questions.txt');
  writeFileSync(questions, 'How long did Obama and Putin meet?\n'.repeat(60));
  it.each([
    ['npm run ask -- --batch', ['src/cli/ask.ts', '--batch', questions], null],
    ['the terminal mode of npm start', ['src/main.ts'], questions],
  ])('%s ends quietly with status 0 when its output closes, no EPIPE stack trace', async (_, args, stdin) => {
    const child = spawn(tsx, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    if (stdin) child.stdin.end(readFileSync(stdin));
    else child.stdin.end();
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    // The reader takes the first lines and leaves, as `head -1` does.
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  }, 60_000);
});

describe('a reader of the warnings alone that goes away (2>&1 >answers.jsonl | head)', () => {
  it('leaves npm run ask answering every question: only the warnings go unread (it ended at once, status 0, no answer)', async () => {
    const data = path.join(tmp, 'many-skipped');
    cpSync('data', data, { recursive: true });
    // Far more "skipped" lines than the 64 KB a pipe holds: they are still being written when their reader leaves.
    for (let i = 0; i < 2000; i++) writeFileSync(path.join(data, `${String(i).padStart(100, '0')}.txt`), '');
    const batch = path.join(tmp, 'three-questions.txt');
    writeFileSync(batch, 'How long did Obama and Putin meet?\nWho is Dmitry Peskov?\nWhere did they meet?\n');
    const child = spawn(tsx, ['src/cli/ask.ts', '--json', '--data', data, '--batch', batch], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.once('data', () => child.stderr.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect({ code, answered: stdout.trimEnd().split('\n').filter(Boolean).map((l) => JSON.parse(l).question) }).toEqual({
      code: 0,
      answered: ['How long did Obama and Putin meet?', 'Who is Dmitry Peskov?', 'Where did they meet?'],
    });
  }, 60_000);
});

describe('npm run ask -- --top', () => {
  it('refuses what is no whole number from 1 to 10 by name, before the engine loads, as the other scripts refuse a count', async () => {
    // countOption's refusal: one line naming the value, the usage, exit status 2 (as bench/ and training/ scripts).
    for (const top of ['0x3', '2.0', '1e0', '0', '11', '-1', 'abc', '2.5']) {
      const failed = await run(tsx, ['src/cli/ask.ts', `--top=${top}`, 'Who is Peskov?'], { env }).then(() => null, (err: { code: number; stdout: string; stderr: string }) => err);
      expect({ top, code: failed?.code, stdout: failed?.stdout, stderr: failed?.stderr }).toEqual({
        top,
        code: 2,
        stdout: '',
        stderr: expect.stringMatching(new RegExp(`^error: --top takes a whole number from 1 to 10, not '${top.replace('.', '\\.')}'\nusage: npm run ask -- [^\n]*\n$`)),
      });
    }
  }, 60_000);
});

describe('--help', () => {
  it.each([
    ['ask', 'src/cli/ask.ts', /^usage: npm run ask -- /],
    ['eval', 'src/cli/eval.ts', /^usage: npm run eval -- /],
    // These two take no options: without the check, --help started the bot and registered the commands with Discord.
    ['start', 'src/main.ts', /^usage: npm start\n/],
    ['deploy-commands', 'src/bot/deploy-commands.ts', /^usage: npm run deploy-commands\n/],
  ])('%s prints its usage on stdout and exits 0', async (_, script, usage) => {
    const { stdout, stderr } = await run(tsx, [script, '--help'], { env });
    expect(stdout).toMatch(usage);
    expect(stderr).toBe('');
  }, 60_000);
});

describe('npm run eval', () => {
  it('scores the seed questions: answerable ones hit within 3, the off-topic ones abstained, all verbatim', async () => {
    const { stdout } = await run(tsx, ['src/cli/eval.ts', '--json', '--data', 'data', '--questions', 'src/cli/fixtures/seed-questions-dev.jsonl'], { env });
    const s = JSON.parse(stdout);
    // The learned abstention refuses one paraphrase ("Which channel…", a word the articles lack): at most one
    // answerable question may be refused or missed (issue 6 allows two refusals on the seed event).
    expect(s.recallAt3).toBeGreaterThanOrEqual(1 - 1 / s.answerable - 1e-9);
    expect(s.abstainedUnanswerable).toBe(s.unanswerable);
    expect(s.abstainedAnswerable).toBeLessThanOrEqual(1);
    expect(s.notVerbatim).toBe(0);
  }, 60_000);
});

describe('npm start without DISCORD_TOKEN', () => {
  it('runs the terminal mode on the same engine: answers, lists sources, survives an empty line and an over-long one, ends at end of input', async () => {
    const child = run(tsx, ['src/main.ts'], { env });
    child.child.stdin!.end(`How long did Obama and Putin meet?\n\n${'why '.repeat(300)}\n:sources\nWho invented the telephone?\n`);
    const { stdout } = await child;
    expect(stdout).toMatch(/Terminal mode/);
    // An empty line just prompts again; an over-long question gets the engine's one line, and the session goes on.
    expect(stdout).toContain(`The question is too long (${'why '.repeat(300).trim().length} characters; at most ${MAX_QUESTION_LENGTH}).\n`);
    expect(stdout).toMatch(/“Obama and Putin met for 90 minutes/);
    expect(stdout).toMatch(/- Gaps of trust hamper Syria deal with Russia/);
    // Its words are nowhere in the sources: said so, as the bot says it, not that they do not answer it.
    expect(stdout).toContain("Few of this question's words, if any, appear in the sources, so they do not answer it");
  }, 60_000);
});

describe('npm start without DISCORD_TOKEN: the terminal', () => {
  // A data folder with a quote already in quote marks and a file that cannot be read.
  const dataDir = path.join(tmp, 'terminal-data');
  cpSync('data', dataDir, { recursive: true });
  writeFileSync(path.join(dataDir, 'remarks.txt'), 'Remarks after the talks\n\n“The Hangzhou talks with the Russian president were frank and long.”\n');
  writeFileSync(path.join(dataDir, 'empty.txt'), '');
  const terminalEnv = { ...env, DATA_DIR: dataDir };

  it('keeps log lines readable (no JSON), does not double quote marks, and names unknown commands', async () => {
    const child = run(tsx, ['src/main.ts'], { env: terminalEnv });
    child.child.stdin!.end('Were the Hangzhou talks frank?\n:foo\n');
    const { stdout, stderr } = await child;
    expect(stderr).not.toMatch(/^\s*\{/m);
    expect(stderr).toMatch(/^skipped empty\.txt: empty file$/m);
    expect(stdout).toMatch(/^ {2}1\. “The Hangzhou talks with the Russian president were frank and long\.”$/m);
    expect(stdout).not.toMatch(/““|””/);
    expect(stdout).toMatch(/unknown command :foo.*:sources.*:reload.*:quit/);
    expect(stdout).not.toMatch(/Q: :foo/);
  }, 60_000);

  it.each([
    ['a bad setting', { MAX_FILE_MB: 'lots' }, 'error: configuration error: MAX_FILE_MB must be a number of megabytes above 0 and at most 1024, got "lots"\n'],
    // Each named, one a line: naming the first alone, an owner fixed it, started again and met the next.
    ['two bad settings', { MAX_FILE_MB: 'lots', LOG_LEVEL: 'loud' }, 'error: configuration error: 2 settings are wrong:\n- LOG_LEVEL must be debug, info, warn or error, got "loud"\n- MAX_FILE_MB must be a number of megabytes above 0 and at most 1024, got "lots"\n'],
    ['no readable article', { DATA_DIR: path.join(tmp, 'no-articles') }, `error: could not start: could not build the index: no readable article in ${path.join(tmp, 'no-articles')}: empty.txt (empty file)\n`],
  ])('a start that cannot go on (%s) says why in one plain line, as the terminal writes, not a JSON log entry', async (_, settings, message) => {
    mkdirSync(path.join(tmp, 'no-articles'), { recursive: true });
    writeFileSync(path.join(tmp, 'no-articles', 'empty.txt'), '');
    const failed = await run(tsx, ['src/main.ts'], { env: { ...terminalEnv, ...settings } }).then(() => null, (err: { code: number; stdout: string; stderr: string }) => err);
    expect({ code: failed?.code, stdout: failed?.stdout, stderr: failed?.stderr }).toEqual({ code: 1, stdout: '', stderr: message });
  }, 60_000);

  it('starts on a folder with no article yet: says how to add some, tells a question so, and answers once :reload finds one', async () => {
    const empty = path.join(tmp, 'empty-data');
    mkdirSync(empty, { recursive: true });
    const child = run(tsx, ['src/main.ts'], { env: { ...terminalEnv, DATA_DIR: empty, CACHE_DIR: path.join(tmp, 'empty-cache') } });
    let shown = '';
    child.child.stdout!.on('data', (d: Buffer) => (shown += d));
    child.child.stdin!.write(':sources\nHow often will the island ferry run?\n');
    await expect.poll(() => shown, { timeout: 30_000 }).toContain(NO_ARTICLES);
    writeFileSync(path.join(empty, 'ferry.txt'), 'Ferry timetable cut\n\nThe island ferry will run twice a day instead of four times from November.\n');
    child.child.stdin!.end(':reload\nHow often will the island ferry run?\n');
    const { stdout, stderr } = await child;
    expect(stderr).toContain(`no articles are loaded yet from ${empty}: put .txt or .md article files there, then type :reload\n`);
    expect(stdout).toContain(`0 articles, 0 sentences`);
    // :sources said nothing at all: the list of no article was empty.
    expect(stdout).toContain('no articles are loaded yet: put .txt or .md article files in the data folder, then type :reload\n');
    expect(stdout).toContain(`\n${NO_ARTICLES}\n`);
    expect(stdout).toMatch(/twice a day/);
  }, 60_000);

  // Ctrl-C at the prompt only matters in a real terminal: `script` gives the child a pseudo-terminal.
  it.skipIf(!hasCommand('script'))('in a terminal, Ctrl-C at the prompt ends the session on a fresh line, exit code 0', async () => {
    const child = spawn('script', ['-qfec', `${tsx} src/main.ts`, '/dev/null'], { env: terminalEnv, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await expect.poll(() => out, { timeout: 30_000 }).toMatch(/ask> /);
    child.stdin.write('\x03');
    const code = await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve('still running'), 10_000))]);
    child.kill();
    expect(code).toBe(0);
    const afterPrompt = out.slice(out.lastIndexOf('ask> ') + 'ask> '.length);
    expect(afterPrompt).toMatch(/\n/);
  }, 60_000);

  it('on SIGTERM just after a reload, finishes writing its snapshot and exits 0: the next start loads it', async () => {
    const data = path.join(tmp, 'sigterm-data');
    cpSync('data', data, { recursive: true });
    const cacheDir = path.join(tmp, 'sigterm-cache');
    const child = spawn(tsx, ['src/main.ts'], { env: { ...env, DATA_DIR: data, CACHE_DIR: cacheDir }, stdio: ['pipe', 'pipe', 'pipe'] });
    let [out, err] = ['', ''];
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await expect.poll(() => out, { timeout: 30_000 }).toMatch(/Terminal mode/);
    writeFileSync(path.join(data, 'pier.txt'), 'Pier report\n\nThe quartermaster counted 17 crates of marmalade on the pier.\n');
    child.stdin.write(':reload\n');
    await expect.poll(() => out, { timeout: 30_000 }).toMatch(/added: pier\.txt/);
    child.kill('SIGTERM'); // the reload has answered; its snapshot is written after the swap
    expect(await exited, err).toBe(0);
    const next = await openEngine({ dataDir: data, cacheDir, warn: (m) => expect.fail(m) });
    expect(next.status().lastReload).toMatchObject({ ok: true, fromSnapshot: true });
    expect(next.articles().map((a) => a.file)).toContain('pier.txt');
  }, 60_000);
});
