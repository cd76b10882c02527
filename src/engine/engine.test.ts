import { cpSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineStartError, MAX_QUESTION_LENGTH, openEngine, QuestionError, questionRefusal, type AnswerEngine } from '.';

// The real engine end to end: real files, real FlexSearch, the real transformers.js pipeline on the offline model.
const tmp = (p: string) => mkdtempSync(path.join(os.tmpdir(), p));
const cacheDir = tmp('engine-cache-');
const dirs: string[] = [cacheDir];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function seedCopy(): string {
  const dir = tmp('engine-data-');
  dirs.push(dir);
  cpSync(path.resolve('data'), dir, { recursive: true });
  return dir;
}

describe('answers from the seed articles', () => {
  let engine: AnswerEngine;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = seedCopy();
    engine = await openEngine({ dataDir, cacheDir, warn: () => {} });
  });

  it('answers with verbatim quotes, their source and context', async () => {
    const answer = await engine.ask('How long did Obama and Putin meet?');
    expect(answer.abstained).toBe(false);
    expect(answer.answers.length).toBeGreaterThan(0);
    expect(answer.answers.slice(0, 3).some((q) => /90 minutes|ninety minutes/.test(q.quote))).toBe(true);
    for (const q of answer.answers) {
      const text = readFileSync(path.join(dataDir, q.source.file), 'utf8');
      expect(text.slice(q.start, q.end)).toBe(q.quote);
      expect(q.source.title.length).toBeGreaterThan(0);
      expect(q.score).toBeGreaterThan(0);
      expect(q.score).toBeLessThanOrEqual(1);
      for (const [s, e] of q.highlights) expect(q.quote.slice(s, e)).toMatch(/^[\p{L}\p{N}]/u);
    }
    const first = answer.answers[0];
    expect(first.context.before === null || typeof first.context.before === 'string').toBe(true);
    expect(answer.model).toMatch(/offline/);
    expect(answer.articlesSearched).toBe(2);
  });

  it('answers paraphrases that name the answer\'s kind or a demonym the answer does not repeat', async () => {
    // "What issues …": the answer says "clarified the remaining gaps", another sentence "discussed core issues".
    const issues = await engine.ask('What issues did Obama and Putin clarify?');
    expect(issues.answers[0]?.quote).toContain('clarified the remaining gaps');
    // "American official": the sources only say "US official".
    const american = await engine.ask('How did an American official characterise the meeting afterwards?');
    expect(american.abstained).toBe(false);
    expect(american.answers[0]?.quote).toContain('It was constructive');
  });

  it('abstains when the sources do not answer', async () => {
    for (const q of ['What is the weather in Moscow tomorrow?', 'Who invented the telephone?', 'How do I bake banana bread?']) {
      const answer = await engine.ask(q);
      expect(answer, q).toMatchObject({ abstained: true, answers: [] });
    }
  });

  it("says why it abstains: (almost) none of the question's words in the articles, or none of their sentences answering", async () => {
    for (const q of ['Wie lange haben sich Obama und Putin getroffen?', 'Combien de temps Obama et Poutine se sont-ils rencontrés ?', 'What is the weather in Moscow tomorrow?']) {
      expect(await engine.ask(q), q).toMatchObject({ abstained: true, abstainedBecause: 'words-absent', answers: [] });
    }
    // Moscow, weather and tomorrow absent, China and Syria there: two thirds are not absent, so no such claim.
    expect(await engine.ask('What is the weather in Moscow, China and Syria tomorrow?')).toMatchObject({ abstained: true, abstainedBecause: 'not-answered' });
    expect((await engine.ask('How long did Obama and Putin meet?')).abstainedBecause).toBeUndefined();
  });

  it('tolerates typos and answers keyword-only questions', async () => {
    const typo = await engine.ask('What did Pesko say about the meetting?');
    expect(typo.answers.some((q) => q.quote.includes('Peskov'))).toBe(true);
    const keywords = await engine.ask('putin obama ninety minute talk');
    expect(keywords.answers.slice(0, 3).some((q) => /90 minutes|ninety minutes/.test(q.quote))).toBe(true);
  });

  it('refuses empty and oversized questions with a clear message: the one questionRefusal gives front ends beforehand', async () => {
    await expect(engine.ask('   ')).rejects.toBeInstanceOf(QuestionError);
    await expect(engine.ask('   ')).rejects.toThrow(questionRefusal('   ')!.message);
    const long = 'why '.repeat(400);
    await expect(engine.ask(long)).rejects.toThrow(questionRefusal(long)!.message);
    expect(questionRefusal(long)).toEqual({ kind: 'too-long', message: `The question is too long (${long.trim().length} characters; at most 1000).` });
    // Counted trimmed, as asked: at the limit it is taken, one over it refused.
    expect(questionRefusal(` ${'x'.repeat(MAX_QUESTION_LENGTH)} `)).toBeNull();
    expect(questionRefusal('x'.repeat(MAX_QUESTION_LENGTH + 1))?.kind).toBe('too-long');
    expect(questionRefusal('\n\t ')?.kind).toBe('empty');
    // Characters as a person counts them: an emoji is one (two UTF-16 units), both for the limit and in the message.
    expect(questionRefusal('😀'.repeat(MAX_QUESTION_LENGTH))).toBeNull();
    expect((await engine.ask('😀'.repeat(MAX_QUESTION_LENGTH))).abstained).toBe(true);
    expect(questionRefusal(`${'😀'.repeat(MAX_QUESTION_LENGTH)}!`)?.message).toBe(`The question is too long (${MAX_QUESTION_LENGTH + 1} characters; at most 1000).`);
  });

  it('completes a partly typed question from the articles', () => {
    const s = engine.suggest('how long did Obama and Pu');
    expect(s[0]).toBe('how long did Obama and Pu');
    expect(s).toContain('how long did Obama and Putin');
    expect(s.length).toBeLessThanOrEqual(10);
    expect(engine.suggest('').length).toBeGreaterThan(0);
  });

  it('lets the caller choose how many completions (no front end limit inside the engine)', async () => {
    const dataDir = tmp('engine-words-');
    dirs.push(dataDir);
    const names = Array.from({ length: 60 }, (_, i) => `talk${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}`);
    writeFileSync(path.join(dataDir, 'words.txt'), `Words\n\n${names.map((n) => `The delegates discussed ${n} at length.`).join('\n\n')}\n`);
    const words = await openEngine({ dataDir, cacheDir, warn: () => {} });
    const many = words.suggest('Ask about talk', 40);
    expect(many).toHaveLength(40);
    expect(words.suggest('Ask about talk', 3)).toEqual(many.slice(0, 3));
  });
});

