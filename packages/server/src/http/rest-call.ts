// The REST twin of a procedure, called directly: the input is built the way
// trpc-to-openapi builds it (the JSON body, or the query string coerced by
// the input schema, plus the path parameters), the procedure runs with its
// middlewares and validation, and the answer is written once, by us. Without
// trpc-to-openapi's adapter on the request path there is no fetch Request
// per call and no error body rendered and re-parsed on the way out.
import type { AnyTRPCProcedure } from '@trpc/server';
import {
  coerceSchema,
  getInputOutputParsers,
  instanceofZodTypeLikeVoid,
  instanceofZodTypeObject,
  instanceofZodTypeOptional,
  unwrapZodType,
  type OpenApiProcedure,
} from 'trpc-to-openapi';
import { ZodArray, ZodError } from 'zod';
import { invalidInput, type PublicError } from '../errors.js';

type ProcedureCall = (options: {
  path: string;
  type: string;
  ctx: unknown;
  getRawInput: () => Promise<unknown>;
  input?: unknown;
  signal: AbortSignal | undefined;
  batchIndex: number;
}) => Promise<unknown>;

export interface RestProcedure {
  name: string;
  /** False for `z.void()` inputs: they get undefined, as from trpc-to-openapi. */
  takesInput: boolean;
  /** Query keys the schema wants as arrays: a single value is wrapped. */
  arrayKeys: ReadonlySet<string>;
  /**
   * The input checked by the procedure's schema before the call: the refusal
   * (the message the procedure itself would give) when it rejects it, so a
   * refused input costs a schema check, not the middleware chain and a
   * TRPCError; else the input as the schema makes it (defaults, coercions),
   * for a caller that runs it itself.
   */
  checkInput: (input: unknown) => { refusal: PublicError } | { data: unknown };
  call: (ctx: unknown, input: unknown, signal: AbortSignal) => Promise<unknown>;
}

/**
 * Prepares a procedure for REST calls. Its input schema is made to coerce
 * strings to the types it wants, for every method, as trpc-to-openapi does
 * (a query string has only strings; a body's `"10"` is taken as 10 too).
 */
export function restProcedure(name: string, procedure: AnyTRPCProcedure, method: string): RestProcedure {
  const { inputParser } = getInputOutputParsers(procedure as unknown as OpenApiProcedure);
  const schema = unwrapZodType(inputParser as never, true);
  const arrayKeys = new Set<string>();
  if (instanceofZodTypeObject(schema)) {
    if (method === 'GET') {
      for (const [key, shape] of Object.entries(schema.shape)) {
        const inner = instanceofZodTypeOptional(shape as never) ? (shape as unknown as { unwrap(): unknown }).unwrap() : shape;
        if (inner instanceof ZodArray) arrayKeys.add(key);
      }
    }
    coerceSchema(schema);
  }
  const type = procedure._def.type;
  const invoke = procedure as unknown as ProcedureCall;
  const parser = inputParser as unknown as { safeParse?: (input: unknown) => { success: boolean; data?: unknown; error?: unknown } } | undefined;
  return {
    name,
    takesInput: !instanceofZodTypeLikeVoid(schema),
    arrayKeys,
    checkInput: (input) => {
      const checked = parser?.safeParse?.(input);
      if (checked?.success) return { data: checked.data };
      // Anything but a schema's own refusal is left to the procedure's call, as before.
      return checked && checked.error instanceof ZodError ? { refusal: invalidInput(checked.error) } : { data: input };
    },
    call: (ctx, input, signal) => invoke({ path: name, type, ctx, getRawInput: async () => input, signal, batchIndex: 0 }),
  };
}

/** The input of a GET: each query key once as a string, several times as an array. */
export function queryInput(search: string, arrayKeys: ReadonlySet<string>): Record<string, string | string[]> {
  // No prototype: a `__proto__` key is just a key.
  const input: Record<string, string | string[]> = Object.create(null);
  if (search === '') return input;
  const values = new Map<string, string[]>();
  for (const [key, value] of new URLSearchParams(search)) {
    const list = values.get(key);
    if (list) list.push(value);
    else values.set(key, [value]);
  }
  for (const [key, list] of values) input[key] = list.length === 1 && !arrayKeys.has(key) ? list[0]! : list;
  return input;
}
