/**
 * Text with case and accents aside, for matching what someone typed against what was written ("erdogan" meets
 * "Erdoğan", "strasse" "Straße", "office" a PDF's "oﬃce"). One fold for the whole project: the engine's index terms
 * (`normalizeWord`) and Discord's finds in titles and links (`foldedPattern`) both start from it, so a word the bot
 * finds in a title is a word its answers find in the text. It imports nothing, so both may use it.
 */

/** The letters lower-casing leaves unfolded, each folded alone by `folded`. */
const CASE_FOLDED = /\p{Changes_When_Casefolded}/gu;

/**
 * Case folded, accents off, apostrophes straight: the curly one (’) and the modifier letter (ʼ, U+02BC, which some
 * keyboards and pages write for it: "Obamaʼs" was a word of its own, not "Obama's").
 *
 * A case fold as Unicode's (CaseFolding.txt, full): ß and ẞ are "ss", the typographic ligatures ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ
 * their letters (PDF extraction writes them for plain "fi"), ſ is "s", final sigma is sigma. Letters such as æ, œ
 * and ø stay: Danish, French or Norwegian letters written on purpose, which Unicode's fold (and NFKC) keep; "ae"
 * for "æ" would be a guess about a language.
 * @example folded('Zürich’s Straße') // "zurich's strasse"
 * @example folded('The oﬃce') // "the office"
 */
export function folded(text: string): string {
  const lower = text.toLowerCase();
  if (!/[^\x00-\x7f]/.test(lower)) return lower;
  // Lower, upper and lower again is the full fold for what lower-casing leaves unfolded (ß, ﬁ, ſ, final ς…): done
  // to each such letter alone, since the whole word's round trip also dots a Turkish ı ("ﬁyatı" was "fiyati", typed
  // "fiyatı"). Composed again after the marks go: NFD also splits a Hangul syllable into letters (no marks), which
  // the text as written does not hold.
  const fold = lower.replace(CASE_FOLDED, (c) => c.toUpperCase().toLowerCase());
  return fold.normalize('NFD').replace(/\p{M}+/gu, '').normalize('NFC').replace(/[’ʼ]/g, "'");
}
