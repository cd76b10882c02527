import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractArticle } from './extract-html';

const NEWS_PAGE = readFileSync(path.join(__dirname, 'fixtures', 'news-page.html'), 'utf8');

const BODY = [
  'The Millbrook city council voted seven to two on Thursday night to build a road and foot bridge across the harbour mouth, ending a dispute that has divided the town for eight years.',
  "The bridge will cost an estimated 41 million dollars and is due to open in the spring of 2027, according to the council's own figures.",
  '"This is the day the north quay stops being an island," said the mayor, Ruth Okafor, who had made the bridge the centrepiece of two election campaigns.',
  'Opponents, led by the harbour fishing cooperative, had argued that the bridge piers would narrow the channel and make the passage dangerous for trawlers in winter storms.',
  'The council said an independent study had found the channel would stay wide enough for every vessel now registered in the port, and promised a second review before building begins.',
  'Work on the foundations is expected to start in September, once the state environment agency has approved the final design.',
];

/** One phrase from each piece of page furniture around the story. */
const FURNITURE = {
  navigation: 'Subscribe today',
  cookieBanner: 'We use cookies',
  shareButtons: 'Share on Facebook',
  caption: "An artist's impression",
  ad: 'Refinance your home loan',
  adLabel: 'Advertisement',
  related: 'Fishing cooperative stages protest',
  comments: 'Finally some common sense',
  commentAuthor: 'trawlerman61',
  footer: 'All rights reserved',
  script: 'dataLayer',
};

describe('extractArticle', () => {
  const page = extractArticle(NEWS_PAGE, 'https://ledger.example/news/2024/03/harbour-bridge-approved?utm_source=chat');

  it('keeps exactly the story body, paragraph by paragraph', () => {
    expect(page.paragraphs).toEqual(BODY);
  });

  it.each(Object.entries(FURNITURE))('leaves out the %s', (_, phrase) => {
    expect(page.paragraphs.join('\n')).not.toContain(phrase);
  });

  it('reads title, byline, outlet and publication time from the metadata', () => {
    expect(page).toMatchObject({
      title: 'Harbour bridge approved after eight-year fight',
      byline: 'Dana Whitfield',
      siteName: 'The Coastal Ledger',
      published: '2024-03-14T18:30:00Z',
      url: 'https://ledger.example/news/2024/03/harbour-bridge-approved',
    });
  });

  it('prefers the fetched address to a canonical link on another host', () => {
    const moved = NEWS_PAGE.replaceAll('https://ledger.example/news/2024/03/harbour-bridge-approved', 'https://other.example/x');
    expect(extractArticle(moved, 'https://ledger.example/a?b=1#top').url).toBe('https://ledger.example/a?b=1');
  });

  it('keeps sub-headings as Markdown headings and list items as paragraphs', () => {
    const html = `<html><head><title>Storm</title></head><body><article><h1>Storm hits the coast</h1>
      <p>The storm reached the coast on Monday morning and closed every harbour between the two capes for a day.</p>
      <h2>What closed</h2><ul><li>All ferries between the islands stopped running until Tuesday evening.</li></ul>
      <p>Power was restored to most homes by the evening, the grid operator said in a statement on its website.</p>
      </article></body></html>`;
    expect(extractArticle(html).paragraphs).toEqual([
      'The storm reached the coast on Monday morning and closed every harbour between the two capes for a day.',
      '## What closed',
      'All ferries between the islands stopped running until Tuesday evening.',
      'Power was restored to most homes by the evening, the grid operator said in a statement on its website.',
    ]);
  });

  it('reads the metadata from JSON-LD alone, when the page has no og: tags', () => {
    const html = `<html><head><title>x</title><script type="application/ld+json">
      {"@context":"https://schema.org","@type":"NewsArticle","headline":"Ferry timetable cut for winter",
       "datePublished":"2022-02-01T07:00:00+01:00","author":[{"@type":"Person","name":"Sam Roe"}],
       "publisher":{"@type":"Organization","name":"Island Courier"}}</script></head>
      <body><article><p>The island ferry will run twice a day instead of four times from November, the operator said on Tuesday.</p>
      <p>Passengers who need an early crossing can book the freight boat, which leaves at six every morning.</p></article></body></html>`;
    expect(extractArticle(html)).toMatchObject({ title: 'Ferry timetable cut for winter', byline: 'Sam Roe', siteName: 'Island Courier', published: '2022-02-01T07:00:00+01:00', url: null });
  });

  it('reads minimal HTML5 without <body>; a fragment without a title is refused', () => {
    const body = '<p>The island ferry will run twice a day instead of four times from November, the operator said on Tuesday.</p><p>Passengers who need an early crossing can book the freight boat, which leaves at six every morning.</p>';
    for (const html of [`<!doctype html><title>Ferry cut</title>${body}`, `<html><head><title>Ferry cut</title></head>${body}</html>`]) {
      const page = extractArticle(html);
      expect(page.title, html).toBe('Ferry cut');
      expect(page.paragraphs, html).toHaveLength(2);
      expect(page.paragraphs[0]).toMatch(/^The island ferry will run twice a day/);
    }
    expect(() => extractArticle(body)).toThrow('not an article: the page has no title');
  });

  it('refuses deeply nested or huge pages at once, before Readability (whose time grows far faster than the page)', () => {
    const story = '<p>The island ferry will run twice a day instead of four times from November, the operator said on Tuesday.</p>';
    const page = (body: string) => `<html><head><title>Ferry cut</title></head><body>${body}</body></html>`;
    const started = performance.now();
    // 2,000 nested divs are 22 KB; Readability took about 100 s over them, on the thread that answers questions.
    expect(() => extractArticle(page(`${'<div>'.repeat(2000)}${story}${'</div>'.repeat(2000)}`))).toThrow('not an article: the page is nested more than 128 elements deep');
    expect(() => extractArticle(page(`${'<span><b><i>'.repeat(15_000)}${story}`))).toThrow('not an article: the page is nested more than 128 elements deep');
    expect(() => extractArticle(page(`${'<a>x</a>'.repeat(60_000)}${story}`))).toThrow('not an article: the page has more than 50,000 elements');
    expect(performance.now() - started).toBeLessThan(15_000); // about 1 s idle; the deep page alone took 100 s before
    const deepButFine = `${'<div>'.repeat(100)}${story}${'</div>'.repeat(100)}`;
    expect(extractArticle(page(deepButFine)).paragraphs).toHaveLength(1);
  });

  it('refuses a page of unclosed tags by counting its tags before parsing it (the parser is far slower than linear on them)', () => {
    const started = performance.now();
    // 1 MB of unclosed <b>: about a minute in the parser (extrapolated from 100,000: ~5 s) before the tags were counted first.
    expect(() => extractArticle(`<html><head><title>Bold</title></head><body>${'<b>'.repeat(350_000)}</body></html>`)).toThrow('not an article: the page has more than 50,000 elements');
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('reads a page without <body> in time when its text holds many unfinished <!doctype or <head (no backtracking over the page)', () => {
    const started = performance.now();
    // 400 KB of '<!doctype ' with no '>': about 11 s in the regular expression that drops them before it stopped at '<'.
    expect(() => extractArticle(`<title>Doc</title>${'<!doctype '.repeat(40_000)}<head ${'<head '.repeat(40_000)}`)).toThrow(/not an article/);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('refuses a page with no article text', () => {
    expect(() => extractArticle('<html><head><title>Login</title></head><body><form><input></form></body></html>')).toThrow(/not an article/);
  });
});