describe('near-identical sentences in several articles', () => {
  it('are one quote, "also reported by" the others', async () => {
    const dataDir = tmp('engine-dup-');
    dirs.push(dataDir);
    const body = 'Obama and Putin met for 90 minutes on the sidelines of the summit in Hangzhou, an official said.';
    writeFileSync(path.join(dataDir, 'a.txt'), `Wire story\n\n${body}\n\nThe talks covered Syria and Ukraine in detail.\n`);
    writeFileSync(path.join(dataDir, 'b.md'), `---\ntitle: Reprint\nsource: Daily Reprint\n---\n\n${body.replace('an official', 'a US official')}\n`);
    const engine = await openEngine({ dataDir, cacheDir, warn: () => {} });
    const answer = await engine.ask('How long did Obama and Putin meet?');
    expect(answer.answers[0].alsoIn).toHaveLength(1);
    expect(answer.answers.filter((q) => q.quote.includes('90 minutes'))).toHaveLength(1);
  });

  it('fold twins of a chosen quote whatever their own score, and lightly edited wire copy too', async () => {
    const dataDir = seedCopy();
    const seed = 'Obama and Putin met for 90 minutes on the sidelines of the Group of 20 economic summit in Hangzhou, China';
    // Titles sharing few words with the question: these twins score under the relative floor on their own.
    writeFileSync(path.join(dataDir, 'wire.txt'), `Leaders gather in China\n\n${seed}, said the official, who spoke on condition of anonymity.\n\nThe summit ends on Monday.\n`);
    writeFileSync(path.join(dataDir, 'diary.txt'), `Summit diary\n\n${seed}, a senior official said.\n`);
    const engine = await openEngine({ dataDir, cacheDir, warn: () => {} });
    for (const question of ['How long did Obama and Putin meet?', 'Obama and Putin met for 90 minutes on the sidelines']) {
      const answer = await engine.ask(question);
      const quotes = answer.answers.filter((q) => q.quote.includes('90 minutes'));
      expect(quotes, question).toHaveLength(1);
      // One quote, whichever copy the ranker puts first, reported by all three articles.
      const files = [quotes[0].source.file, ...quotes[0].alsoIn.map((s) => s.file)].sort();
      expect(files, question).toEqual(['000_f1945c786f8eadba.txt', 'diary.txt', 'wire.txt']);
    }
  });
});

