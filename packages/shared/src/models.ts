import { z } from 'zod';

/**
 * Aliases (`sonnet`, `opus`, `haiku`) and full ids such as `claude-sonnet-4-5-20250929` or `...[1m]`.
 * The first character is a letter or digit, so a model can never read as a CLI option (`--bg`).
 */
export const MODEL_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._\-[\]]{0,99}$/;

export const modelSchema = z.string().regex(MODEL_PATTERN, 'must be a model alias or id: 1-100 of A-Z a-z 0-9 . _ - [ ], starting with a letter or digit');
