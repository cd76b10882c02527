import { describe, expect, it } from 'vitest';
import type { ArticleInfo, ReloadReport } from '../../src/engine/types';
import type { AddedArticle } from '../../src/intake/intake';
import { limitViolations } from '../../src/discord/limits';
import { renderAdded, renderArticleChoices, renderIntakeRefusal, renderRemoved } from './render';

const report: ReloadReport = {
  ok: true,
  articles: 3,
  sentences: 41,
  added: ['bridge.md'],
  changed: [],
  removed: [],
  errors: [],
  embedded: 6,
  model: 'm',
  tookMs: 900,
  builtAt: new Date(1_700_000_000_000),
  requestedBy: 'Mod',
};
const added: AddedArticle = {
  file: 'bridge.md',
  title: 'Harbour bridge approved [after] 8 years',
  url: 'https://ledger.example/bridge',
  outlet: 'The Coastal Ledger',
  published: '2024-03-14T18:30:00Z',
  sentences: 6,
  firstSentence: 'The council voted *seven* to two @everyone.',
  replaced: [],
};

describe('renderAdded', () => {
  it('shows title, outlet, date, sentence count, the first sentence and the new totals', () => {
    const reply = renderAdded(added, report);
    expect(limitViolations(reply)).toEqual([]);
    expect(reply.embeds![0].title).toBe('Article added');
    expect(reply.embeds![0].description!.split('\n')).toEqual([
      '**[Harbour bridge approved \\[after\\] 8 years](https://ledger.example/bridge)**',
      'The Coastal Ledger · 2024-03-14T18:30:00Z · 6 sentences',
      '> The council voted \\*seven\\* to two @everyone.',
      'Saved as `bridge.md`.',
      'Now 3 articles, 41 sentences.',
    ]);
  });

  it('names the file it replaced, and says when the reload did not load it', () => {
    const replaced = renderAdded({ ...added, replaced: [{ file: 'bridge.md', setAsideTo: '/x/removed-articles/2026-11-26T12-00-00.000Z_replaced_bridge.md' }] }, report);
    expect(replaced.embeds![0].title).toBe('Article replaced');
    expect(replaced.embeds![0].description).toContain('Replaces `bridge.md` (same link), kept aside as `2026-11-26T12-00-00.000Z_replaced_bridge.md`.');
    const failed = renderAdded(added, { ...report, errors: [{ file: 'bridge.md', reason: 'empty file' }] });
    expect(failed.embeds![0].description).toContain('The reload did not load it: empty file');
  });

  it('cuts a very long first sentence to fit', () => {
    expect(limitViolations(renderAdded({ ...added, firstSentence: 'word '.repeat(3000), title: 't'.repeat(500) }, report))).toEqual([]);
  });
});

describe('renderRemoved and refusals', () => {
  const info: ArticleInfo = { id: 'bridge.md', title: 'Bridge', file: 'bridge.md', url: null, outlet: null, published: null, sentences: 6 };

  it('gives the title, where the file went and the new totals', () => {
    const e = renderRemoved(info, '/x/removed-articles/2026-11-26T12-00-00.000Z_removed_bridge.md', { ...report, articles: 2, sentences: 35 }).embeds![0];
    expect(e.title).toBe('Article removed');
    expect(e.description).toBe(
      '**Bridge** (`bridge.md`) is no longer quoted.\nIts file is kept aside as `2026-11-26T12-00-00.000Z_removed_bridge.md`; the bot\'s host can bring it back.\nNow 2 articles, 35 sentences.',
    );
  });

  it('passes the intake reason on as one escaped line', () => {
    expect(renderIntakeRefusal('blocked address: a_b.example (127.0.0.1) is a loopback address').content).toBe(
      'Nothing was changed: blocked address: a\\_b.example (127.0.0.1) is a loopback address',
    );
  });
});

describe('renderArticleChoices', () => {
  it('offers at most 25 "title — file" choices within 100 characters, valued by id', () => {
    const many: ArticleInfo[] = Array.from({ length: 30 }, (_, i) => ({ id: `news/${i}.md`, title: `A long title number ${i} `.repeat(10), file: `news/${i}.md`, url: null, outlet: null, published: null, sentences: 1 }));
    const choices = renderArticleChoices(many);
    expect(choices).toHaveLength(25);
    for (const c of choices) {
      expect(c.name.length).toBeLessThanOrEqual(100);
      expect(c.name.endsWith(` — ${c.value}`)).toBe(true);
    }
    expect(renderArticleChoices([{ ...many[0], id: 'x'.repeat(101) }])).toEqual([]);
  });
});
