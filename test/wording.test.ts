/**
 * One name per concept in what members read: where two messages tell of the same thing, they use the same words
 * (each renderer's own tests pin its whole message; this pins that they agree).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { NO_ARTICLES, openEngine } from '../src/engine';
import type { EngineStatus, ReloadReport } from '../src/engine/types';
import { renderStarting } from '../src/bot/router';
import { renderAbout } from '../commands/about/render';
import { renderNoSuchArticle, renderRemoved } from '../commands/article/render';
import { reportToText } from '../src/cli/format';
import { renderReloadProgress, renderReloadReport } from '../commands/reload/render';
import { renderSources } from '../commands/sources/render';

const report: ReloadReport = {
  ok: true, articles: 0, sentences: 0, added: [], changed: [], removed: [], errors: [], embedded: 0, model: 'm', tookMs: 1500, builtAt: new Date(0), requestedBy: [],
};
const status: EngineStatus = { model: 'm', articles: 0, sentences: 0, builtAt: new Date(0), lastReload: report, reloading: false };
const texts = (reply: { content?: string; embeds?: Array<{ description?: string; fields?: Array<{ value: string }> }> }) =>
  [reply.content ?? '', ...(reply.embeds ?? []).flatMap((e) => [e.description ?? '', ...(e.fields ?? []).map((f) => f.value)])].filter(Boolean).join('\n');

describe('wording', () => {
  it('a reload running is "(reloading…)" after the index size wherever it is told (/about, /sources)', () => {
    const reloading = { ...status, articles: 2, sentences: 33, reloading: true };
    const about = renderAbout({ status: reloading, startedAt: new Date(0), now: new Date(0), asks: 0, p50: null, p95: null }).embeds![0];
    expect(about.fields!.find((f) => f.name === 'Index')!.value).toBe('2 articles, 33 sentences (reloading…)');
    expect(renderSources([], reloading).embeds![0].title).toBe('Sources: 0 articles, 33 sentences (reloading…)');
  });

  it('an empty index is "No articles are loaded yet" wherever it is told (/ask, /sources, /article)', () => {
    // /ask said "No sources are loaded yet" where /sources said "No articles are loaded yet".
    for (const told of [NO_ARTICLES, texts(renderSources([], status)), texts(renderNoSuchArticle('gone.md', 0))]) expect(told).toMatch(/^No articles are loaded yet[,:]/);
  });

  it('a bot or shard whose first index is not built yet is "still starting (building its index…)", in the reply and in /about', () => {
    // The reply said "The sources are still loading" of what /about called a shard "still starting".
    expect(renderStarting(5000).content).toMatch(/still starting \(building its index/);
    const building = { shard: 1, guilds: 1, articles: 0, sentences: 0, builtAt: null, reloading: false, starting: 'building' as const };
    const about = renderAbout({ status, startedAt: new Date(0), now: new Date(0), asks: 0, p50: null, p95: null, shards: { from: 0, statuses: [building] } });
    expect(texts(about)).toMatch(/still starting \(building its index\)/);
    expect(texts(about)).not.toMatch(/loading/);
  });

  it('a time so far reads alike while the bot starts and while a reload runs', () => {
    // The starting reply said "5 s" where the reload's progress said "5.0 s", and "0 s" where it said "350 ms".
    for (const ms of [350, 5000, 95_000]) {
      const soFar = (text: string) => text.match(/([^(:]+) so far/)![1].trim();
      expect(soFar(renderStarting(ms).content!)).toBe(soFar(renderReloadProgress({ phase: 'reading', done: 0, total: 0 }, ms).content!));
    }
  });

  it('the build a queued reload waits for is "the reload before yours", while it waits and in its report', () => {
    // The waiting line said "the reload in progress", the report "the reload before yours".
    const waiting = renderReloadProgress({ phase: 'reading', done: 0, total: 0, waiting: true }, 2000).content!;
    const after = texts(renderReloadReport({ ...report, waitedMs: 2000 }));
    const failed = texts(renderReloadReport({ ...report, ok: false, error: 'disk on fire', waitedMs: 2000, added: ['a.txt'] }));
    // The failed report named what "a reload before yours" changed: the same one build.
    for (const told of [waiting, after, failed]) expect(told).toMatch(/the reload before yours/);
    for (const told of [waiting, after, failed]) expect(told).not.toMatch(/in progress/);
  });

  it('the index serving after a failed reload is "the last good index", told once, in /reload, /article and the terminal', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'wording-data-'));
    const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'wording-cache-'));
    try {
      writeFileSync(path.join(dataDir, 'ferry.txt'), 'Ferry timetable cut\n\nThe island ferry will run twice a day instead of four times from November.\n');
      const engine = await openEngine({ dataDir, cacheDir, warn: () => {} });
      const [removed] = engine.articles();
      rmSync(dataDir, { recursive: true, force: true }); // the folder gone: the reload fails, the index stays
      const failed = await engine.reload();
      expect(failed.ok).toBe(false);
      // /article said "The reload failed (…; the previous index keeps serving); the previous index keeps serving.", and
      // /reload "…; the previous index keeps serving\nThe last good index keeps serving answers": the engine's error said it too.
      for (const told of [texts(renderReloadReport(failed)), texts(renderRemoved(removed, '/x/removed-articles/r_ferry.txt', failed)), reportToText(failed)]) {
        expect(told.match(/keeps serving/g)).toHaveLength(1);
        expect(told).toMatch(/the last good index keeps serving/i);
      }
    } finally {
      [dataDir, cacheDir].forEach((d) => rmSync(d, { recursive: true, force: true }));
    }
  }, 60_000);
});