describe('reload', () => {
  it('answers from the old index while rebuilding, then from the new one', async () => {
    const dataDir = seedCopy();
    const engine = await openEngine({ dataDir, cacheDir, warn: () => {} });
    writeFileSync(path.join(dataDir, 'new.txt'), 'Hangzhou tea\n\nThe famous Longjing green tea is grown in the hills around Hangzhou.\n');
    const reloading = engine.reload();
    expect(engine.status().reloading).toBe(true);
    const during = await engine.ask('Which green tea grows around Hangzhou?');
    expect(during.answers.some((q) => q.quote.includes('Longjing'))).toBe(false);
    const report = await reloading;
    expect(report).toMatchObject({ ok: true, articles: 3, added: ['new.txt'], changed: [], removed: [], errors: [] });
    expect(report.embedded).toBe(1); // the seed sentences came from the cache
    const after = await engine.ask('Which green tea grows around Hangzhou?');
    expect(after.answers[0].quote).toContain('Longjing');
  });

  it('gives a reload asked during a build one more build after it, shared by every call meanwhile', async () => {
    const dataDir = seedCopy();
    const engine = await openEngine({ dataDir, cacheDir, warn: () => {} });
    const running = engine.reload();
    // Written after the running build may have read the folder: the next reload must see it.
    writeFileSync(path.join(dataDir, 'late.txt'), 'Late news\n\nThe delegates of the late session met again in Hangzhou on Tuesday.\n');
    const next = engine.reload();
    const another = engine.reload();
    const first = await running;
    expect(engine.status().reloading).toBe(true);
    const second = await next;
    expect(engine.status().reloading).toBe(false);
    // A burst of reloads costs two builds: each build's instant is one Date, in the report of every caller it served.
    expect(second.builtAt).not.toBe(first.builtAt);
    expect((await another).builtAt).toBe(second.builtAt);
    expect(engine.articles().map((a) => a.file)).toContain('late.txt');
  });

  it("counts a queued reload's added, changed and removed from the index its callers saw, not from the build before it", async () => {
    const dataDir = seedCopy();
    const engine = await openEngine({ dataDir, cacheDir, warn: () => {} });
    writeFileSync(path.join(dataDir, 'first.txt'), 'First news\n\nThe first delegates arrived in Hangzhou on Sunday.\n');
    const running = engine.reload();
    const queued = engine.reload(); // a second moderator, the same moment: the running build takes first.txt
    expect((await running).added).toEqual(['first.txt']);
    // It said "Added (0)" before, though first.txt was not in the index when this caller asked.
    expect((await queued).added).toEqual(['first.txt']);
    expect((await engine.reload()).added).toEqual([]); // a reload alone counts from the index serving, as before
  });

  it('counts each caller of a queued reload from the index it saw, also one that came after the running build swapped in', async () => {
    const dataDir = seedCopy();
    const engine = await openEngine({ dataDir, cacheDir, warn: () => {} });
    writeFileSync(path.join(dataDir, 'first.txt'), 'First news\n\nThe first delegates arrived in Hangzhou on Sunday.\n');
    let runningDone = false;
    // A sharded bot's reload waits for its snapshot: its new index serves meanwhile, for seconds on a large folder.
    const running = engine.reload({ waitForSnapshot: true }).finally(() => (runningDone = true));
    const saw0 = engine.reload();
    while (!engine.articles().some((a) => a.file === 'first.txt')) await new Promise((resolve) => setImmediate(resolve));
    expect(runningDone).toBe(false);
    const saw1 = engine.reload(); // this moderator's /sources already listed first.txt
    expect((await running).added).toEqual(['first.txt']);
    expect((await saw0).added).toEqual(['first.txt']);
    // It was told "Added (1): first.txt", counted from the index the first queued caller saw.
    expect((await saw1).added).toEqual([]);
  });

  it('counts a queued reload from the index its caller saw when the build before it failed', async () => {
    const dataDir = seedCopy();
    const engine = await openEngine({ dataDir, cacheDir, warn: () => {} });
    const aside = tmp('engine-aside-');
    dirs.push(aside);
    const files = readdirSync(dataDir);
    for (const f of files) renameSync(path.join(dataDir, f), path.join(aside, f));
    const failing = engine.reload(); // finds no readable article
    const queued = engine.reload();
    void failing.then(() => {
      for (const f of files) renameSync(path.join(aside, f), path.join(dataDir, f));
      writeFileSync(path.join(dataDir, 'first.txt'), 'First news\n\nThe first delegates arrived in Hangzhou on Sunday.\n');
    });
    expect(await failing).toMatchObject({ ok: false, added: [], removed: [] });
    expect(await queued).toMatchObject({ ok: true, added: ['first.txt'], changed: [], removed: [] });
  });

  it('tells the caller of a queued build that fails after a successful one why, and what the last good index gained since it asked', async () => {
    const dataDir = seedCopy();
    const engine = await openEngine({ dataDir, cacheDir, warn: () => {} });
    const aside = tmp('engine-aside-');
    dirs.push(aside);
    writeFileSync(path.join(dataDir, 'first.txt'), 'First news\n\nThe first delegates arrived in Hangzhou on Sunday.\n');
    const running = engine.reload();
    const queued = engine.reload(); // a second moderator: the running build takes first.txt, then the folder empties
    void running.then(() => readdirSync(dataDir).forEach((f) => renameSync(path.join(dataDir, f), path.join(aside, f))));
    expect(await running).toMatchObject({ ok: true, added: ['first.txt'] });
    const report = await queued;
    // It was told "Added (0)": the index serving did change since this caller asked, through the build before.
    expect(report).toMatchObject({ ok: false, error: expect.stringMatching(/^no readable article in /), articles: 3 });
    expect(report).toMatchObject({ added: ['first.txt'], changed: [], removed: [] });
    expect(engine.articles().map((a) => a.file)).toContain('first.txt'); // nothing lost
    expect((await engine.ask('When did the first delegates arrive in Hangzhou?')).answers[0].quote).toContain('first delegates');
  });

  it('lists the loaded articles once a build: each call until the next build gets the same read-only list', async () => {
    const dataDir = seedCopy();
    const engine = await openEngine({ dataDir, cacheDir, warn: () => {} });
    const listed = engine.articles();
    expect(engine.articles()).toBe(listed);
    expect(Object.isFrozen(listed)).toBe(true);
    writeFileSync(path.join(dataDir, 'late.txt'), 'Late news\n\nThe delegates of the late session met again in Hangzhou on Tuesday.\n');
    await engine.reload();
    expect(engine.articles()).not.toBe(listed);
    expect(engine.articles().map((a) => a.file)).toContain('late.txt');
    expect(listed.map((a) => a.file)).not.toContain('late.txt'); // a list handed out earlier stays as it was
  });

  it('counts as embedded only the sentences of the build, not the questions answered meanwhile', async () => {
    const dataDir = seedCopy();
    const engine = await openEngine({ dataDir, cacheDir, warn: () => {} });
    const sentences = Array.from({ length: 400 }, (_, i) => `Delegation ${i} reached Hangzhou on the morning of day ${i % 7} with proposal ${i * 13}.`);
    writeFileSync(path.join(dataDir, 'delegations.txt'), `Arrivals\n\n${sentences.join('\n\n')}\n`);
    let reloading = true;
    const reload = engine.reload().finally(() => {
      reloading = false;
    });
    const asking = async (k: number) => {
      for (let n = 0; reloading; n++) await engine.ask(`Question ${k} number ${n}: did the talks on Syria go well?`);
    };
    await Promise.all([asking(1), asking(2), asking(3)]);
    const report = await reload;
    expect(report.ok).toBe(true);
    expect(report.embedded).toBe(400);
  });

  it('reports changed, removed and bad files, and keeps serving the good ones', async () => {
    const dataDir = seedCopy();
    const engine = await openEngine({ dataDir, cacheDir, warn: () => {} });
    const file = path.join(dataDir, '000_f1945c786f8eadba.txt');
    writeFileSync(file, readFileSync(file, 'utf8').replace('90 minutes', '95 minutes'));
    rmSync(path.join(dataDir, '004_80e3bf820ab2d521.txt'));
    writeFileSync(path.join(dataDir, 'broken.md'), '---\ntitle: x\n');
    const report = await engine.reload();
    expect(report).toMatchObject({ ok: true, articles: 1, changed: ['000_f1945c786f8eadba.txt'], removed: ['004_80e3bf820ab2d521.txt'] });
    expect(report.errors).toEqual([{ file: 'broken.md', reason: expect.stringMatching(/front matter/) }]);
    expect((await engine.ask('How long did Obama and Putin meet?')).answers[0].quote).toContain('95 minutes');
  });

  it('keeps the old index when a rebuild fails', async () => {
    const dataDir = seedCopy();
    const engine = await openEngine({ dataDir, cacheDir, warn: () => {} });
    const builtAt = engine.status().builtAt;
    rmSync(dataDir, { recursive: true, force: true });
    const report = await engine.reload();
    expect(report.ok).toBe(false);
    // The reason alone: each front end says the last good index serves (with the engine's words, it was said twice).
    expect(report.error).not.toMatch(/serving/);
    expect(engine.status().builtAt).toBe(builtAt);
    expect((await engine.ask('How long did Obama and Putin meet?')).abstained).toBe(false);
  });
});

