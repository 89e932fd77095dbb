import { describe, expect, it } from 'vitest';
import { attachmentFileName } from './attachment-name.js';

// The CLI's end-of-mention rule (2.1.328): trailing characters that are not
// ASCII letters, digits or `_` are cut off the path.
const cliKeeps = (name: string) => /[A-Za-z0-9_]$/.test(name) && !/\s/.test(name);

describe('attachmentFileName', () => {
  it.each([
    [1, 'recipe.txt', 'text/plain', 'file-1.txt'],
    [2, 'Photo.JPG', 'image/jpeg', 'file-2.jpg'],
    [3, 'résumé.pdf', 'application/pdf', 'file-3.pdf'],
    [4, 'notes-', 'application/octet-stream', 'file-4'],
    [5, 'report.', 'text/plain', 'file-5.txt'],
    [6, 'scan', 'image/png', 'file-6.png'],
    [7, 'archive.tar.gz', 'application/gzip', 'file-7.gz'],
    [8, 'données.donnée', 'application/octet-stream', 'file-8'],
    [9, 'x.verylongextension', 'application/octet-stream', 'file-9'],
  ])('#%i %j (%s) → %j', (position, name, type, expected) => {
    expect(attachmentFileName(position, name, type)).toBe(expected);
  });

  it('always yields a name the CLI reads whole', () => {
    for (const name of ['a b', 'x.', 'y-', 'é', '@z', '..', 'q.ÄÖ', '日本']) {
      expect(cliKeeps(attachmentFileName(12, name, 'application/octet-stream'))).toBe(true);
    }
  });
});
