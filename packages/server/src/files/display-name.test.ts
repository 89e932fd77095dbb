import { describe, expect, it } from 'vitest';
import { displayNameOf } from './display-name.js';

describe('displayNameOf', () => {
  it.each([
    ['photo.jpg', 'photo.jpg'],
    ['résumé.pdf', 'résumé.pdf'],
    ['my notes.txt', 'my notes.txt'],
    ['notes-', 'notes-'],
    ['report.', 'report.'],
    ['日本語のメモ.md', '日本語のメモ.md'],
    ['"quoted" name;rm -rf.txt', '"quoted" name;rm -rf.txt'],
    ['@notes.txt', '@notes.txt'],
    ['../../etc/passwd', 'passwd'],
    ['..\\..\\windows\\system32\\cmd.exe', 'cmd.exe'],
    ['..', 'file'],
    ['.', 'file'],
    ['', 'file'],
    [undefined, 'file'],
    ['.bashrc', '.bashrc'],
    ['evil\u0000name.txt', 'evilname.txt'],
    ['line\nbreak\r.txt', 'linebreak.txt'],
    ['right-to-left \u202Etxt.exe', 'right-to-left txt.exe'],
    ['zero\u200Bwidth.txt', 'zerowidth.txt'],
    ['  wide\u3000\u00A0spaces  .txt', 'wide spaces .txt'],
    ['cafe\u0301.txt', 'café.txt'],
  ])('%j → %j', (input, expected) => {
    expect(displayNameOf(input)).toBe(expected);
  });

  it('keeps at most 255 characters and the extension', () => {
    const name = displayNameOf('é'.repeat(300) + '.pdf');
    expect([...name]).toHaveLength(255);
    expect(name.endsWith('.pdf')).toBe(true);
  });

  it('never yields a path separator or a control character', () => {
    for (const input of ['a/../b', '/', '\\\\server\\share', '\u0001\u0002', 'x/..', '....//....//']) {
      const name = displayNameOf(input);
      expect(name).not.toMatch(/[/\\\u0000-\u001f]/);
      expect(name.length).toBeGreaterThan(0);
    }
  });
});
