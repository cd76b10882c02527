import { describe, expect, it } from 'vitest';
import type { EngineStatus } from '../../src/engine/types';
import { limitViolations } from '../../src/discord/limits';
import { renderAbout } from './render';

describe('renderAbout', () => {
  it('shows model, index, uptime and percentiles', () => {
    const status: EngineStatus = {
      model: 'm',
      articles: 400,
      sentences: 12_000,
      builtAt: new Date(0),
      lastReload: { ok: true, articles: 400, sentences: 12_000, added: [], changed: [], removed: [], errors: [], embedded: 0, model: 'm', tookMs: 1, builtAt: new Date(0), requestedBy: [] },
      reloading: false,
    };
    const reply = renderAbout({ status, startedAt: new Date(0), now: new Date(3_723_000), asks: 4, p50: 12, p95: 1500 });
    const f = Object.fromEntries(reply.embeds![0].fields!.map((x) => [x.name, x.value]));
    expect(f.Uptime).toBe('1 h 2 min');
    expect(f['/ask answer times since start']).toBe('p50 12 ms, p95 1.5 s over 4 questions');
    expect(f['Last reload']).toContain('at start');
    expect(limitViolations(reply)).toEqual([]);
    expect(f.Shards).toBeUndefined();
  });

  it('under sharding, lists every shard with its servers, index and build, or says they could not be asked', () => {
    const status: EngineStatus = { model: 'm', articles: 2, sentences: 33, builtAt: new Date(0), lastReload: null, reloading: false };
    const base = { status, startedAt: new Date(0), now: new Date(60_000), asks: 0, p50: null, p95: null };
    const shards = [
      { shard: 0, guilds: 1200, articles: 2, sentences: 33, builtAt: 1_700_000_000_000, reloading: false, starting: null },
      { shard: 1, guilds: 0, articles: 0, sentences: 0, builtAt: null, reloading: false, starting: 'logging-in' as const },
      { shard: 2, guilds: 1, articles: 0, sentences: 0, builtAt: null, reloading: false, starting: 'building' as const },
      { shard: 3, guilds: 5, articles: 2, sentences: 33, builtAt: 1_700_000_000_000, reloading: true, starting: null },
      { shard: 4, notStarted: true as const },
    ];
    const field = renderAbout({ ...base, shards: { from: 0, statuses: shards } }).embeds![0].fields!.at(-1)!;
    expect(field.name).toBe('Shards (5)');
    // A shard starting is neither built nor reloading: it said "not built yet (reloading…)" while it logged in.
    expect(field.value.split('\n')).toEqual([
      'shard 0 (this one): 1,200 servers, 2 articles, 33 sentences, built <t:1700000000:f> (<t:1700000000:R>)',
      'shard 1: still starting (logging in to Discord)',
      'shard 2: 1 server, still starting (building its index)',
      'shard 3: 5 servers, 2 articles, 33 sentences, built <t:1700000000:f> (<t:1700000000:R>) (reloading…)',
      'shard 4: not started yet',
    ]);
    expect(renderAbout({ ...base, shards: { from: 0, statuses: new Error('timed out') } }).embeds![0].fields!.at(-1)).toEqual({
      name: 'Shards',
      value: 'Could not ask every shard: timed out',
    });
  });
});
