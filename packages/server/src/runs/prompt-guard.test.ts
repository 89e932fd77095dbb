import { describe, expect, it } from 'vitest';
import { neutralizeCliSyntax } from './prompt-guard.js';

const ZWSP = '\u200B';

describe('neutralizeCliSyntax', () => {
  it('defuses file mentions at the start and after any whitespace', () => {
    expect(neutralizeCliSyntax('@/etc/passwd')).toBe(`@${ZWSP}/etc/passwd`);
    expect(neutralizeCliSyntax('read @/data/x and\n@~/.claude/.credentials.json\t@"a b"')).toBe(
      `read @${ZWSP}/data/x and\n@${ZWSP}~/.claude/.credentials.json\t@${ZWSP}"a b"`,
    );
  });

  it('defuses a leading slash command, after leading whitespace too', () => {
    expect(neutralizeCliSyntax('/logout')).toBe(`${ZWSP}/logout`);
    expect(neutralizeCliSyntax('  \n/cost')).toBe(`  \n${ZWSP}/cost`);
  });

  it('leaves ordinary text, e-mail addresses and inner slashes alone', () => {
    const text = 'Mail bob@example.com about 1/2 cup of rice (and/or beans)';
    expect(neutralizeCliSyntax(text)).toBe(text);
  });
});
