// A disposable, real service: real config parsing, a real SQLite file in a temp
import { afterAll, beforeAll } from 'vitest';
// dir, a real node:http server on port 0. Tests talk to it over loopback.
import { pino } from 'pino';
import { startApp, type AppOptions, type RunningApp } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { makeTempDir } from './temp-dir.js';

export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';

export interface TestServer extends RunningApp {
  readonly dataDir: string;
  /** Closes the server and removes its temp dir (unless the dir was passed in). */
  dispose(): Promise<void>;
}

export async function startTestServer(
  env: Record<string, string> = {},
  options: AppOptions & { dataDir?: string } = {},
): Promise<TestServer> {
  const temp = options.dataDir ? undefined : makeTempDir();
  const dataDir = options.dataDir ?? temp!.path;
  const config = parseConfig(
    {
      ...fakeClaudePassthrough(env),
      HOME: process.env.HOME ?? dataDir,
      PATH: process.env.PATH ?? '',
      HOST: '127.0.0.1',
      PORT: '0',
      DATA_DIR: dataDir,
      ADMIN_BOOTSTRAP_TOKEN: ADMIN_TOKEN,
      LOG_LEVEL: 'silent',
      // Tests run as root here and elsewhere as anyone: runs execute as the test's user unless a test says otherwise.
      RUN_AS_USER: 'root',
      ...env,
    },
    dataDir,
  );
  const app = await startApp(config, { logger: pino({ level: 'silent' }), ...options });
  return {
    ...app,
    dataDir,
    async dispose() {
      await app.close();
      temp?.remove();
    },
  };
}

/** The fake CLI's own switches (FAKE_CLAUDE_*) reach it the way an operator passes a variable: CLAUDE_ENV_PASSTHROUGH. */
export function fakeClaudePassthrough(env: Record<string, string>): Record<string, string> {
  const names = Object.keys(env).filter((name) => name.startsWith('FAKE_CLAUDE_'));
  return names.length > 0 && env.CLAUDE_ENV_PASSTHROUGH === undefined ? { CLAUDE_ENV_PASSTHROUGH: names.join(',') } : {};
}

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** One JSON request; `token` becomes a Bearer header. */
export async function api<T = any>(
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string>; signal?: AbortSignal } = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] ??= 'application/json';
  const init: RequestInit = { method, headers };
  if (options.body !== undefined) init.body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  if (options.signal) init.signal = options.signal;
  const response = await fetch(baseUrl + path, init);
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // leave non-JSON bodies as text
  }
  return { status: response.status, body: body as T, headers: response.headers };
}

/** Mints an app token through the admin API and returns its plaintext. */
export async function mintToken(baseUrl: string, name: string, ipCidrs?: string[]): Promise<string> {
  const response = await api(baseUrl, 'POST', '/admin/tokens', {
    token: ADMIN_TOKEN,
    body: ipCidrs ? { name, ip_cidrs: ipCidrs } : { name },
  });
  if (response.status !== 201) throw new Error(`mint failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.token as string;
}

/** Mints an app token with any create fields (a policy, say) and returns its plaintext. */
export async function mintTokenWith(baseUrl: string, body: { name: string } & Record<string, unknown>): Promise<string> {
  const response = await api(baseUrl, 'POST', '/admin/tokens', { token: ADMIN_TOKEN, body });
  if (response.status !== 201) throw new Error(`mint failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.token as string;
}

/**
 * Registers beforeAll/afterAll for a test server and one app token named `app`;
 * read `.server` and `.token` inside tests.
 */
export function useServerWithApp(
  env: Record<string, string>,
  options: AppOptions & { app?: string } = {},
): { readonly server: TestServer; readonly token: string } {
  const handle = {} as { server: TestServer; token: string };
  beforeAll(async () => {
    handle.server = await startTestServer(env, options);
    handle.token = await mintToken(handle.server.url, options.app ?? 'app');
  });
  afterAll(() => handle.server?.dispose());
  return handle;
}
