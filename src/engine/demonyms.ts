/**
 * Demonyms and their countries: a question may say "an American official" of sources that only say "a US
 * official". When the corpus lacks the adjective, the question analysis asks for the country instead (question.ts).
 */
import { normalizeWord, termOf } from './text';

/** Adjectives whose country no suffix rule finds, with the country's usual forms in news (most usual first). */
const IRREGULAR = new Map<string, string[]>(
  Object.entries({
    american: ['US', 'USA', 'America'], british: ['UK', 'Britain'], english: ['England'], scottish: ['Scotland'],
    welsh: ['Wales'], irish: ['Ireland'], french: ['France'], dutch: ['Netherlands', 'Holland'], german: ['Germany'],
    swiss: ['Switzerland'], spanish: ['Spain'], portuguese: ['Portugal'], greek: ['Greece'], turkish: ['Turkey'],
    polish: ['Poland'], swedish: ['Sweden'], danish: ['Denmark'], finnish: ['Finland'], norwegian: ['Norway'],
    chinese: ['China'], lebanese: ['Lebanon'], saudi: ['Saudi'], filipino: ['Philippines'], thai: ['Thailand'],
    afghan: ['Afghanistan'], peruvian: ['Peru'], argentine: ['Argentina'], argentinian: ['Argentina'],
    emirati: ['UAE', 'Emirates'], congolese: ['Congo'], soviet: ['USSR'],
  }),
);

/**
 * Regular demonyms: the adjective with its suffix replaced ("Syrian" → Syria, "European" → Europe, "Iranian" →
 * Iran, "Italian" → Italy, "Japanese" → Japan, "Israeli" → Israel). A bare -n is no suffix ("Putin").
 */
const SUFFIX_RULES: Array<[suffix: string, replacement: string]> = [
  ['an', 'a'], ['an', ''], ['ian', ''], ['ian', 'y'], ['ese', ''], ['i', ''],
];

/**
 * The index terms of the country a demonym names, those `known` to the corpus, most usual first; none for a word
 * that is no capitalised demonym.
 * @example countryTerms('American', (t) => t === 'us') // ['us']
 * @example countryTerms('Ukrainian', (t) => t === 'ukrain') // ['ukrain'] (the term of "Ukraine")
 */
export function countryTerms(word: string, known: (term: string) => boolean): string[] {
  if (!/^\p{Lu}/u.test(word)) return [];
  const w = normalizeWord(word);
  const forms = IRREGULAR.get(w) ?? (w.length >= 5 ? SUFFIX_RULES.filter(([s]) => w.endsWith(s)).map(([s, r]) => w.slice(0, -s.length) + r) : []);
  const terms = forms.map((f) => termOf(f)).filter((t): t is string => t !== null && known(t));
  return [...new Set(terms)];
}
