import { z } from 'zod';
import { parseCidr } from './cidr.js';

export const TOKEN_NAME_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;

export const tokenNameSchema = z
  .string()
  .regex(TOKEN_NAME_PATTERN, 'must be 1-64 characters of a-z, 0-9, "_" or "-", starting with a letter or digit');

export const cidrSchema = z
  .string()
  .refine((text) => parseCidr(text) !== null, { error: (issue) => `${JSON.stringify(issue.input)} is not a CIDR` });

export const createTokenInputSchema = z
  .object({
    name: tokenNameSchema,
    ip_cidrs: z.array(cidrSchema).max(64).default([]),
  })
  .strict();

export const createdTokenSchema = z
  .object({
    name: z.string(),
    /** The plaintext token: shown in this response only, never again. */
    token: z.string(),
    ip_cidrs: z.array(z.string()),
    created_at: z.iso.datetime(),
  })
  .meta({ id: 'CreatedToken' });

export const tokenInfoSchema = z
  .object({
    name: z.string(),
    ip_cidrs: z.array(z.string()),
    created_at: z.iso.datetime(),
    last_used_at: z.iso.datetime().nullable(),
  })
  .meta({ id: 'TokenInfo' });

export const tokenListSchema = z.object({ tokens: z.array(tokenInfoSchema) }).meta({ id: 'TokenList' });

export const revokeTokenInputSchema = z.object({ name: tokenNameSchema });
export const revokedTokenSchema = z.object({ ok: z.literal(true), name: z.string() }).meta({ id: 'RevokedToken' });

export type CreateTokenInput = z.input<typeof createTokenInputSchema>;
export type CreatedToken = z.infer<typeof createdTokenSchema>;
export type TokenInfo = z.infer<typeof tokenInfoSchema>;
export type TokenList = z.infer<typeof tokenListSchema>;
export type RevokedToken = z.infer<typeof revokedTokenSchema>;
