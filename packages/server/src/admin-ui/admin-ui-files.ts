// The admin dashboard's files (built by packages/admin-ui into
// packages/server/admin-ui), read into memory at start and served by exact
// path at /admin/ui: a request never names a file on disk. Every answer
// carries a strict Content-Security-Policy (scripts and styles from this
// origin only, no inline code, no framing, no other origin) and is not
// cached except for the content-hashed assets.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';

/** packages/server/admin-ui, from src/admin-ui or dist/admin-ui alike (and /app/admin-ui in the image). */
export const DEFAULT_ADMIN_UI_DIR = fileURLToPath(new URL('../../admin-ui/', import.meta.url));

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Sent with every page and asset of the dashboard. */
export const PAGE_HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
} as const;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

interface UiFile {
  body: Buffer;
  type: string;
  /** Content-hashed names (assets/*) never change: cached a year; the page itself always revalidates. */
  immutable: boolean;
}

export class AdminUiFiles {
  private readonly files = new Map<string, UiFile>();

  constructor(dir: string, logger: Logger) {
    if (!existsSync(join(dir, 'index.html'))) {
      logger.warn({ dir }, 'the admin dashboard is not built: /admin/ui answers 404 (npm run build makes it)');
      return;
    }
    for (const path of readdirSync(dir, { recursive: true, withFileTypes: true })) {
      if (!path.isFile()) continue;
      const full = join(path.parentPath, path.name);
      const name = relative(dir, full).split(sep).join('/');
      const type = CONTENT_TYPES[name.slice(name.lastIndexOf('.'))];
      if (type) this.files.set(name, { body: readFileSync(full), type, immutable: name.startsWith('assets/') });
    }
  }

  /** GET /admin/ui and /admin/ui/{file}; false when there is no such file. */
  serve(res: ServerResponse, file: string | undefined): boolean {
    const entry = this.files.get(file === undefined || file === '' ? 'index.html' : file);
    if (!entry) return false;
    res.writeHead(200, {
      ...PAGE_HEADERS,
      'content-type': entry.type,
      'content-length': entry.body.length,
      'cache-control': entry.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    res.end(entry.body);
    return true;
  }
}
