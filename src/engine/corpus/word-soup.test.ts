import { readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { randomWordSoup, shuffledSentences } from '../../../test/word-soup';
import { ArticleError, parseArticle, readDataFolder } from './articles';
import { determinerFollowers, SOUP_WINDOW, worstWindow } from './word-soup';

const DATA = path.resolve(__dirname, '../../../data');
const SEEDS = readdirSync(DATA).sort().map((f) => readFileSync(path.join(DATA, f), 'utf8'));
/** Both seed articles as one file: real prose with more than a window of determiners, so it is judged. */
const JOINED = `${SEEDS[0].trimEnd()}\n\n${SEEDS[1].split('\n').slice(1).join('\n')}`;
const utf8 = (s: string) => new TextEncoder().encode(s);
const whole = (s: string) => [{ start: 0, end: s.length }];

function refusedAs(text: string): string {
  try {
    parseArticle('soup.txt', utf8(text));
  } catch (err) {
    if (err instanceof ArticleError) return err.message;
    throw err;
  }
  return 'accepted';
}

describe('determinerFollowers', () => {
  it('marks each determiner directly followed by a function word, in text order', () => {
    const text = 'The of a cat and the dog. An and its was every the.';
    expect([...determinerFollowers(text, whole(text))]).toEqual([1, 0, 0, 1, 1, 1]);
  });

  it('counts function words only as written in lower case, and pairs with nothing but space between', () => {
    const text = 'The US and the IT staff met the May panel; the, of a (the) an\nand the I.';
    // "the US", "the IT", "the May": names, not function words; "the, of" and "(the) an": punctuation between.
    expect([...determinerFollowers(text, whole(text))]).toEqual([0, 0, 0, 1, 1]);
  });

  it('takes a capital "A" straight after a word for a name, not the article', () => {
    const text = 'Juventus won Serie A in May. A and vitamin A, the of.';
    expect([...determinerFollowers(text, whole(text))]).toEqual([1, 1]);
  });

  it('reads a word written decomposed (letter + combining mark) as one word, as the index does', () => {
    // Split at the mark, "an" + U+0303 + "o" (año) was the function word "an" after "The", and "Péthe" held "the of".
    const text = 'The año of Péthe of.'.normalize('NFD');
    expect([...determinerFollowers(text, whole(text))]).toEqual([0]);
  });

  it('looks only inside the spans it is given', () => {
    const text = 'the of. the cat.';
    expect([...determinerFollowers(text, [{ start: 8, end: 16 }])]).toEqual([0]);
  });
});

describe('worstWindow', () => {
  it('is the most marks in any window and where its first such window starts, or null when there are fewer determiners than a window', () => {
    expect(worstWindow(Uint8Array.from([1, 0, 0, 1, 1, 0]), 3)).toEqual({ followed: 2, first: 2 });
    expect(worstWindow(Uint8Array.from([1, 1]), 3)).toBeNull();
  });
});

describe('the engine reader and word soup', () => {
  it('accepts real prose with enough determiners to be judged', () => {
    const article = parseArticle('seeds.txt', utf8(JOINED));
    expect(determinerFollowers(article.text, article.paragraphs).length).toBeGreaterThanOrEqual(SOUP_WINDOW);
    expect(article.sentences.length).toBeGreaterThan(30);
  });

  it('accepts an article about vitamin A: a letter after a noun ("vitamin A is", "Serie A in") is a name, not "a"', () => {
    // Written for this test in the style of real health pages, where three such pages joined measured 11 of 50.
    const explainer = readFileSync(path.join(__dirname, 'fixtures', 'vitamin-a.txt'), 'utf8');
    expect(refusedAs(explainer)).toBe('accepted');
    const article = parseArticle('vitamin-a.txt', utf8(explainer));
    expect(determinerFollowers(article.text, article.paragraphs).length).toBeGreaterThanOrEqual(SOUP_WINDOW);
  });

  it('refuses random words of the seed articles, a comma every 11, with the reason', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      expect(refusedAs(randomWordSoup(SEEDS, 2000, seed))).toMatch(/^reads as word soup, not prose: in one stretch \d+ of 50 determiners/);
    }
    // In paragraphs with full stops, as prose is laid out, it is refused all the same.
    expect(refusedAs(randomWordSoup(SEEDS, 2000, 6, 40))).toMatch(/word soup/);
  });

  it('refuses prose whose words are shuffled within each sentence, and an article with a soup appended', () => {
    expect(refusedAs(shuffledSentences(JOINED, 1))).toMatch(/word soup/);
    const soupBody = randomWordSoup(SEEDS, 1000, 7).split('\n\n').slice(1).join('\n\n');
    expect(refusedAs(`${SEEDS[0].trimEnd()}\n\n${soupBody}`)).toMatch(/word soup/);
  });

  it('names where the soup is: the words that open its worst stretch, so a moderator can find it', () => {
    const article = SEEDS[0].trimEnd();
    const text = `${article}\n\n${randomWordSoup(SEEDS, 1000, 7).split('\n\n').slice(1).join('\n\n')}`;
    const opening = / \(from "(.+)…"\)$/.exec(refusedAs(text))?.[1] ?? '';
    expect(opening.split(' ')).toHaveLength(6);
    expect(text.indexOf(opening)).toBeGreaterThan(article.length);
  });

  it('never judges a short soup (too few determiners): it is one passage among many, not the top of every list', () => {
    expect(refusedAs(randomWordSoup(SEEDS, 150, 1))).toBe('accepted');
  });

  it('skips a soup file in the data folder with its reason and loads the other sources', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'quotebot-soup-'));
    try {
      for (const f of readdirSync(DATA)) await writeFile(path.join(dir, f), readFileSync(path.join(DATA, f)));
      const soup = randomWordSoup(SEEDS, 20000, 1);
      await writeFile(path.join(dir, 'summit-keywords.txt'), soup);
      const { articles, errors } = await readDataFolder(dir);
      expect(articles.map((a) => a.file).sort()).toEqual(readdirSync(DATA).sort());
      expect(errors).toHaveLength(1);
      expect(errors[0].file).toBe('summit-keywords.txt');
      expect(errors[0].reason).toMatch(/^reads as word soup, not prose/);
      // The folder is read in slices, the intake's text at once: the same check, the same reason.
      expect(errors[0].reason).toBe(refusedAs(soup));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
