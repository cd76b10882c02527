import { describe, expect, it } from 'vitest';
import { namesMissing, nearQuestions, otherArticle, SMALL_MAX, SMALL_MIN, SMALL_QUESTIONS, SMALL_STEP, sentenceCount, sharedTermShare, smallArticleText, smallCorpora, smallQuestions, type SquadParagraph } from './small-corpora';

/** An article of `n` paragraphs of `size` sentences each; paragraph p's questions have answer sentence "Fact p.k …". */
function article(title: string, n: number, size = 5): SquadParagraph[] {
  return Array.from({ length: n }, (_, p) => ({
    title,
    context: Array.from({ length: size }, (_, k) => `Fact ${p}.${k} of ${title} stands here.`).join(' '),
    qas: [0, 1, 2].map((k) => ({ question: `What is fact ${p}.${k}?`, sentence: `Fact ${p}.${k} of ${title} stands here.` })),
  }));
}

describe('smallCorpora', () => {
  it('grows a window of neighbours around every SMALL_STEP-th paragraph to SMALL_MIN..SMALL_MAX sentences', () => {
    const counts = Array.from({ length: 43 }, (_, p) => 3 + ((p * 5) % 7));
    for (const offset of [0, 1, 4]) {
      const windows = smallCorpora(counts, offset);
      expect(windows.map((w) => w.centre)).toEqual(Array.from({ length: 43 }, (_, p) => p).filter((p) => p % SMALL_STEP === offset % SMALL_STEP));
      for (const w of windows) {
        const size = w.paragraphs.reduce((sum, p) => sum + counts[p], 0);
        expect(size).toBeGreaterThanOrEqual(SMALL_MIN);
        expect(size).toBeLessThanOrEqual(SMALL_MAX);
        expect(w.paragraphs).toContain(w.centre);
        expect(w.paragraphs).toEqual(Array.from({ length: w.paragraphs.length }, (_, k) => w.paragraphs[0] + k));
      }
      expect(new Set(windows.map((w) => w.paragraphs.length)).size).toBeGreaterThan(1); // sizes vary
    }
  });

  it('gives none for an article smaller than SMALL_MIN sentences, the whole article for one just above', () => {
    expect(smallCorpora([5, 5, 5], 0)).toEqual([]);
    expect(smallCorpora([5, 5, 5, 6], 0)).toEqual([{ centre: 0, paragraphs: [0, 1, 2, 3] }]);
  });
});

describe('smallQuestions', () => {
  it("asks the centre's questions and another article's, spread over it", () => {
    const own = article('Own', 20);
    const other = article('Other', 12);
    const window = smallCorpora(own.map((p) => sentenceCount(p.context)), 2)[1];
    const asked = smallQuestions(own, window, other);
    expect(asked.own).toEqual([{ paragraph: window.centre, question: 0 }, { paragraph: window.centre, question: 1 }]);
    expect(asked.other).toHaveLength(SMALL_QUESTIONS);
    expect(new Set(asked.other.map((q) => q.paragraph)).size).toBe(SMALL_QUESTIONS);
    expect(smallArticleText(own, window).startsWith('Own\n\n')).toBe(true);
  });

  it("asks the centre's questions that share the fewest terms with their answer sentence", () => {
    const own = article('Own', 12);
    const sentence = 'The treaty was signed in Paris in 1783.';
    own[0].qas = [
      { question: 'Where was the treaty signed in 1783?', sentence }, // every term in the sentence
      { question: 'In which city did the parties put their names to the peace deal?', sentence }, // none
      { question: 'Which city saw the treaty concluded?', sentence }, // one of four
    ];
    expect(own[0].qas.map((qa) => sharedTermShare(qa.question, qa.sentence))).toEqual([1, 0, 0.25]);
    const asked = smallQuestions(own, { centre: 0, paragraphs: [0, 1, 2, 3] }, article('Other', 4));
    expect(asked.own).toEqual([{ paragraph: 0, question: 1 }, { paragraph: 0, question: 2 }]);
  });
});

