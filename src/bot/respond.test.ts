import { describe, expect, it } from 'vitest';
import { escapeText } from '../discord/text';
import { addSecret } from '../log';
import { shownReply } from './respond';

const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GzXyWv.Hm4_kQ9vRt2LpZs8WnYc-JxA6bE1oUfT3dK';

describe('shownReply', () => {
  it("masks the token in a message, escaped as a quote shows it, no longer than it was and opening no link", () => {
    addSecret(TOKEN);
    // A settings file in the data folder, quoted: the token runs into a link.
    const quote = escapeText(`DISCORD_TOKEN=${TOKEN}(https://evil.example/login) was set in March.`);
    const shown = shownReply({ embeds: [{ title: `Settings ${TOKEN}`, description: `> ${quote}` }] });
    const text = JSON.stringify(shown);
    for (const piece of TOKEN.match(/[A-Za-z0-9]{6,}/g)!) expect(text).not.toContain(piece);
    expect(shown.embeds[0].description).toBe('> DISCORD\\_TOKEN=(…).(…).Hm4\\_(…)-(…)(https://evil.example/login) was set in March.');
    expect(shown.embeds[0].description!.length).toBeLessThan(quote.length);
    expect(shown.embeds[0].title).toBe('Settings (…)');
  });

  it("masks a part of the token cut off from its piece: a quote's bold parts its words, which split it elsewhere", () => {
    // The engine's words: "GaBcDe.7" (a number's decimals), then the rest of the secret part; a question holding
    // that word bolds it, and the piece "7fake…" is no longer whole.
    const token = 'MTExMTExMTExMTExMTExMTEx.GaBcDe.7fakefakefakefakefakefakefakefak12';
    addSecret(token);
    const shown = shownReply({ content: `> DISCORD\\_TOKEN=${token.replace('.7', '.7**')}** was set in March.` }).content;
    for (let i = 0; i + 10 <= token.length; i++) expect(shown).not.toContain(token.slice(i, i + 10));
    expect(shown).toBe('> DISCORD\\_TOKEN=(…).(…).7**(…)** was set in March.');
    expect(shownReply({ content: 'Bismarck was born in Schönhausen in 1815.' }).content).toBe('Bismarck was born in Schönhausen in 1815.');
  });
});