describe('a folder with no readable article', () => {
  const unreadable = (dir: string) => {
    writeFileSync(path.join(dir, 'empty.txt'), '  \n');
    writeFileSync(path.join(dir, 'photo.txt'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1, 2]));
  };

  it('names each file and its reason in the start-up error and its report', async () => {
    const dataDir = tmp('engine-none-');
    dirs.push(dataDir);
    unreadable(dataDir);
    const failed = await openEngine({ dataDir, cacheDir, warn: () => {} }).then(() => null, (err: unknown) => err);
    expect(failed).toBeInstanceOf(EngineStartError);
    const { message, report } = failed as EngineStartError;
    expect(message).toMatch(/no readable article in .*: empty\.txt \(empty file\); photo\.txt \(binary file, not text\)/);
    expect(report.error).toMatch(/empty\.txt \(empty file\); photo\.txt \(binary file/);
    expect(report.errors.map((e) => e.file)).toEqual(['empty.txt', 'photo.txt']);
  });

  it('names them in a failed reload, cutting politely when there are very many', async () => {
    const dataDir = seedCopy();
    const engine = await openEngine({ dataDir, cacheDir, warn: () => {} });
    for (const f of ['000_f1945c786f8eadba.txt', '004_80e3bf820ab2d521.txt']) rmSync(path.join(dataDir, f));
    unreadable(dataDir);
    for (let i = 0; i < 40; i++) writeFileSync(path.join(dataDir, `blank-${String(i).padStart(2, '0')}.md`), '');
    const report = await engine.reload();
    expect(report.ok).toBe(false);
    expect(report.errors).toHaveLength(42);
    expect(report.error).toMatch(/^no readable article in .*: blank-00\.md \(empty file\); .*; and 32 more files$/);
    expect(report.error).toMatch(/blank-09\.md \(empty file\); and 32 more/);
    expect((await engine.ask('How long did Obama and Putin meet?')).abstained).toBe(false);
  });
});

describe('the embedding model', () => {
  it('falls back to the offline model with one warning when the configured one cannot load', async () => {
    const warnings: string[] = [];
    const engine = await openEngine({ dataDir: seedCopy(), cacheDir, model: path.join(os.tmpdir(), 'no-such-model'), warn: (m) => warnings.push(m) });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/no-such-model/);
    expect((await engine.ask('How long did Obama and Putin meet?')).model).toMatch(/offline/);
  });
});
