// The README is the contract people read: every error code and config variable must be in it.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ERROR_STATUS } from '@clawdforge/shared';
import { describe, expect, it } from 'vitest';

const readme = readFileSync(fileURLToPath(new URL('../../../README.md', import.meta.url)), 'utf8');
const configSource = readFileSync(fileURLToPath(new URL('../src/config.ts', import.meta.url)), 'utf8');

describe('README', () => {
  it.each(Object.entries(ERROR_STATUS))('documents error code %s with status %i', (code, status) => {
    expect(readme).toMatch(new RegExp(`\\| \`${code}\` \\| ${status} \\|`));
  });

  it('documents every config variable the service reads', () => {
    const block = configSource.slice(configSource.indexOf('const envSchema'), configSource.indexOf('});', configSource.indexOf('const envSchema')));
    const variables = [...block.matchAll(/^ {2}([A-Z_]+):/gm)].map((match) => match[1]!);
    expect(variables.length).toBeGreaterThan(10);
    for (const variable of variables) expect(readme).toContain(`| \`${variable}\` |`);
  });
});
