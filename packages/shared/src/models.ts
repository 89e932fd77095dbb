import { z } from 'zod';

/** Aliases (`sonnet`, `opus`, `haiku`) and full ids such as `claude-sonnet-4-5-20250929` or `...[1m]`. */
export const MODEL_PATTERN = /^[A-Za-z0-9._\-[\]]{1,100}$/;

export const modelSchema = z.string().regex(MODEL_PATTERN, 'must be a model alias or id: 1-100 of A-Z a-z 0-9 . _ - [ ]');
