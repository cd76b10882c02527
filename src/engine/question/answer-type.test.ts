import { describe, expect, it } from 'vitest';
import { answerType, answerTypeWords } from './answer-type';
import { words } from '../corpus/text';

describe('answerType', () => {
  it.each([
    ['How long did Obama and Putin meet?', 'duration'],
    ['How many people were killed?', 'number'],
    ['How much did the stadium cost?', 'number'],
    ['What percentage of voters turned out?', 'number'],
    ['When did the talks begin?', 'date'],
    ['In what year did the earthquake occur?', 'date'],
    ['Where is the G20 summit being held?', 'place'],
    ['Who said the meeting went well?', 'person'],
    ['Whose plan was adopted?', 'person'],
    ['This artist is the first to score a No. 1 hit across four decades.', 'person'],
    ['Which country hosted the summit?', 'place'],
    ['New Year fireworks in this city went ahead despite a petition.', 'place'],
    ['This company bought Twitter.', 'name'],
    ['Which channel interviewed the US president?', 'name'],
    ['Who fumbled the ball when tackled by Darian Stewart?', 'person'],
    ['Where was the meeting held when the owners voted?', 'place'],
    ['How old was John Elway when he played in the final?', 'number'],
    ['After the talks failed, when did Kerry and Lavrov meet again?', 'date'],
    ['What broadcaster aired the debate?', 'name'],
    ['What did Obama and Putin agree to?', 'other'],
    ['The meeting lasted how long?', 'duration'],
    ['What is this city called?', 'place'],
    // The wh-word that asks decides; a later wh-phrase is an embedded clause, a relative clause or a name.
    ['Who revealed how long the two presidents had talked?', 'person'],
    ['Where did they say how many people had come?', 'place'],
    ['What is the estimate of how many physicians give out drugs on their own?', 'other'],
    ['Which comedian did a parody where a Dalek appears?', 'person'],
    ['What vehicle did Doctor Who use for his escape from Gallifrey?', 'other'],
    ['D’Olier Street is named after whom?', 'person'],
    ['The Iowa caucuses devolved into days of uncertainty when reporting was delayed due to what complication?', 'other'],
    ['The area where Jacksonville sits has been inhabited for how many years?', 'duration'],
    ['In a nail-biting 54-53 victory, which team won this year’s tournament?', 'name'],
    ['What is the name of the stadium where Super Bowl 50 was played?', 'place'],
    ['What is the name of the quarterback who was 38 in Super Bowl XXXIII?', 'person'],
    ['This singer won a Grammy when she was 19.', 'person'],
    ['The US airstrike killed Qasem Soleimani, who was an Iranian _______.', 'person'],
    // News quiz questions open with context; the sentence with the question mark asks.
    ['Joe Biden gained ground when six states went to the polls on Tuesday. Which state had the most delegates?', 'place'],
    ['Blake Snell said he would not play this year, because the risk is higher. What team does he play for?', 'name'],
    ['Two new sports are debuting in this year’s games. What two are they?', 'other'],
    // Without its mark, the last sentence with a wh-word that asks; a capitalised wh-word after punctuation or in a
    // question in capitals asks (only one right after a word is part of a name); a contraction is its wh-word.
    ['Obama met Putin in China. How long did they meet', 'duration'],
    ['Nobody knows why they met. How long did they meet', 'duration'],
    ['Q: Who won the election?', 'person'],
    ['IN WHAT YEAR DID THE EARTHQUAKE OCCUR?', 'date'],
    ['THE MEETING LASTED HOW LONG?', 'duration'],
    ['AFTER THE TALKS FAILED, WHEN DID KERRY AND LAVROV MEET AGAIN?', 'date'],
    ['When did ABC first premiere Who Wants to Be a Millionaire?', 'date'],
    ["Where'd Obama and Putin meet?", 'place'],
    ['Who’re the leaders at the summit?', 'person'],
    ['Whoʼre the leaders at the summit?', 'person'], // the modifier letter apostrophe (U+02BC), which the index folds too
    ['This artist had a hit. She was born in Texas, where her father worked.', 'person'],
    // A quoted title or speech asks nothing, nor does its question mark; a question typed inside quotes still asks.
    ['The song "Who Are You?" topped the charts. Which band recorded it', 'name'],
    ['"Who Are You?" was recorded by which band?', 'name'],
    // The head of the noun phrase after "what"/"which" or "what is the" names the kind: the last of its words, so a
    // measure as a modifier names none, nor does a possessive, nor a verb with its object.
    ['What is the population of Warsaw?', 'number'],
    ['What was the death toll of the earthquake?', 'number'],
    ['What was the duration of the flight?', 'duration'],
    ['At what age did the singer retire?', 'number'],
    ['What is the largest city in Poland?', 'place'],
    ['Which major American city hosted the games?', 'place'],
    ['On which weekday did the talks begin?', 'date'],
    ['Which low-cost airline cancelled its flights?', 'name'],
    ['What was the president’s reaction?', 'other'],
    ['What cost the economy billions?', 'other'],
    ['What is the best-case number of deaths?', 'number'],
    // A measure right after "what" is a verb unless an auxiliary follows ("What price did …" asks a number);
    // "what's the" reads like "what is the"; "the figure" as a head is a number, not a person.
    ['What cost him the title?', 'other'],
    ['What costs more to run, a bus or a tram?', 'other'],
    ['What price did the shares open at?', 'number'],
    ["What's the population of the island?", 'number'],
    ['What were the ages of the climbers?', 'number'],
    ['What was the official figure for inflation?', 'number'],
    // After "what is the" the phrase is the subject when a verb or a stranded preposition follows it.
    ['What is the town known for?', 'other'],
    ['What is the album about?', 'other'],
    ['What was the agency doing before the leak?', 'other'],
    ['What is the death toll now?', 'number'],
    // … unless the verb names it; "the band's name" asks the name of a band.
    ['What was the airline known as before the merger?', 'name'],
    ['What were the villages seized by the army later named?', 'place'],
    ["What was the band's name?", 'name'],
    ['What did he mean by "who cares?"', 'other'],
    ['“Who met Putin in Hangzhou?”', 'person'],
  ])('%s -> %s', (question, type) => {
    expect(answerType(question)).toBe(type);
  });
});

