import { describe, expect, it } from 'vitest';
import { ELLIPSIS, blockQuote, boldQuote, codeSpan, cut, cutIndex, embedTitle, escapedCut, escapeText, escapeUnlinked, fittedLink, joinFitting, link, memberName, safeUrl } from './text';

/** Undo escaping and bolding of a rendered quote line. */
const plain = (s: string) => s.replace(/^> /, '').replace(/\\(.)|\*\*/g, (_m, c: string | undefined) => c ?? '');

describe('cutting text', () => {
  it('leaves short text alone', () => {
    expect(cut('Short.', 100)).toBe('Short.');
  });

  it('cuts at a sentence boundary with a visible ellipsis', () => {
    const text = 'First sentence here. Second sentence is a lot longer than the room we have for it.';
    const out = cut(text, 40);
    expect(out).toBe(`First sentence here. ${ELLIPSIS}`);
    expect(out.length).toBeLessThanOrEqual(40);
  });

  it('falls back to a word boundary, never mid-word', () => {
    const text = 'alpha beta gamma delta epsilon zeta eta theta iota kappa';
    for (let max = 8; max < text.length; max++) {
      const out = cut(text, max);
      expect(out.length).toBeLessThanOrEqual(max);
      expect(out.endsWith(` ${ELLIPSIS}`)).toBe(true);
      const words = out.slice(0, -2).split(' ');
      for (const w of words) expect(text.split(' ')).toContain(w);
    }
  });

  it('never cuts a surrogate pair in two when a single word is longer than the room (an emoji title)', () => {
    const loneHigh = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])/;
    for (let max = 20; max < 30; max++) {
      expect(cut('😀'.repeat(40), max), `max ${max}`).not.toMatch(loneHigh);
      expect(embedTitle(`${'a'.repeat(max)}${'😀'.repeat(200)}`, 'x')).not.toMatch(loneHigh);
    }
  });

  it('finds the cut index at the end of a word', () => {
    expect(cutIndex('hello world again', 13)).toBe(11); // 'hello world …'
    expect(cutIndex('hello world again', 12)).toBe(5); // 'hello …'
  });

  it('keeps markdown links whole when joining, ending with "and N more"', () => {
    const links = Array.from({ length: 50 }, (_, i) => link(`Article number ${i}`, `https://example.com/article/${i}`));
    const out = joinFitting(links, 300, ', ');
    expect(out.length).toBeLessThanOrEqual(300);
    expect(out).toMatch(/… and \d+ more$/);
    const kept = out.replace(/, … and \d+ more$/, '').split(', ');
    for (const k of kept) expect(links).toContain(k);
  });
});

