import { describe, expect, it } from 'vitest';
import { countryTerms } from './demonyms';
import { termOf } from '../corpus/text';

describe('countryTerms', () => {
  const corpus = (...words: string[]) => {
    const terms = new Set(words.map((w) => termOf(w)));
    return (t: string) => terms.has(t);
  };

  it('finds the country of an irregular demonym in the forms the corpus uses, most usual first', () => {
    expect(countryTerms('American', corpus('US', 'America', 'official'))).toEqual(['us', 'america']);
    expect(countryTerms('British', corpus('Britain'))).toEqual(['britain']);
    expect(countryTerms('Chinese', corpus('China'))).toEqual(['china']);
  });

  it('finds the country of a regular demonym by its suffix', () => {
    expect(countryTerms('Syrian', corpus('Syria'))).toEqual(['syria']);
    expect(countryTerms('Ukrainian', corpus('Ukraine'))).toEqual([termOf('Ukraine')]);
    expect(countryTerms('Italian', corpus('Italy'))).toEqual([termOf('Italy')]);
    expect(countryTerms('Japanese', corpus('Japan'))).toEqual(['japan']);
    expect(countryTerms('Israeli', corpus('Israel'))).toEqual(['israel']);
    expect(countryTerms('European', corpus('Europe'))).toEqual([termOf('Europe')]);
  });

  it('leads a suffix rule only to a place: a name with a demonym\'s ending is no demonym', () => {
    const everything = corpus('July', 'Julia', 'dam', 'republic', 'guard', 'Christ', 'norm', 'Niger', 'Nigeria');
    for (const name of ['Julian', 'Damian', 'Republican', 'Guardian', 'Christian', 'Norman', 'Ferrari']) expect(countryTerms(name, everything)).toEqual([]);
    expect(countryTerms('Nigerian', everything)).toEqual(['nigeria']); // the first rule's place, not Niger too
    expect(countryTerms('Canadian', corpus('Canada'))).toEqual(['canada']);
    expect(countryTerms('Mexican', corpus('Mexico'))).toEqual(['mexico']);
    expect(countryTerms('Palestinian', corpus('Palestine'))).toEqual([termOf('Palestine')]);
  });

  it('finds the country of the people in the plural as of the adjective', () => {
    expect(countryTerms('Americans', corpus('US', 'America'))).toEqual(['us', 'america']);
    expect(countryTerms('Syrians', corpus('Syria'))).toEqual(['syria']);
    expect(countryTerms('Israelis', corpus('Israel'))).toEqual(['israel']);
    expect(countryTerms('Filipinos', corpus('Philippines'))).toEqual([termOf('Philippines')]);
    expect(countryTerms('Swiss', corpus('Switzerland'))).toEqual([termOf('Switzerland')]); // the word itself, not "Swis"
    const everything = corpus('Christ', 'republic', 'guard', 'Jesu', 'America', 'US');
    for (const word of ['Christians', 'Republicans', 'Guardians', 'Jesus', 'Americas', 'Is', 'americans']) expect(countryTerms(word, everything), word).toEqual([]);
  });

  it('reads no plural of a name, a team or a word as a demonym: its suffix rule still has to lead to a listed place', () => {
    // Every stem these could reach is known to the corpus, so only the closed list of places keeps them out.
    const stems = ['Titan', 'Tita', 'Tit', 'Olympia', 'Olymp', 'Laker', 'Guard', 'Pari', 'Par', 'Memph', 'Davi', 'Lou', 'Hum', 'Music', 'Histor', 'History', 'Th', 'H', 'Wa', 'Me', 'Plan', 'Pla', 'Victoria', 'Victor', 'Martia', 'Marti', 'Sparta', 'Roma', 'Rom', 'Trojan'];
    const everything = corpus(...stems);
    const words = ['Titans', 'Olympians', 'Lakers', 'Guardians', 'Paris', 'Memphis', 'Davis', 'Louis', 'Humans', 'Musicians', 'Historians', 'This', 'His', 'Was', 'Means', 'Plans', 'Victorians', 'Martians', 'Spartans', 'Romans', 'Trojans'];
    for (const word of words) expect(countryTerms(word, everything), word).toEqual([]);
  });

  it('gives nothing for a country the corpus does not name, a lower-case word or no demonym', () => {
    expect(countryTerms('Syrian', corpus('Russia'))).toEqual([]);
    expect(countryTerms('american', corpus('US'))).toEqual([]);
    expect(countryTerms('Putin', corpus('Puti', 'Russia'))).toEqual([]);
    expect(countryTerms('Obama', corpus('Obam', 'US'))).toEqual([]);
  });
});
