/**
 * Reloads asked while a build runs, through the real engine (real files, FlexSearch, the offline model): what each
 * caller of the queued build is told while it waits, and what the queued build takes from every caller.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openEngine, type ReloadProgress, type ReloadReport } from '.';
import { readArticle } from './corpus/articles';

const tmp = (p: string) => mkdtempSync(path.join(os.tmpdir(), p));
const FIRST = 'First news\n\nThe first delegates arrived in Hangzhou on Sunday.\n';
const cacheDir = tmp('queue-cache-');
const dirs: string[] = [cacheDir];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function seedCopy(): string {
  const dir = tmp('queue-data-');
  dirs.push(dir);
  cpSync(path.resolve('data'), dir, { recursive: true });
  return dir;
}

describe('reloads queued behind a running build', () => {
  it("tell every caller, the third as the second, that it waits behind the build in progress, then give it the queued build's own progress", async () => {
    const dataDir = seedCopy();
    const engine = await openEngine({ dataDir, cacheDir, warn: () => {} });
    writeFileSync(path.join(dataDir, 'first.txt'), FIRST);
    const seen: ReloadProgress[][] = [[], [], []];
    const reports = await Promise.all(seen.map((progress) => engine.reload({ onProgress: (p) => progress.push(p) })));
    expect(reports[1].builtAt).toBe(reports[2].builtAt); // the second and third share the queued build
    expect(seen[0].length).toBeGreaterThan(0);
    expect(seen[0].some((p) => p.waiting)).toBe(false);
    for (const progress of seen.slice(1)) {
      // The third was told nothing at all: only the queued build's first caller heard of its progress.
      expect(progress[0]).toEqual({ phase: 'reading', done: 0, total: 0, waiting: true });
      const own = progress.findIndex((p) => !p.waiting);
      expect(own).toBeGreaterThan(0);
      expect(progress[own]).toEqual({ phase: 'reading', done: 0, total: 0 });
      expect(progress.slice(own).some((p) => p.waiting)).toBe(false);
    }
    // While they waited, they were told the running build's progress as it went.
    expect(seen[2].filter((p) => p.waiting).map(({ waiting, ...p }) => p)).toEqual(seen[0].slice(0, seen[2].findIndex((p) => !p.waiting)));
  });

  it('names every caller in the shared build, each once, and tells each call how long it waited for the build before it', async () => {
    const dataDir = seedCopy();
    const engine = await openEngine({ dataDir, cacheDir, warn: () => {} });
    writeFileSync(path.join(dataDir, 'first.txt'), FIRST);
    const [a, b, c, otherB] = [{ id: '1', name: 'A' }, { id: '2', name: 'B' }, { id: '3', name: 'C' }, { id: '4', name: 'B' }];
    const running = engine.reload({ requestedBy: a });
    // B asks twice (renamed meanwhile), and another moderator shares B's name.
    const queued = [b, c, { ...b, name: 'B renamed' }, otherB, undefined].map((requestedBy) => engine.reload({ requestedBy }));
    const [first, ...joined] = await Promise.all([running, ...queued]);
    expect(first).toMatchObject({ requestedBy: [a], waitedMs: 0 });
    // The queued build was named after its first caller only: C's report said B asked for it, and /about "by B".
    // Each person once, told apart by id: by name, the second B was dropped and a renamed B named twice.
    for (const report of joined) expect(report.requestedBy).toEqual([b, c, otherB]);
    expect(engine.status().lastReload?.requestedBy).toEqual([b, c, otherB]);
    // Each waited the running build's time (asked as it started); its own build's time is tookMs.
    for (const report of joined) expect(report.waitedMs).toBeGreaterThanOrEqual(first.tookMs - 5);
  });

  it("takes every caller's reading of its added file, not only the first caller's", async () => {
    const dataDir = seedCopy();
    const engine = await openEngine({ dataDir, cacheDir, warn: () => {} });
    // Read as the adds read them (the same bytes, elsewhere), then saved once the running build has read the folder.
    const elsewhere = tmp('queue-adds-');
    dirs.push(elsewhere);
    const files = ['added-a.txt', 'added-b.txt'];
    files.forEach((file, k) => writeFileSync(path.join(elsewhere, file), `Added ${k}\n\nDelegation ${k} reached Hangzhou on the morning of the summit.\n`));
    const readings = await Promise.all(files.map((file) => readArticle(elsewhere, file)));
    const queuedCalls: Promise<ReloadReport>[] = [];
    const addWhileRunning = (p: ReloadProgress) => {
      if (p.phase === 'reading' || queuedCalls.length > 0) return;
      queuedCalls.push(engine.reload()); // a /reload: the queued build's first caller
      for (const [k, file] of files.entries()) {
        cpSync(path.join(elsewhere, file), path.join(dataDir, file));
        queuedCalls.push(engine.reload({ alreadyRead: [readings[k]] }));
      }
    };
    const running = engine.reload({ onProgress: addWhileRunning });
    expect((await running).added).toEqual([]);
    const queued = await Promise.all(queuedCalls);
    expect(queued.map((r) => r.builtAt)).toEqual([0, 1, 2].map(() => queued[0].builtAt));
    expect(queued[0]).toMatchObject({ ok: true, added: ['added-a.txt', 'added-b.txt'] });
    // Each add's file was read already: 2 before (a join dropped its reading, so the build parsed the file again).
    expect(queued[0].filesRead).toBe(0);
  });

  it("never lets one caller's progress handler that throws fail another's build, nor its own, nor stop the others hearing", async () => {
    const dataDir = seedCopy();
    const warnings: string[] = [];
    const engine = await openEngine({ dataDir, cacheDir, warn: (m) => warnings.push(m) });
    writeFileSync(path.join(dataDir, 'first.txt'), FIRST);
    const running = engine.reload({ requestedBy: { id: '1', name: 'A' } });
    const broken = () => {
      throw new Error('display broke');
    };
    // It threw out of reload() at once (no promise), and failed A's build: "display broke".
    const queued = [engine.reload({ requestedBy: { id: '2', name: 'B' }, onProgress: broken })];
    const heard: ReloadProgress[] = [];
    queued.push(engine.reload({ requestedBy: { id: '3', name: 'C' }, onProgress: (p) => heard.push(p) }));
    expect(await running).toMatchObject({ ok: true, added: ['first.txt'] });
    for (const report of await Promise.all(queued)) expect(report).toMatchObject({ ok: true, requestedBy: [{ id: '2', name: 'B' }, { id: '3', name: 'C' }] });
    expect(heard.some((p) => p.waiting) && heard.some((p) => !p.waiting)).toBe(true);
    expect(warnings.some((m) => /progress.*display broke/.test(m))).toBe(true);
  });
});
