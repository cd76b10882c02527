/**
 * The scripts of bench/ and training/ as people run them, in child processes: an option they do not know, or a count
 * that is no whole number, is refused in one line followed by their usage, exit status 2, before any work and without
 * a stack trace (an option taken for another, or ignored, can cost a training's hours); `--help` prints the usage and
 * runs nothing.
 */
import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..');
const run = promisify(execFile);
/** Modules the scripts import, with no command line of their own. */
const MODULES = ['bench/print.ts', 'bench/snapshot-index.ts', 'training/extend-dump.ts', 'training/small-corpora.ts'];
const scripts = ['bench', 'training']
  .flatMap((dir) => readdirSync(path.join(ROOT, dir)).map((f) => `${dir}/${f}`))
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !MODULES.includes(f));

/** A script's exit status, stdout and stderr; killed after a minute (a script that ignores its options starts work). */
async function runScript(script: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', script, ...args], { cwd: ROOT, timeout: 60_000, env });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const { code, stdout, stderr } = err as { code: number | null; stdout: string; stderr: string };
    return { code, stdout, stderr };
  }
}

/** `items` through `work`, `width` at a time: the machine's cores are shared. */
async function inTurn<T, R>(items: T[], width: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) out[i] = await work(items[i]);
  };
  await Promise.all(Array.from({ length: width }, worker));
  return out;
}

