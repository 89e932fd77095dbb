// The admin API as the page calls it: the session cookie (HttpOnly, set by
// POST /admin/session) rides along by itself; changes also carry the CSRF
// token the session answered with, kept in memory only. The admin token is
// sent once, to sign in, and never stored.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface SessionInfo {
  csrf_token: string;
  expires_at: string;
}

let csrfToken: string | null = null;
/** Told when a call finds the session gone (expired, logged out elsewhere): the page shows the sign-in again. */
let onSignedOut: () => void = () => {};

export function whenSignedOut(handler: () => void): void {
  onSignedOut = handler;
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  const response = await fetch(path, { method, headers, credentials: 'same-origin', ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const text = await response.text();
  const parsed: unknown = text ? JSON.parse(text) : undefined;
  if (!response.ok) {
    const error = (parsed as { error?: { code?: string; message?: string } } | undefined)?.error;
    if (response.status === 401 && path !== '/admin/session') {
      csrfToken = null;
      onSignedOut();
    }
    throw new ApiError(response.status, error?.code ?? 'error', error?.message ?? `HTTP ${response.status}`);
  }
  return parsed as T;
}

export const api = {
  get: <T>(path: string) => call<T>('GET', path),
  post: <T>(path: string, body?: unknown) => call<T>('POST', path, body ?? {}),
  patch: <T>(path: string, body: unknown) => call<T>('PATCH', path, body),
  delete: <T>(path: string) => call<T>('DELETE', path),
};

/** The session this page already has (a reload), or null. */
export async function currentSession(): Promise<SessionInfo | null> {
  try {
    const session = await call<SessionInfo>('GET', '/admin/session');
    csrfToken = session.csrf_token;
    return session;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

export async function signIn(adminToken: string): Promise<SessionInfo> {
  const session = await call<SessionInfo>('POST', '/admin/session', { token: adminToken });
  csrfToken = session.csrf_token;
  return session;
}

export async function signOut(): Promise<void> {
  try {
    await call('DELETE', '/admin/session');
  } finally {
    csrfToken = null;
  }
}

/** A query string of the fields that are set. */
export function query(fields: Record<string, string | number | undefined | null>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}
