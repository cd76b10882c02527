import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openEngine, type AnswerEngine, type Quote } from '.';
import { tempDirs } from '../../test/temp-dirs';

// The real engine on the offline model: a question typed with plain letters finds a sentence written with "ß" or
// with a PDF's ligature ("ﬃ"), as the index folds both sides; the quote stays as written, its highlights on the
// words as written, though the folded word is longer ("ß" -> "ss", "ﬃ" -> "ffi").
const tmp = tempDirs();

const STREET = 'Shopkeepers on the Große Straße in Weißenfels protested against the new parking fees on Monday.';
const OFFICE = 'The harbour oﬃce confirmed that the ferry pier would close for repairs in the spring.';
// "Zürich" written decomposed ("u" and a combining diaeresis), as some pages and PDFs write it.
const LAKE = 'The city of Zu\u0308rich closed the lake shore path after the storm on Sunday.';
const ARTICLES: Record<string, string> = {
  'lake.txt': `Lake path closed\n\n${LAKE} Walkers were sent to the upper road.\n`,
  'street.txt': `Parking fees anger shopkeepers\n\n${STREET} The council said the fees would pay for new bus lanes.\n`,
  'harbour.txt': `Ferry pier to close\n\n${OFFICE} Ferries will stop at the north quay meanwhile.\n`,
  'market.txt': 'Market moves\n\nTraders at the fish market protested against the new rents on Tuesday. The harbour master confirmed the date.\n',
  'ferry.txt': 'Ferry timetable cut\n\nThe island ferry will run twice a day instead of four times from November.\n',
};

function folder(): string {
  const dir = tmp('folded-data-');
  for (const [file, text] of Object.entries(ARTICLES)) writeFileSync(path.join(dir, file), text);
  return dir;
}

/** The words a quote's highlights mark, read from the quote as written. */
const marked = (q: Quote) => q.highlights.map(([start, end]) => q.quote.slice(start, end));

async function best(engine: AnswerEngine, question: string): Promise<Quote> {
  const answer = await engine.ask(question, { top: 3 });
  expect(answer.abstained, question).toBe(false);
  return answer.answers[0];
}

describe('words folded in the index, both sides', () => {
  it('answers "strasse", "office" and "Zurich" with the sentences written "Straße", "oﬃce" and "Zu\u0308rich", verbatim, the words as written marked', async () => {
    const dataDir = folder();
    const engine = await openEngine({ dataDir, cacheDir: tmp('folded-cache-'), warn: () => {} });
    // Before the fold, the first went unanswered and the second quoted "The harbour master confirmed the date."
    const street = await best(engine, 'What happened on the Grosse Strasse?');
    expect(street.quote).toBe(STREET);
    expect(readFileSync(path.join(dataDir, street.source.file), 'utf8').slice(street.start, street.end)).toBe(STREET);
    // Offsets taken from the folded text would be one off after each "ß" ("Straß", " Straß").
    expect(marked(street)).toEqual(['Große', 'Straße']);
    const office = await best(engine, 'What did the office confirm?');
    expect(office.quote).toBe(OFFICE);
    expect(marked(office)).toEqual(['oﬃce', 'confirmed']);
    // Typed with the letters as written, and in capitals, the same sentences.
    expect((await best(engine, 'What happened on the GROẞE STRAẞE?')).quote).toBe(STREET);
    expect((await best(engine, 'What did the OFFICE confirm?')).quote).toBe(OFFICE);
    expect((await best(engine, 'What did the oﬃce confirm?')).quote).toBe(OFFICE);
    // Completion finds the word as the articles write it.
    expect(engine.suggest('Weissen')).toContain('Weißenfels');
    // A word written decomposed is one word, found and marked whole (it was "Zu" and "rich").
    const lake = await best(engine, 'What did Zurich close?');
    expect(lake.quote).toBe(LAKE);
    expect(marked(lake)).toContain('Zu\u0308rich');
    expect(engine.suggest('Zur')).toContain('Zu\u0308rich');
  });
});