describe('answerTypeWords', () => {
  // The positions index the engine's own words (apostrophes and decimals kept whole), as question.ts reads them.
  const marked = (question: string) => {
    const ws = words(question);
    return [...answerTypeWords(question)].map((i) => ws[i].word);
  };

  it.each([
    ['What day of the week did the leaders meet?', ['day', 'week']],
    ['What time of year do the storms come?', ['time', 'year']],
    ['Which channel interviewed the US president?', ['channel']],
    ['What issues did Obama and Putin clarify?', ['issues']],
    ['In what year did the earthquake occur?', ['year']],
    ['Which part of the city flooded?', ['part']],
    ['What did Obama and Putin agree to?', []],
    ['Which US official spoke on condition of anonymity?', []],
    // A numeral is a quantifier before the head noun, as "two" is: the noun still names the answer's kind.
    ['What 3 countries signed?', ['countries']],
    // A regular -s/-ing form the irregular-verb list maps for stemming is no verb sign: "meeting" is the noun here.
    ['What meeting did Obama attend?', ['meeting']],
    ['Which meeting ended early?', ['meeting']],
    ["What's the channel's name, and which network didn't air it?", ['network']],
    ['How long did Obama and Putin meet?', []],
    // The head is the last word of the noun phrase (SQuAD train questions): adjectives and quantifiers before it
    // keep their weight, and a verb ends the phrase (past forms, irregular forms, a word before a determiner).
    ['What famous inscription mentioned Armenia?', ['inscription']],
    ['Which former contestant was a mentor this season?', ['contestant']],
    ['What major city is Interstate 290 close to?', ['city']],
    ['What new territory was aquired in 1814?', ['territory']],
    ['What two factors were taken into account in credibility in the Royal Society?', ['factors']],
    ['What famous team defeated Arsenal for the League Cup in 2007?', ['team']],
    ['What power had previously defeated the Kalingans?', ['power']],
    ['What happened to the cargo train?', []],
    ['What caused the deaths of many school children?', []],
    ['What famous event happened in 303?', ['event']],
    ['Which two streets along the river flooded?', ['streets']],
    ['What pharmaceutical company makes the vaccine?', ['company']],
    ['What seed company began selling it?', ['company']],
    // Edge input: nothing after "what", a question in capitals (every word reads as a name), a curly apostrophe.
    ['', []],
    ['What?', []],
    ['Which company', ['company']],
    ['WHAT COMPANY MAKES THE VACCINE?', []],
    ['What country’s leader didn’t come?', ['leader']],
    ['What countryʼs leader didnʼt come?', ['leader']],
  ])('%s -> %j', (question, words) => {
    expect(marked(question)).toEqual(words);
  });
});