describe('escaping and links', () => {
  it('escapes markdown in untrusted text', () => {
    expect(escapeText('**bold** _it_ `code` ||spoiler||')).toBe('\\*\\*bold\\*\\* \\_it\\_ \\`code\\` \\|\\|spoiler\\|\\|');
    expect(escapeText('# head')).toBe('\\# head');
    expect(escapeText('- item')).toBe('\\- item');
    expect(escapeText('[click](https://evil.example)')).not.toMatch(/^\[click\]\(/);
    expect(escapeText('> not a quote')).toBe('\\> not a quote');
  });

  it('escapes every character of a run of markdown characters, so the text shows verbatim (no stray "\\", none lost)', () => {
    // discord.js' escapeMarkdown pairs them: "****" -> "\\*\\*\\**" (two left raw), "*** out of ****" gains a "\\".
    for (const text of ['rated *** out of ****', 'the c**** said', 'his ____ name', 'a ~~~ b', 'one ||| two', 'code ````` here', 'x \\** y', 'f*** and s***']) {
      const out = escapeText(text);
      expect(out.replace(/\\[^\n]/g, ''), text).not.toMatch(/[*_~|`\\]/); // nothing left that could format
      expect(plain(out), text).toBe(text);
    }
    // A link's address is left as it is, so Discord still links it.
    expect(escapeText('see https://example.com/a_b*c_d now_')).toBe('see https://example.com/a_b*c_d now\\_');
  });

  it('leaves no "<" live after a link: Discord takes the backslash escaping it as the link\'s last character', () => {
    // Its autolink runs to the "<" ("[^\\s<]+"), so "https://x.example\\<@1>" linked "https://x.example\\" and showed
    // a live mention; such a link is shown as text, escaped throughout.
    // Nor after "http://a", too short for a link here but linked with the backslash there.
    for (const text of ['see https://x.example/a_b<@123> now', 'https://x.example.<t:1:R>', 'at https://x.example/p\\<#5>', 'http://a<t:1:R>']) {
      const out = escapeText(text);
      expect(out, text).not.toMatch(/https?:\/\/[^\s<]*\\</);
      expect(plain(out), text).toBe(text);
    }
    expect(escapeText('https://x.example/a_b<@1>')).toBe('https\\://x.example/a\\_b\\<@1>');
    expect(escapeText('https://x.example/a_b <@1>')).toBe('https://x.example/a_b \\<@1>');
    // A highlight starting where the link ends would put its "**\\<" into the link: not bolded.
    const quote = boldQuote('https://x.example<b> tag', [[17, 20]]);
    expect(quote).not.toMatch(/https?:\/\/[^\s<]*\\</);
    expect(plain(quote)).toBe('https://x.example<b> tag');
  });

  it('escapes a block quote opened after spaces (" > "), as Discord quotes it too', () => {
    expect(escapeText('a\n  > not a quote')).toBe('a\n  \\> not a quote');
    expect(escapeUnlinked(' > hi')).toBe(' \\> hi');
  });

  it('makes a link typed by a member text, escaped throughout once it no longer links', () => {
    const out = escapeUnlinked('see https://x.example/a_b and c_d, HTTP://y.example/*z*');
    expect(out).toBe('see https\\://x.example/a\\_b and c\\_d, HTTP\\://y.example/\\*z\\*');
    expect(plain(out)).toBe('see https://x.example/a_b and c_d, HTTP://y.example/*z*');
    // An invite shows a card to join its server even without "https://".
    const invites = escapeUnlinked('join discord.gg/abc or Discord.com/invite/xyz, discordapp.com/invite/q');
    expect(invites).toBe('join discord\\.gg/abc or Discord\\.com/invite/xyz, discordapp\\.com/invite/q');
  });

  it('escapes subtext ("-# ") at the start of a line, where Discord would show the quote small and grey', () => {
    expect(escapeText('-# small print')).toBe('\\-# small print');
    expect(escapeText('a\n  -# small print')).toBe('a\n  \\-# small print');
    expect(blockQuote({ quote: '-# Subtext line about the talks.', highlights: [[16, 21]] }, 500)).toBe('> \\-# Subtext line **about** the talks.');
    expect(escapeText('well -# not at a line start')).toBe('well -# not at a line start');
  });

  it("leaves no masked link live: a second one on the line, one whose text spans a line break (a quote's newline becomes a space, a lone CR a stand-in)", () => {
    // A `[` with no backslash before it (an escaped backslash `\\` does not count) could open a masked link.
    const opensLink = (md: string) => /\[/.test(md.replace(/\\\\|\\\[/g, ''));
    for (const text of [
      'read [the report](https://ok.example) and [the rest](https://evil.example) now',
      'see [the\nreport](https://evil.example) now',
      'see [the\rreport](https://evil.example) now',
      'see [the\u2028report](https://evil.example) now',
      'a \\[b](https://evil.example)',
    ]) {
      expect(opensLink(escapeText(text)), text).toBe(false);
      expect(opensLink(blockQuote({ quote: text, highlights: [[0, 3]] }, 500)), text).toBe(false);
    }
    expect(blockQuote({ quote: 'see [the\nreport](https://evil.example)', highlights: [] }, 500)).toBe('> see \\[the report](https://evil.example)');
  });

  it('shows Discord entities in a quote as text: no mention, channel, timestamp, emoji or command renders', () => {
    for (const text of ['<@123456789012345678>', '<@&123456789012345678>', '<#123456789012345678>', '<t:1473000000:F>', '<:wave:123456789012345678>', '</ask:123456789012345678>']) {
      expect(escapeText(`said ${text} today`)).toBe(`said \\${text} today`);
      expect(blockQuote({ quote: `said ${text} today`, highlights: [[0, 4]] }, 500)).toContain(`\\${text}`);
      // A title shows the same way, linked (/article, /sources, "also reported by") or not.
      expect(link(`said ${text} today`, 'https://x.example/a')).toBe(`[said \\${text} today](https://x.example/a)`);
      expect(link(`said ${text} today`, null)).toBe(`said \\${text} today`);
    }
  });

  it('never cuts escaped text between a backslash and what it escapes (no stray "\\" before the ellipsis)', () => {
    // An odd run of backslashes before the " …" is an escape split by the cut: Discord shows it as a stray "\".
    const dangling = /(^|[^\\])(\\\\)*\\ /;
    // A title without spaces (a URL, Chinese) longer than Discord's 256, with markdown at every possible cut.
    for (let pad = 240; pad < 260; pad++) {
      const title = `${'a'.repeat(pad)}${'<[*_'.repeat(20)}`;
      const out = embedTitle(title, 'Untitled');
      expect(out.length).toBeLessThanOrEqual(256);
      expect(out.endsWith(` ${ELLIPSIS}`)).toBe(true);
      expect(out, `pad ${pad}`).not.toMatch(dangling);
      expect(title.startsWith(plain(out).slice(0, -2))).toBe(true);
    }
    for (let max = 20; max < 40; max++) {
      const out = escapedCut('x'.repeat(10) + '*'.repeat(40), max);
      expect(out.length).toBeLessThanOrEqual(max);
      expect(out, `max ${max}`).not.toMatch(dangling);
    }
    expect(escapedCut('short *one*', 100)).toBe('short \\*one\\*');
  });

  it('still shows text made mostly of markdown characters, cut to fit, when escaping doubles its length', () => {
    // A rule of underscores in a form, a title of stars: every character escaped, the rendering twice as long.
    for (const [text, max] of [['_'.repeat(600), 256], ['**** '.repeat(300), 256], ['Sign here: ' + '____ '.repeat(600) + 'today.', 1000]] as const) {
      const out = escapedCut(text, max);
      expect(out.length, text.slice(0, 20)).toBeLessThanOrEqual(max);
      expect(out.length, text.slice(0, 20)).toBeGreaterThan(max / 3);
      expect(text.startsWith(plain(out).replace(/ …$/, ''))).toBe(true);
      const quote = blockQuote({ quote: text, highlights: [[0, 4]] }, max);
      expect(quote.length).toBeGreaterThan(max / 3);
      expect(quote.length).toBeLessThanOrEqual(max);
    }
    expect(embedTitle('*'.repeat(300), 'Untitled')).toMatch(/^(\\\*)+ …$/);
  });

  it('cuts before the word that overshoots, however far back the word before it ends (never an empty title)', () => {
    // Cut after the stars, the escaped title is 257 characters: one too many, and the word before ends 52 back.
    const title = `${'a'.repeat(150)} ${'*'.repeat(52)} ${'b'.repeat(100)}`;
    expect(embedTitle(title, 'Untitled')).toBe(`${'a'.repeat(150)} …`);
    expect(blockQuote({ quote: title, highlights: [] }, 257)).toBe(`> ${'a'.repeat(150)} …`);
  });

  it('cuts a code span (a file name) without splitting an emoji', () => {
    expect(codeSpan('a'.repeat(9) + '\u{1F600}x', 10)).toBe('`' + 'a'.repeat(9) + '`');
    expect(codeSpan('a'.repeat(8) + '\u{1F600}x', 10)).toBe('`' + 'a'.repeat(8) + '\u{1F600}`');
    expect(codeSpan('file`name', 100)).toBe("`file'name`");
  });

  it('builds links only for http(s) URLs, and never lets a URL break the link', () => {
    expect(safeUrl('javascript:alert(1)')).toBeNull();
    expect(safeUrl('not a url')).toBeNull();
    expect(safeUrl('https://example.com/a_(b)')).toBe('https://example.com/a_%28b%29');
    expect(link('A [weird] title', 'https://example.com/x')).toBe('[A \\[weird\\] title](https://example.com/x)');
    expect(link('Plain title', null)).toBe('Plain title');
  });

  it('never shows one address as the text of a link to another', () => {
    // A page titled like an address ("https://bank.example/login") would read as a link there, leading elsewhere.
    expect(link('https://bank.example/log_in now', 'https://x.example/a')).toBe('[https\\://bank.example/log\\_in now](https://x.example/a)');
  });

  it('bolds no word inside a bare link, which would break the link and show the stars', () => {
    const text = 'Putin: see https://x.example/Putin_talks now';
    expect(boldQuote(text, [[0, 5], [29, 34]])).toBe('**Putin**: see https://x.example/Putin_talks now');
  });

  it('bolds the highlighted question words and escapes the rest', () => {
    const out = boldQuote('Obama *and* Putin met', [
      [0, 5],
      [12, 17],
    ]);
    expect(out).toBe('**Obama** \\*and\\* **Putin** met');
  });

  it('merges overlapping spans and ignores spans outside the quote', () => {
    expect(
      boldQuote('Obama and Putin', [
        [0, 3],
        [2, 5],
        [40, 50],
      ]),
    ).toBe('**Obama** and Putin');
  });

  it('cuts a long quote on the raw text, keeping bold markers balanced and the quote verbatim up to the cut', () => {
    const long = Array.from({ length: 400 }, (_, i) => `word${i}`).join(' ');
    const q = { quote: long, highlights: [[0, 5], [2000, 2010]] as Array<[number, number]> };
    const out = blockQuote(q, 500);
    expect(out.length).toBeLessThanOrEqual(500);
    expect(out.endsWith(` ${ELLIPSIS}`)).toBe(true);
    expect((out.match(/\*\*/g) ?? []).length % 2).toBe(0);
    expect(long.startsWith(plain(out).slice(0, -2))).toBe(true);
  });
});

describe('memberName', () => {
  it("shows any name Discord allows (32 characters at most) whole, each character escaped at most once", () => {
    // Cut at 60, a name of 32 underscores or asterisks (64 escaped) showed as 28 and an ellipsis: not the moderator's name.
    for (const c of ['_', '*', '`', '~', '|']) expect(memberName(c.repeat(32))).toBe(`\\${c}`.repeat(32));
    expect(memberName('[x](https://e.vil)  a\nb')).toBe('\\[x](https\\://e.vil) a b');
  });
});

describe('fitted links', () => {
  it('cuts the title beside its link, never the address; nothing when the address leaves too little room', () => {
    const url = 'https://x.example/a';
    expect(fittedLink('Obama and Putin met for ninety minutes', url, 200)).toBe(`[Obama and Putin met for ninety minutes](${url})`);
    const fitted = fittedLink('Obama and *Putin* met for ninety minutes', url, 50);
    expect(fitted.length).toBeLessThanOrEqual(50);
    expect(fitted).toMatch(/^\[Obama and \\\*Putin\\\* .* …\]\(https:\/\/x\.example\/a\)$/);
    const long = `https://x.example/${'p'.repeat(300)}`;
    expect(fittedLink('Obama <@1> [x](https://y.example) met', long, 60)).toBe('');
    expect(fittedLink('Obama <@1> [x](https://y.example) met', null, 60)).toBe('Obama \\<@1> \\[x\\](https\\://y.example) met');
    expect(fittedLink('Obama met', 'javascript:alert(1)', 60)).toBe('Obama met');
    expect(fittedLink('   ', null, 60)).toBe('untitled');
    expect(fittedLink('Obama met', url, 0)).toBe('');
  });
});
