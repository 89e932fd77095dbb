// Keyset pagination over an ascending integer key, newest first: a cursor names
// the last key of a page, so rows arriving meanwhile never shift a later page.
import { ApiError } from '../errors.js';

export const encodeCursor = (key: number) => Buffer.from(`s${key}`).toString('base64url');

/** The key a cursor stands for; undefined when there is no cursor; 400 when it is not one of ours. */
export function cursorKey(cursor: string | undefined): number | null {
  if (cursor === undefined) return null;
  const match = /^s(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw new ApiError('invalid_request', 'cursor: must be a next_cursor from a previous page');
  return Number(match[1]);
}

/** Cuts the `limit + 1` rows a query fetched into a page and the cursor of the next one. */
export function pageOf<Row, Item>(rows: Row[], limit: number, keyOf: (row: Row) => number, toItem: (row: Row) => Item) {
  const page = rows.slice(0, limit);
  return { items: page.map(toItem), next_cursor: rows.length > limit ? encodeCursor(keyOf(page[page.length - 1]!)) : null };
}