describe('nearQuestions', () => {
  const paragraph = (context: string, qas: Array<[string, string]>): SquadParagraph => ({
    title: 'Treaty',
    context,
    qas: qas.map(([question, sentence]) => ({ question, sentence })),
  });
  const own = [
    paragraph('The treaty was signed in Paris. The king sent envoys to London.', [['What was signed in Paris?', 'The treaty was signed in Paris.']]),
    paragraph('Merchants traded wool and salt. He did it.', [['What did Napoleon say?', 'He did it.']]), // inside the window, no term to repeat
    paragraph('The war ended with a victory in 1783. Many soldiers died in the battle.', [
      ['How many soldiers died at Yorktown?', 'Many soldiers died in the battle.'], // a missing name, no other term held
      ['What did the king sign in Paris?', 'The war ended with a victory in 1783.'], // every term held, no missing name
      ['What did the king sign at Versailles?', 'The war ended with a victory in 1783.'], // two of three held, and a missing name
    ]),
    paragraph('The fleet sailed home. The king sent envoys to London again.', [
      ['Who did the king send to London from Madrid?', 'The king sent envoys to London again.'], // the window nearly repeats its answer
      ['Which ships sailed to Paris in 1790?', 'The fleet sailed home.'], // a missing year, one term of four held
    ]),
  ];
  const window = { centre: 0, paragraphs: [0, 1] };

  it("asks the article's questions answered outside the window that name what it lacks, most shared terms first, one per paragraph", () => {
    expect(nearQuestions(own, window)).toEqual([{ paragraph: 2, question: 2 }, { paragraph: 3, question: 1 }]);
    expect(nearQuestions(own, window, 1)).toEqual([{ paragraph: 2, question: 2 }]);
    // Paragraph 2's Yorktown question also names what the window lacks: one per paragraph leaves it out even with room.
    expect(nearQuestions(own, window, 5)).toEqual([{ paragraph: 2, question: 2 }, { paragraph: 3, question: 1 }]);
  });

  it('never asks a question answered inside the window, nor one whose answer sentence the window nearly repeats', () => {
    expect(nearQuestions(own, { centre: 0, paragraphs: [0, 1, 2] }, 5)).toEqual([{ paragraph: 3, question: 1 }]);
  });

  it('counts a capitalised word after the first, or a number, whose term the window lacks as a missing name', () => {
    const held = new Set(['obama', 'putin', 'meet']);
    expect(namesMissing('How long did Obama talk with Xi Jinping?', held)).toBe(true);
    expect(namesMissing('Obama met Putin', held)).toBe(false);
    expect(namesMissing('Where did they meet in 2015?', held)).toBe(true);
    expect(namesMissing('Where did Obama meet Putin?', held)).toBe(false);
    expect(namesMissing('Hangzhou: where did they meet?', held)).toBe(false); // the first word is capitalised anyway
  });
});

describe('otherArticle', () => {
  it('skips the next titles when they share a term with the window\'s own (near topics sort side by side)', () => {
    const titles = ['Bird', 'Bird_migration', 'British_Empire', 'British_Isles', 'Cubism', 'Dell'];
    expect(otherArticle(titles, 0, 0)).toBe(2); // not "Bird migration"
    expect(otherArticle(titles, 2, 0)).toBe(4); // not "British Isles"
    expect(otherArticle(titles, 4, 1)).toBe(0); // wraps round, from a + 1 + w
  });

  it('never gives the article itself, and throws when no other title is unlike it', () => {
    expect(otherArticle(['Alps', 'Cubism'], 0, 1)).toBe(1); // a + 1 + w is the article itself
    expect(() => otherArticle(['University', 'University_of_Kansas'], 0, 0)).toThrow(/no article unlike/);
  });
});
