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
      lastReload: { ok: true, articles: 400, sentences: 12_000, added: [], changed: [], removed: [], errors: [], embedded: 0, model: 'm', tookMs: 1, builtAt: new Date(0), requestedBy: null },
      reloading: false,
    };
    const reply = renderAbout({ status, startedAt: new Date(0), now: new Date(3_723_000), asks: 4, p50: 12, p95: 1500 });
    const f = Object.fromEntries(reply.embeds![0].fields!.map((x) => [x.name, x.value]));
    expect(f.Uptime).toBe('1 h 2 min');
    expect(f['/ask answer times since start']).toBe('p50 12 ms, p95 1.5 s over 4 questions');
    expect(f['Last reload']).toContain('at start');
    expect(limitViolations(reply)).toEqual([]);
  });
});
