import { describe, expect, it } from 'vitest';
import { folded } from './folded';

describe('folded', () => {
  it('folds case, accents and the other apostrophes (’, ʼ); ASCII only lower-cased', () => {
    expect(folded('Erdoğan in ZÜRICH’s Café')).toBe("erdogan in zurich's cafe");
    expect(folded('HTTPS://News.Example/A_b')).toBe('https://news.example/a_b');
    expect(folded('Zu\u0308rich')).toBe('zurich');
    expect(folded('Obamaʼs')).toBe("obama's"); // the modifier letter apostrophe, U+02BC
  });

  it('folds case as a case fold does: ß and ẞ as ss, ligatures as letters, final sigma as sigma; æ and œ stay', () => {
    expect(folded('Straße ẞ ﬁle ﬂight ΟΔΥΣΣΕΥΣ λόγος')).toBe('strasse ss file flight οδυσσευσ λογοσ');
    expect(folded('oﬃce baﬄe ﬀ ﬅ ﬆ ſ')).toBe('office baffle ff st st s');
    expect(folded('Encyclopædia Œuvre Ørsted')).toBe('encyclopædia œuvre ørsted');
  });

  it("folds each letter alone: Turkish's dotless ı stays ı beside a ligature or ß, as it does alone", () => {
    // A PDF's "ﬁyatı" is the "fiyatı" typed; case folding keeps ı (Unicode's fold does), whatever stands beside it.
    expect(folded('ﬁyatı')).toBe(folded('fiyatı'));
    expect(folded('ﬁyatı ıß ΙΣΟΣ')).toBe('fiyatı ıss ισοσ');
  });

  it('gives a Hangul syllable back whole (NFD splits it into letters, which no text holds)', () => {
    expect(folded('정상회담')).toBe('정상회담');
  });
});
