import { describe, expect, it } from 'vitest';
import type { ArticleInfo } from '../../src/engine/types';
import type { AddedArticle } from '../../src/intake/intake';
import { limitViolations } from '../../src/discord/limits';
import { reloadReport } from '../test-helpers';
import { renderAdded, renderArticleChoices, renderArticleRefused, renderIntakeRefusal, renderNoSuchArticle, renderRemoved } from './render';

const report = reloadReport({ sentences: 41, added: ['bridge.md'], embedded: 6, tookMs: 900, builtAt: new Date(1_700_000_000_000) });
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

  it('never cuts an escape in two: no stray "\\" where the first sentence, the outlet or a reason is cut', () => {
    // A sentence written without spaces (capSentence lets 1,500 characters through) with markdown at every cut.
    const dangling = /(^|[^\\])(\\\\)*\\( |\)|$)/m;
    for (let pad = 990; pad < 999; pad++) {
      const unspaced = `${'會'.repeat(pad)}${'*<'.repeat(300)}`;
      const reason = `${'x'.repeat(pad - 700)}${'_'.repeat(300)}`;
      const reply = renderAdded({ ...added, firstSentence: unspaced, outlet: `${'o'.repeat(pad - 920)}${'*'.repeat(80)}` }, { ...report, ok: false, error: reason });
      const lines = reply.embeds![0].description!.split('\n');
      expect(limitViolations(reply)).toEqual([]);
      for (const line of lines) expect(line, `pad ${pad}`).not.toMatch(dangling);
      expect(lines[2].startsWith(`> ${'會'.repeat(pad)}`)).toBe(true);
      expect(lines[2].endsWith(' …')).toBe(true);
    }
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

  it('does not claim the article is gone when the reload failed: the old index still quotes it', () => {
    const e = renderRemoved(info, '/x/removed-articles/r_bridge.md', { ...report, ok: false, error: 'disk full', articles: 3, sentences: 41 }).embeds![0];
    expect(e.description).toMatch(/^\*\*Bridge\*\* \(`bridge.md`\) is still quoted until a reload succeeds\.\n/);
    expect(e.description).toContain('The reload failed (disk full)');
  });

  it('does not say a file already gone was set aside when one of its name came back during the reload', () => {
    const e = renderRemoved(info, null, { ...report, articles: 3, sentences: 41 }, true).embeds![0];
    // Before: "was set aside, but …", then "none was set aside now".
    expect(e.description).toBe(
      "**Bridge** (`bridge.md`) is still quoted: a file of that name was put back meanwhile; see `/sources`.\nIts file had already left the data folder (not moved by this removal), so none was set aside now.\nNow 3 articles, 41 sentences.",
    );
  });

  it('passes the intake reason on as one escaped line', () => {
    expect(renderIntakeRefusal('blocked address: a_b.example (127.0.0.1) is a loopback address').content).toBe(
      'Nothing was changed: blocked address: a\\_b.example (127.0.0.1) is a loopback address',
    );
  });
});

describe('renderNoSuchArticle', () => {
  it('says there is nothing to remove when no article is loaded yet, instead of pointing at an empty list', () => {
    expect(renderNoSuchArticle('gone.md', 3).content).toBe('No loaded article is `gone.md`: pick one from the list that appears as you type.');
    expect(renderNoSuchArticle('gone.md', 0).content).toBe('No articles are loaded yet, so there is nothing to remove: add one with `/article add`.');
  });
});

describe('renderArticleRefused', () => {
  it('tells a member of another server that only the moderators\' server changes the shared sources', () => {
    expect(renderArticleRefused('not-moderator').content).toBe('Only moderators (Manage Server, or a moderator role) can add or remove articles.');
    expect(renderArticleRefused('other-server').content).toBe(
      "Only moderators of the server the bot's sources belong to can add or remove articles: every server the bot is in shares the same articles.",
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
