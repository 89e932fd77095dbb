import { describe, expect, it } from 'vitest';
import { neutralizeCliSyntax } from './prompt-guard.js';

const WJ = '\u2060';
const ZWSP = '\u200B';

/**
 * The CLI's own mention rule (2.1.328): pieces split at `\s`; an `@` at a
 * piece's start or after 。、？！ starts a mention; so does `@"` after those.
 */
function cliMentions(text: string): string[] {
  const found: string[] = [];
  for (const [piece] of text.matchAll(/[^\s]+/g)) {
    for (let at = piece.indexOf('@'); at !== -1; at = piece.indexOf('@', at + 1)) {
      if (at === 0 || '\u3002\u3001\uFF1F\uFF01'.includes(piece[at - 1]!)) found.push(piece.slice(at));
    }
  }
  return found;
}

describe('neutralizeCliSyntax', () => {
  it('puts a word joiner before an @ at the start, after whitespace and after CJK punctuation', () => {
    expect(neutralizeCliSyntax('@/etc/passwd')).toBe(`${WJ}@/etc/passwd`);
    expect(neutralizeCliSyntax('read @/data/x and\n@~/.claude/.credentials.json\t@"a b"')).toBe(
      `read ${WJ}@/data/x and\n${WJ}@~/.claude/.credentials.json\t${WJ}@"a b"`,
    );
    expect(neutralizeCliSyntax('見て。@/etc/passwd')).toBe(`見て。${WJ}@/etc/passwd`);
  });

  it('leaves no mention the CLI would read, after whitespace or its four CJK marks', () => {
    const boundaries = [...'\t\n\v\f\r \u00A0\u1680\u2000\u200A\u2028\u2029\u202F\u205F\u3000\uFEFF\u3002\u3001\uFF1F\uFF01'];
    for (const boundary of boundaries) {
      for (const path of ['/etc/passwd', '"/etc/passwd"', '\u200B../../x', '~/.claude', '..']) {
        const text = `x${boundary}@${path}`;
        expect(cliMentions(text), JSON.stringify(boundary)).toHaveLength(1);
        expect(cliMentions(neutralizeCliSyntax(text)), JSON.stringify(boundary)).toEqual([]);
      }
    }
  });

  it('leaves no mention even if a later CLI counted every whitespace, punctuation, symbol or format character as a boundary', () => {
    const wider = /[\s\p{P}\p{S}\p{Cf}]/u;
    const mentionsUnderWiderRule = (text: string) =>
      [...text.matchAll(/@/g)].filter((match) => match.index === 0 || wider.test(text[match.index - 1]!)).length;
    let boundaries = 0;
    for (let code = 0; code <= 0xffff; code++) {
      const char = String.fromCharCode(code);
      if (!wider.test(char) || char === '@' || /[\uD800-\uDFFF]/.test(char)) continue;
      boundaries += 1;
      const text = `x${char}@/etc/passwd${char}@"a b"`;
      expect(mentionsUnderWiderRule(text), JSON.stringify(char)).toBe(2);
      // Only the joiner itself stands before each @ now, and it is what a wider rule must not count.
      expect([...neutralizeCliSyntax(text).matchAll(/(.)@/gu)].map((match) => match[1]), JSON.stringify(char)).toEqual([WJ, WJ]);
    }
    expect(boundaries).toBeGreaterThan(1000);
  });

  it('defuses an @ that an earlier defusing left in place', () => {
    expect(cliMentions(neutralizeCliSyntax(`${WJ}@/a @${ZWSP}../../b`))).toEqual([]);
  });

  it('defuses a leading slash command, after leading whitespace too', () => {
    expect(neutralizeCliSyntax('/logout')).toBe(`${ZWSP}/logout`);
    expect(neutralizeCliSyntax('  \n/cost')).toBe(`  \n${ZWSP}/cost`);
  });

  it('leaves ordinary text, e-mail addresses and inner slashes alone', () => {
    const text = 'Mail bob@example.com or jörg@example.de about 1/2 cup of rice (and/or beans)';
    expect(neutralizeCliSyntax(text)).toBe(text);
  });
});
