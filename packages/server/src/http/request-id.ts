import { randomUUID } from 'node:crypto';

// Accept a caller's id when it is short and plain, so it can go into logs as is.
const WELL_FORMED = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's X-Request-Id when well-formed, else a new one. */
export function requestIdFor(header: string | string[] | undefined): string {
  const given = Array.isArray(header) ? header[0] : header;
  return given && WELL_FORMED.test(given) ? given : randomUUID();
}