describe('a word written with the modifier letter apostrophe (ʼ, U+02BC), as some keyboards and pages write it', () => {
  const LAVROV = 'Lavrovʼs aide described the talks as constructive on Monday.';
  const KERRY = "Kerry's aide described the talks as difficult on Tuesday.";

  it('is found by a question with \' or ’, and a question with ʼ finds the word written with \': the word as written marked', async () => {
    const dataDir = tmp('folded-apostrophes-');
    writeFileSync(path.join(dataDir, 'lavrov.txt'), `Lavrov aide\n\n${LAVROV} Reporters waited outside.\n`);
    writeFileSync(path.join(dataDir, 'kerry.txt'), `Kerry aide\n\n${KERRY} The meeting ran late.\n`);
    writeFileSync(path.join(dataDir, 'ferry.txt'), ARTICLES['ferry.txt']);
    const engine = await openEngine({ dataDir, cacheDir: tmp('folded-cache-'), warn: () => {} });
    // "Lavrovʼs" was a key of its own ("lavrovʼs", not "lavrov"): the question's "Lavrov's" matched no word of it.
    for (const question of ["How did Lavrov's aide describe the talks?", 'How did Lavrov’s aide describe the talks?']) {
      const lavrov = await best(engine, question);
      expect(lavrov.quote, question).toBe(LAVROV);
      expect(marked(lavrov), question).toContain('Lavrovʼs');
    }
    const kerry = await best(engine, 'How did Kerryʼs aide describe the talks?');
    expect(kerry.quote).toBe(KERRY);
    expect(marked(kerry)).toContain("Kerry's");
  });
});

describe('copies of one sentence, one written with "ß" or a ligature, one with plain letters', () => {
  // Short sentences (fewer than 8 word pairs), so only the near-duplicate check can fold them, not containment.
  const COPIES: Array<[string, string]> = [
    ['Shopkeepers on the Große Straße protested on Monday.', 'Shopkeepers on the Grosse Strasse protested on Monday.'],
    ['The harbour oﬃce closed the ferry pier.', 'The harbour office closed the ferry pier.'],
  ];

  it('are one quote, "also reported by" the other article, as the index folds them alike', async () => {
    const dataDir = tmp('folded-copies-');
    COPIES.forEach(([written, plain], i) => {
      writeFileSync(path.join(dataDir, `wire-${i}.txt`), `Wire ${i}\n\n${written} Readers wrote in about it.\n`);
      writeFileSync(path.join(dataDir, `reprint-${i}.txt`), `Reprint ${i}\n\n${plain} More follows later today.\n`);
    });
    writeFileSync(path.join(dataDir, 'ferry.txt'), ARTICLES['ferry.txt']);
    const engine = await openEngine({ dataDir, cacheDir: tmp('folded-cache-'), warn: () => {} });
    for (const [i, question] of ['Who protested on the Grosse Strasse?', 'What did the harbour office close?'].entries()) {
      const answer = await engine.ask(question, { top: 3 });
      const copies = answer.answers.filter((q) => COPIES[i].includes(q.quote));
      // Both copies were quoted, one under the other ("Straße" and "Strasse" were different word pairs).
      expect(copies, question).toHaveLength(1);
      expect([copies[0].source.file, ...copies[0].alsoIn.map((s) => s.file)].sort(), question).toEqual([`reprint-${i}.txt`, `wire-${i}.txt`]);
    }
  });
});

describe('two sentences alike but for a number written with a comma ("1,5" and "15")', () => {
  // normalizeWord drops a number's commas (so "1,000" finds "1000"): as a key for the near-duplicate check it made
  // "1,5 percent" (a decimal comma) and "15 percent" one report, and quoted one article's figure for the other's.
  it('are two quotes, neither "also reported by" the other article', async () => {
    const dataDir = tmp('folded-numbers-');
    writeFileSync(path.join(dataDir, 'wire.txt'), 'Prices in May\n\nFerry fares rose 1,5 percent in May. Readers wrote in about it.\n');
    writeFileSync(path.join(dataDir, 'reprint.txt'), 'May prices\n\nFerry fares rose 15 percent in May. More follows later today.\n');
    writeFileSync(path.join(dataDir, 'ferry.txt'), ARTICLES['ferry.txt']);
    const engine = await openEngine({ dataDir, cacheDir: tmp('folded-cache-'), warn: () => {} });
    const answer = await engine.ask('How much did ferry fares rise in May?', { top: 3 });
    const fares = answer.answers.filter((q) => q.quote.startsWith('Ferry fares'));
    const told = (file: string) => fares.filter((q) => [q.source.file, ...q.alsoIn.map((s) => s.file)].includes(file));
    for (const [file, figure] of [['wire.txt', '1,5 percent'], ['reprint.txt', '15 percent']]) {
      expect(told(file).map((q) => q.quote)).toEqual([`Ferry fares rose ${figure} in May.`]);
    }
  });
});