describe('the bench and training scripts', () => {
  it('are found', () => {
    expect(scripts).toContain('bench/fit-ranking.ts');
    expect(scripts).toContain('training/train-ranker.ts');
    expect(scripts.length).toBeGreaterThan(15);
  });

  it('refuse an unknown option by name, then give their usage, exit status 2, no stack trace', async () => {
    const results = await inTurn(scripts, 2, async (script) => ({ script, ...(await runScript(script, ['--no-such-option'])) }));
    for (const { script, code, stdout, stderr } of results) {
      const lines = stderr.trimEnd().split('\n');
      expect({ script, code, first: lines[0], second: lines[1]?.slice(0, 7) }).toEqual({
        script,
        code: 2,
        first: "error: unknown option '--no-such-option'",
        second: 'usage: ',
      });
      expect(stderr, script).not.toMatch(/^\s+at /m);
      expect(stdout, script).toBe('');
    }
  }, 240_000);

  it('refuse a stray word, which no script takes', async () => {
    const { code, stderr } = await runScript('bench/fit-ranking.ts', ['300']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^error: unexpected argument '300'\nusage: npx tsx bench\/fit-ranking\.ts /);
  }, 60_000);

  it('refuse a count that is no whole number, or 0 where 0 measures nothing, by name, with the usage, before any work', async () => {
    // Refused before the shared data folder is looked for: the same on a clone without it.
    const limit = await runScript('bench/bench.ts', ['--limit', 'abc']);
    expect(limit).toEqual({ code: 2, stdout: '', stderr: "error: --limit takes a whole number from 1, not 'abc'\nusage: npm run bench [-- --limit N] [--model ID]\n" });
    const sizes = await runScript('bench/make-corpus.ts', ['--sentences', '0']);
    expect(sizes).toEqual({ code: 2, stdout: '', stderr: "error: --sentences takes a whole number from 1, not '0'\nusage: npx tsx bench/make-corpus.ts [--sentences 100000] [--out DIR]\n" });
    // 0 questions used to end bench/scale.ts after its builds with a stack trace (no p50 to print).
    const none = await runScript('bench/scale.ts', ['--limit', '0']);
    expect(none).toMatchObject({ code: 2, stdout: '', stderr: expect.stringMatching(/^error: --limit takes a whole number from 1, not '0'\nusage: npm run bench:scale /) });
  }, 60_000);

  it('bench/scale.ts refuses --sentences with --data (a corpus as it stands, its size its own), before any work', async () => {
    // The folder need not exist: the refusal comes first, and no build starts.
    const both = await runScript('bench/scale.ts', ['--data', path.join(os.tmpdir(), 'no-such-corpus'), '--sentences', '1000']);
    expect(both).toEqual({
      code: 2,
      stdout: '',
      stderr: 'error: --sentences sizes the corpus this script makes; --data DIR is measured as it stands: give one or the other\n' +
        'usage: npm run bench:scale -- [--sentences N | --data DIR] [--limit N] [--cache DIR] [--warm-only]\n',
    });
  }, 60_000);

  it('question-stages refuses a --from past the last question (no questions would run), and an empty questions file, before the index loads', async () => {
    // The script and the modules it imports (snapshot-index.ts, print.ts), copied beside a stand-in shared folder of two questions.
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'question-stages-'));
    try {
      mkdirSync(path.join(tmp, 'project/bench'), { recursive: true });
      for (const f of ['bench/question-stages.ts', 'bench/snapshot-index.ts', 'bench/print.ts', 'package.json']) copyFileSync(path.join(ROOT, f), path.join(tmp, 'project', f));
      for (const d of ['src', 'node_modules']) symlinkSync(path.join(ROOT, d), path.join(tmp, 'project', d));
      const squad = path.join(tmp, 'shared', 'eval', 'squad');
      mkdirSync(squad, { recursive: true });
      const question = (q: string) => JSON.stringify({ question: q, gold: ['an answer'] });
      writeFileSync(path.join(squad, 'questions-dev.jsonl'), `${question('Who?')}\n${question('When?')}\n`);
      const script = path.join(tmp, 'project/bench/question-stages.ts');
      // Folders that do not exist: past the check, the script would go on to load the model and index an empty corpus.
      const args = ['--data', path.join(tmp, 'none'), '--cache', path.join(tmp, 'none')];
      const past = await runScript(script, [...args, '--from', '2']);
      expect(past).toEqual({
        code: 2,
        stdout: '',
        stderr: expect.stringMatching(/^error: --from 2 is past the last question \(questions-dev\.jsonl holds 2: --from 0 to 1\)\nusage: npx tsx bench\/question-stages\.ts /),
      });
      // An empty questions file is no usage error: said as it is, whatever --from (0 included).
      writeFileSync(path.join(squad, 'questions-dev.jsonl'), '\n');
      const empty = await runScript(script, args);
      expect(empty).toEqual({ code: 1, stdout: '', stderr: `error: ${path.join(squad, 'questions-dev.jsonl')} holds no questions\n` });
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }, 60_000);

  it('refuse a missing required option (or an empty one) with the usage alone, before any work', async () => {
    for (const args of [[], ['--data', '']]) {
      const { code, stdout, stderr } = await runScript('bench/reload.ts', args);
      expect({ code, stdout, stderr }).toEqual({ code: 2, stdout: '', stderr: 'usage: npx tsx bench/reload.ts --data DIR [--cache DIR] [--runs N] [--index-only]\n' });
    }
  }, 60_000);

  it('refuse what dump-candidates --only cannot do, before any work', async () => {
    // Refused before the shared data folder is looked for: the same on a clone without it.
    const other = await runScript('training/dump-candidates.ts', ['--only', 'squad']);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/^error: --only takes 'small' \(the small-corpus sets\) or 'small-near' \(the near-topic one\), not 'squad'\nusage: npx tsx training\/dump-candidates\.ts /);
    const compare = await runScript('training/dump-candidates.ts', ['--only', 'small', '--cross-encoder', 'A', '--compare-cross-encoder', 'B']);
    expect(compare.code).toBe(2);
    expect(compare.stderr).toMatch(/^error: --only adds to OUT's own files: --compare-cross-encoder needs a whole dump\n/);
  }, 60_000);

  it('refuse a whole dump into a cp -al copy of a dump, which would overwrite the dump it links to', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'dump-linked-'));
    try {
      mkdirSync(path.join(tmp, 'dump'));
      writeFileSync(path.join(tmp, 'dump/features.f32'), 'rows');
      execFileSync('cp', ['-al', path.join(tmp, 'dump'), path.join(tmp, 'copy')]);
      const whole = await runScript('training/dump-candidates.ts', ['--out', path.join(tmp, 'copy')]);
      expect(whole.code).toBe(2);
      expect(whole.stderr).toMatch(/^error: \S+\/copy\/features\.f32 has other hard links \(a cp -al copy, or a dump copied so\): a whole dump would overwrite the other copy too; dump into a new folder\n/);
      expect(readFileSync(path.join(tmp, 'dump/features.f32'), 'utf8')).toBe('rows');
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }, 60_000);

  it('print their usage on --help and run nothing', async () => {
    const fit = await runScript('bench/fit-ranking.ts', ['--help']);
    expect(fit).toEqual({ code: 0, stdout: expect.stringMatching(/^usage: npx tsx bench\/fit-ranking\.ts .*--keep-weights/), stderr: '' });
    // npm run train:ranker -- --help: every step of the pass, none run (the dump step alone takes a quarter of an hour).
    const train = await runScript('training/train-ranker.ts', ['-h']);
    expect(train.code).toBe(0);
    expect(train.stderr).toBe('');
    expect(train.stdout).toContain('training/dump-candidates.ts --cross-encoder models/cross-encoder-squad');
    expect(train.stdout).toContain('.venv/bin/python training/train_ranker.py');
    expect(train.stdout).toContain('.venv/bin/python training/train_ce_stage.py');
  }, 60_000);

  it('train:ranker dumps where its Python steps read (QUOTEBOT_DUMP), and with no shared data folder beside the checkout runs no step', async () => {
    // A QUOTEBOT_DUMP left set from a comparison run: the dump step must write there, not to the default folder.
    const help = await runScript('training/train-ranker.ts', ['--help'], { ...process.env, QUOTEBOT_DUMP: '/tmp/elsewhere-dump' });
    expect(help.stdout).toContain('training/dump-candidates.ts --cross-encoder models/cross-encoder-squad --out /tmp/elsewhere-dump');
    // A checkout with no shared data folder beside it: the dump step would skip with status 0 and the Python steps refit
    // quotebot.json from an older dump. The runner and the one module it imports, copied where that folder is absent.
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'train-ranker-'));
    try {
      for (const f of ['training/train-ranker.ts', 'src/cli/args.ts']) {
        mkdirSync(path.join(tmp, 'project', path.dirname(f)), { recursive: true });
        copyFileSync(path.join(ROOT, f), path.join(tmp, 'project', f));
      }
      const alone = await runScript(path.join(tmp, 'project/training/train-ranker.ts'), []);
      expect(alone).toEqual({ code: 0, stdout: '', stderr: expect.stringMatching(/^skipped: training needs .*shared.*nothing refitted\n$/) });
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }, 60_000);
});
