import { describe, expect, it } from 'vitest';
import { sanitizeDisplayName, uniqueName } from './display-name.js';

describe('sanitizeDisplayName', () => {
  it.each([
    ['photo.jpg', 'photo.jpg'],
    ['../../etc/passwd', 'passwd'],
    ['..\\..\\windows\\system32\\cmd.exe', 'cmd.exe'],
    ['..', 'file'],
    ['.', 'file'],
    ['.bashrc', 'bashrc'],
    ['', 'file'],
    [undefined, 'file'],
    ['evil\u0000name.txt', 'evilname.txt'],
    ['line\nbreak\r.txt', 'linebreak.txt'],
    ['My Recipe (1).jpg', 'My_Recipe_1_.jpg'],
    ['a..b....c', 'a.b.c'],
    ['@/etc/passwd', 'passwd'],
    ['@notes.txt', 'notes.txt'],
    ['crème brûlée.txt', 'crème_brûlée.txt'],
    ['"quoted" name;rm -rf.txt', 'quoted_name_rm_-rf.txt'],
    ['trailing.', 'trailing'],
  ])('%j → %j', (input, expected) => {
    expect(sanitizeDisplayName(input)).toBe(expected);
  });

  it('keeps at most 100 characters and the extension', () => {
    const name = sanitizeDisplayName('x'.repeat(300) + '.pdf');
    expect(name).toHaveLength(100);
    expect(name.endsWith('.pdf')).toBe(true);
  });

  it('never yields a path separator, a parent reference or a control character', () => {
    for (const input of ['a/../b', '/', '\\\\server\\share', '\u0001\u0002', 'x/..', '....//....//']) {
      const name = sanitizeDisplayName(input);
      expect(name).not.toMatch(/[/\\\u0000-\u001f]|\.\./);
      expect(name.length).toBeGreaterThan(0);
    }
  });
});

describe('uniqueName', () => {
  it('numbers clashing names before the extension', () => {
    expect(uniqueName('a.txt', new Set())).toBe('a.txt');
    expect(uniqueName('a.txt', new Set(['a.txt']))).toBe('a-2.txt');
    expect(uniqueName('a.txt', new Set(['a.txt', 'a-2.txt']))).toBe('a-3.txt');
    expect(uniqueName('README', new Set(['README']))).toBe('README-2');
  });
});
