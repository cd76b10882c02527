import { describe, expect, it } from 'vitest';
import type { ReloadReport } from '../../src/engine/types';
import { limitViolations } from '../../src/discord/limits';
import { reloadReport, who } from '../test-helpers';
import { renderReloadProgress, renderReloadRefused, renderReloadReport } from './render';

const report = reloadReport({ added: ['new.md'], removed: ['old.txt'], errors: [{ file: 'bad.md', reason: 'front matter is not closed' }], embedded: 12 });

describe('renderReloadReport', () => {
  it('reports a reload with files and reasons, and a failed one says the last good index keeps serving', () => {
    const ok = renderReloadReport(report);
    expect(limitViolations(ok)).toEqual([]);
    const fields = ok.embeds![0].fields!;
    expect(fields.map((f) => f.name)).toEqual(['Added (1)', 'Changed (0)', 'Removed (1)', 'Not loaded (1)']);
    expect(fields[3].value).toBe('`bad.md`: front matter is not closed');
    expect(ok.embeds![0].description).toContain('took 1.5 s · model');
    // Queued behind another reload: the wait is the caller's too (its "waiting" line may have gone by unread).
    const queued = renderReloadReport({ ...report, waitedMs: 6800 }).embeds![0].description;
    expect(queued).toBe('**3 articles, 50 sentences** · 12 sentences newly embedded · took 1.5 s, after waiting 6.8 s for the reload before yours · model: m');
    // A wait under a second is lost in the reply's own round trips ("after waiting 3 ms"): not said.
    expect(renderReloadReport({ ...report, waitedMs: 3 }).embeds![0].description).toBe('**3 articles, 50 sentences** · 12 sentences newly embedded · took 1.5 s · model: m');
    expect(renderReloadReport({ ...report, waitedMs: 999, ok: false, error: 'disk on fire' }).embeds![0].description).toMatch(/^The reload failed: disk on fire\n/);
    expect(renderReloadReport({ ...report, waitedMs: 1000 }).embeds![0].description).toContain('took 1.5 s, after waiting 1.0 s for the reload before yours');
    expect(renderReloadReport({ ...report, waitedMs: 95_000 }).embeds![0].description).toContain('after waiting 1 min 35 s for');
    const failed = renderReloadReport({ ...report, ok: false, error: 'disk on fire' });
    expect(failed.embeds![0].title).toMatch(/last good index keeps serving/);
    expect(failed.embeds![0].description).toContain('disk on fire');
    // Failed after waiting: the wait was the caller's too (it said nothing of it).
    expect(renderReloadReport({ ...report, ok: false, error: 'disk on fire', waitedMs: 6800 }).embeds![0].description).toMatch(
      /^The reload failed after waiting 6\.8 s for the reload before yours: disk on fire\n/,
    );
  });
});

describe('renderReloadReport of a failed reload', () => {
  const failed: ReloadReport = { ...report, ok: false, error: 'no readable article in /data', added: [], removed: [], errors: [] };

  it('says it failed and why, and what the last good index serves, with no "Added (0)" as if nothing had changed', () => {
    const reply = renderReloadReport(failed);
    expect(limitViolations(reply)).toEqual([]);
    const embed = reply.embeds![0];
    expect(embed.title).toBe('Reload failed — the last good index keeps serving');
    expect(embed.description).toBe(
      'The reload failed: no readable article in /data\nThe last good index keeps serving answers (3 articles, 50 sentences).',
    );
    expect(embed.fields).toEqual([]);
  });

  it('names what another reload changed since this caller asked (its reload queued behind a successful one), and the bad files', () => {
    const reply = renderReloadReport({ ...failed, added: ['first.txt'], errors: [{ file: 'bad.md', reason: 'empty file' }] });
    const embed = reply.embeds![0];
    expect(embed.description).toMatch(/keeps serving answers \(3 articles, 50 sentences\), with what the reload before yours changed since you asked:$/);
    expect(embed.fields).toEqual([
      { name: 'Added (1)', value: '`first.txt`' },
      { name: 'Not loaded (1)', value: '`bad.md`: empty file' },
    ]);
  });
});

