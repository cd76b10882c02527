import { describe, expect, it } from 'vitest';
import type { ArticleInfo, EngineStatus, ReloadReport } from '../../src/engine/types';
import { limitViolations } from '../../src/discord/limits';
import { renderSources } from './render';

const report: ReloadReport = {
  ok: true,
  articles: 400,
  sentences: 12_000,
  added: [],
  changed: [],
  removed: [],
  errors: [],
  embedded: 0,
  model: 'm',
  tookMs: 1500,
  builtAt: new Date(1_700_000_000_000),
  requestedBy: 'Mod_Name',
};
const status: EngineStatus = { model: 'm', articles: 400, sentences: 12_000, builtAt: report.builtAt, lastReload: report, reloading: false };

describe('renderSources', () => {
  it('cuts hundreds of sources with "… and N more", links whole', () => {
    const articles: ArticleInfo[] = Array.from({ length: 400 }, (_, i) => ({
      id: `a${i}`,
      title: `Article ${i} about the summit`,
      file: `a${i}.md`,
      url: `https://example.com/${i}`,
      outlet: 'Wire',
      published: '2016-09-05',
      sentences: 30,
    }));
    const reply = renderSources(articles, status);
    expect(limitViolations(reply)).toEqual([]);
    const e = reply.embeds![0];
    expect(e.title).toBe('Sources: 400 articles, 12,000 sentences');
    expect(e.description).toMatch(/… and \d+ more$/);
    expect(e.description).toContain('**1.** [Article 0 about the summit](https://example.com/0) — Wire, 2016-09-05 · 30 sentences');
    expect(e.fields![0].value).toBe('<t:1700000000:f> (<t:1700000000:R>) by Mod\\_Name');
  });

  it('renders only the lines that can show, however many articles are loaded (any member may ask, often)', () => {
    let titlesRead = 0;
    const articles = Array.from({ length: 50_000 }, (_, i): ArticleInfo => ({
      id: `a${i}.md`,
      get title() {
        titlesRead++;
        return `Article ${i}`;
      },
      file: `a${i}.md`,
      url: null,
      outlet: null,
      published: null,
      sentences: 3,
    }));
    const reply = renderSources(articles, { ...status, articles: 50_000 });
    expect(limitViolations(reply)).toEqual([]);
    expect(titlesRead).toBeLessThan(1000);
    const lines = reply.embeds![0].description!.split('\n');
    expect(lines.at(-1)).toBe(`… and ${(50_000 - (lines.length - 1)).toLocaleString('en-US')} more`);
  });

  it('says who added an article from Discord, and when', () => {
    const added: ArticleInfo = { id: 'a.md', title: 'Bridge', file: 'a.md', url: null, outlet: null, published: null, sentences: 6, addedBy: 'Ana_B (900000000000000001)', addedAt: '2023-11-14T22:13:20.000Z' };
    const plain: ArticleInfo = { ...added, id: 'b.md', file: 'b.md', addedBy: null, addedAt: null };
    const description = renderSources([added, plain], status).embeds![0].description!;
    expect(description.split('\n')).toEqual(['**1.** Bridge · 6 sentences · added by Ana\\_B <t:1700000000:R>', '**2.** Bridge · 6 sentences']);
  });

  it('names the files that were not loaded', () => {
    const withErrors = { ...status, lastReload: { ...report, errors: [{ file: 'bad`name.md', reason: 'empty file' }] } };
    const e = renderSources([], withErrors).embeds![0];
    expect(e.description).toBe('No articles are loaded.');
    expect(e.fields![1]).toEqual({ name: 'Files not loaded', value: "`bad'name.md` (see `/reload` for reasons)" });
  });
});
