/**
 * Demonyms and their countries: a question may say "an American official" of sources that only say "a US
 * official". When the corpus lacks the adjective, the question analysis asks for the country instead (question.ts).
 */
import { normalizeWord, termOf } from '../corpus/text';

/** Adjectives whose country no suffix rule finds, with the country's usual forms in news (most usual first). */
const IRREGULAR = new Map<string, string[]>(
  Object.entries({
    american: ['US', 'USA', 'America'], british: ['UK', 'Britain'], english: ['England'], scottish: ['Scotland'],
    welsh: ['Wales'], irish: ['Ireland'], french: ['France'], dutch: ['Netherlands', 'Holland'], german: ['Germany'],
    swiss: ['Switzerland'], spanish: ['Spain'], portuguese: ['Portugal'], greek: ['Greece'], turkish: ['Turkey'],
    polish: ['Poland'], swedish: ['Sweden'], danish: ['Denmark'], finnish: ['Finland'], norwegian: ['Norway'],
    chinese: ['China'], lebanese: ['Lebanon'], saudi: ['Saudi'], filipino: ['Philippines'], thai: ['Thailand'],
    afghan: ['Afghanistan'], peruvian: ['Peru'], argentine: ['Argentina'], argentinian: ['Argentina'],
    emirati: ['UAE', 'Emirates'], congolese: ['Congo'], soviet: ['USSR'], canadian: ['Canada'], mexican: ['Mexico'],
    moroccan: ['Morocco'], belgian: ['Belgium'], maltese: ['Malta'], somali: ['Somalia'], cypriot: ['Cyprus'],
    icelandic: ['Iceland'],
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
 * The places a suffix rule may lead to: demonyms are a closed class, and names take the same suffixes ("Julian" →
 * July, "Damian" → dam, "Republican" → republic, "Guardian" → guard, "Christian" → Christ). Countries, and the
 * continents, regions and parts of names ("South African" → Africa, "Sri Lankan" → Lanka) that news forms
 * demonyms of.
 */
const PLACES = new Set(
  `afghanistan albania algeria andorra angola argentina armenia australia austria azerbaijan bahamas bahrain
  bangladesh barbados belarus benin bhutan bolivia bosnia botswana brazil brunei bulgaria burundi burma cambodia
  cameroon chad chile colombia congo rica croatia cuba djibouti dominica ecuador egypt salvador eritrea
  estonia ethiopia fiji gabon gambia georgia ghana grenada guatemala guinea guyana haiti honduras hungary india
  indonesia iran iraq israel italy jamaica japan jordan kazakhstan kenya korea kosovo kuwait laos latvia liberia
  libya lithuania macedonia madagascar malawi malaysia mali mauritania mongolia montenegro mozambique myanmar namibia
  nepal nicaragua niger nigeria oman pakistan palestine panama paraguay qatar romania russia rwanda samoa senegal
  serbia leone singapore slovakia slovenia sudan lanka syria taiwan tajikistan tanzania tunisia uganda ukraine uruguay
  uzbekistan venezuela vietnam yemen zambia zimbabwe
  africa asia europe australasia arabia scandinavia
  kurdistan crimea tibet kashmir bavaria sicily sardinia corsica siberia persia prussia babylon assyria mesopotamia gaza
  california virginia pennsylvania carolina alaska arizona nebraska oklahoma iowa ohio`
    .split(/\s+/)
    .map((place) => termOf(place)),
);

/**
 * The index terms of the country a demonym names, those `known` to the corpus, most usual first; none for a word
 * that is no capitalised demonym.
 * @example countryTerms('American', (t) => t === 'us') // ['us']
 * @example countryTerms('Ukrainian', (t) => t === 'ukrain') // ['ukrain'] (the term of "Ukraine")
 * @example countryTerms('Americans', (t) => t === 'us') // ['us']
 */
export function countryTerms(word: string, known: (term: string) => boolean): string[] {
  if (!/^\p{Lu}/u.test(word)) return [];
  const w = normalizeWord(word);
  // The people in the plural name their country as the adjective does ("Americans" → US); the word itself first ("Swiss").
  const itself = countryForms(w);
  const { forms, irregular } = itself.forms.length === 0 && w.endsWith('s') ? countryForms(w.slice(0, -1)) : itself;
  const terms = forms.map((f) => termOf(f)).filter((t): t is string => t !== null && known(t));
  // The table's forms all name one country; two suffix rules can name two ("Nigerian": Nigeria, Niger), the first is it.
  return irregular ? [...new Set(terms)] : terms.slice(0, 1);
}

/** The country forms of a normalised demonym, and whether they come from the table (else from a suffix rule). */
function countryForms(w: string): { forms: readonly string[]; irregular: boolean } {
  const irregular = IRREGULAR.get(w);
  if (irregular) return { forms: irregular, irregular: true };
  const regular = SUFFIX_RULES.filter(([s]) => w.endsWith(s)).map(([s, r]) => w.slice(0, -s.length) + r);
  return { forms: regular.filter((f) => PLACES.has(termOf(f))), irregular: false };
}