describe('renderReloadReport at its largest', () => {
  it("keeps a failed reload's report within Discord's 6,000 characters when a reload before it changed many files, under sharding", () => {
    const files = (kind: string) => Array.from({ length: 60 }, (_, i) => `reuters/2016/09/${kind}-obama-and-putin-meet-at-the-g20-summit-${i}.txt`);
    const errors = Array.from({ length: 40 }, (_, i) => ({ file: `bad/${'x'.repeat(60)}-${i}.md`, reason: 'front matter is not closed' }));
    const failed: ReloadReport = {
      ...report,
      ok: false,
      error: `no readable article in /data: ${'bad/x.md: empty file; '.repeat(100)}`,
      added: files('added'),
      changed: files('changed'),
      removed: files('removed'),
      errors,
    };
    const shards = Array.from({ length: 16 }, (_, shard) => ({ shard, ok: false, error: 'no readable article in /data '.repeat(20), articles: 2, sentences: 40, tookMs: 20, fromSnapshot: false }));
    // 6,688 characters: Discord refuses the whole report, and the moderator is left with the last progress line.
    const reply = renderReloadReport(failed, { from: 0, outcome: shards });
    expect(limitViolations(reply)).toEqual([]);
    expect(reply.embeds![0].description).toMatch(/^The reload failed: no readable article in \/data: bad\/x\.md: empty file; .* …\nThe last good index keeps serving answers \(3 articles, 50 sentences\), with what/);
    expect(reply.embeds![0].fields!.map((f) => f.name)).toEqual(['Added (60)', 'Changed (60)', 'Removed (60)', 'Not loaded (40)', 'Shards (16)']);
  });
});

describe('renderReloadProgress', () => {
  it('shows progress without an "embedding 0/0" when nothing needs embedding', () => {
    expect(renderReloadProgress({ phase: 'embedding', done: 0, total: 0 }, 1200).content).toBe(
      'Reloading… building the index (1.2 s so far). The current index keeps answering meanwhile.',
    );
    expect(renderReloadProgress({ phase: 'embedding', done: 5, total: 1200 }, 1200).content).toMatch(/^Reloading… embedding sentences 5\/1,200 /);
  });

  it('shows a reload queued behind another waiting for it, with what that one is doing', () => {
    expect(renderReloadProgress({ phase: 'embedding', done: 5, total: 1200, waiting: true }, 1200).content).toBe(
      'Reloading… waiting for the reload before yours to end (it is embedding sentences 5/1,200), then yours runs (1.2 s so far). The current index keeps answering meanwhile.',
    );
    expect(renderReloadProgress({ phase: 'reading', done: 0, total: 0, waiting: true }, 3).content).toBe(
      'Reloading… waiting for the reload before yours to end (it is reading the data folder), then yours runs. The current index keeps answering meanwhile.',
    );
  });
});

describe('renderReloadReport under sharding', () => {
  it('adds one line per shard, marking the one that ran the command and any that failed, or why none could be asked', () => {
    const shards = [
      { shard: 0, ok: true, error: null, articles: 3, sentences: 50, tookMs: 1500, fromSnapshot: true },
      { shard: 1, ok: false, error: 'disk on fire', articles: 2, sentences: 40, tookMs: 20, fromSnapshot: false },
      { shard: 2, ok: true, error: null, articles: 3, sentences: 50, tookMs: 900, fromSnapshot: false },
      { shard: 3, notStarted: true as const },
    ];
    const reply = renderReloadReport(report, { from: 1, outcome: shards });
    expect(limitViolations(reply)).toEqual([]);
    const field = reply.embeds![0].fields!.at(-1)!;
    expect(field.name).toBe('Shards (4)');
    expect(field.value.split('\n')).toEqual([
      'shard 0: reloaded from the snapshot, 3 articles, 50 sentences, 1.5 s',
      'shard 1 (this one): **failed** (disk on fire), still serving 40 sentences',
      'shard 2: reloaded, 3 articles, 50 sentences, 900 ms',
      'shard 3: not started yet; it reads the sources when it starts',
    ]);
    const unreachable = renderReloadReport(report, { from: 0, outcome: new Error('Shard 1 died') }).embeds![0].fields!.at(-1)!;
    expect(unreachable).toEqual({ name: 'Shards (?)', value: 'Could not reach every shard: Shard 1 died' });
  });
});

describe('renderReloadRefused', () => {
  it('tells a member of another server that only the moderators\' server changes the shared sources', () => {
    expect(renderReloadRefused('not-moderator').content).toBe('Only moderators (Manage Server, or a moderator role) can reload the sources.');
    // An admin there has Manage Server: "Only moderators (Manage Server…)" told them they qualified.
    expect(renderReloadRefused('other-server').content).toBe(
      "Only moderators of the server the bot's sources belong to can reload them: every server the bot is in shares the same articles.",
    );
  });
});
