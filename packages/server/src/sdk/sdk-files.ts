// The clients the service serves to apps on other machines (built by
// scripts/build-sdk.mjs into packages/server/sdk/): GET /sdk lists them, and
// each file is served at its path under /sdk: the npm tarball, the Python
// wheel, and the Go module over the module proxy protocol. The files are read
// into memory at start-up (a few hundred KB) and served by exact path: a
// request never names a file on disk, never holds a file descriptor, and a
// rebuild while the service runs cannot make an answer disagree with the list.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { sendJson } from '../http/send.js';

/** packages/server/sdk, from src/sdk or dist/sdk alike (and /app/sdk in the image). */
export const DEFAULT_SDK_DIR = fileURLToPath(new URL('../../sdk/', import.meta.url));

interface Artifact {
  kind: 'npm' | 'python' | 'go';
  version: string;
  path: string;
  size: number;
  sha256: string;
  module?: string;
  goVersion?: string;
  proxy?: string;
}

interface SdkIndex {
  version: string;
  artifacts: Artifact[];
}

const CONTENT_TYPES: Record<string, string> = {
  '.tgz': 'application/gzip',
  '.whl': 'application/zip',
  '.zip': 'application/zip',
  '.info': 'application/json',
  '.mod': 'text/plain; charset=utf-8',
};

function contentTypeOf(path: string): string {
  const dot = path.lastIndexOf('.');
  return (dot > path.lastIndexOf('/') ? CONTENT_TYPES[path.slice(dot)] : undefined) ?? 'text/plain; charset=utf-8';
}

/** A host name, IPv4 or bracketed IPv6 address, with an optional port. */
const PLAIN_HOST = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : entry.isFile() ? [path] : [];
  });
}

export class SdkFiles {
  private readonly index: SdkIndex;
  /** URL path (`/sdk/npm/...`) → the file's bytes. */
  private readonly files = new Map<string, Buffer>();

  constructor(dir: string, logger: Logger) {
    if (!existsSync(join(dir, 'index.json'))) {
      logger.warn({ dir }, 'no client packages to serve at /sdk: run `npm run build`');
      this.index = { version: '', artifacts: [] };
      return;
    }
    this.index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as SdkIndex;
    for (const path of filesUnder(dir)) {
      const urlPath = `/sdk/${relative(dir, path).split(sep).join('/')}`;
      if (urlPath !== '/sdk/index.json') this.files.set(urlPath, readFileSync(path));
    }
    // `go get M` without a version asks for @latest: the one version there is.
    for (const artifact of this.index.artifacts) {
      if (artifact.kind !== 'go' || !artifact.module || !artifact.goVersion) continue;
      const info = this.files.get(`/sdk/go/${artifact.module}/@v/${artifact.goVersion}.info`);
      if (info) this.files.set(`/sdk/go/${artifact.module}/@latest`, info);
    }
  }

  /** GET /sdk: each client with its version, size, sha256, URL and the command that installs it. */
  list(res: ServerResponse, host: string | undefined): void {
    // The caller's own Host, when it is a plain name or address: it goes into shell commands.
    const base = `http://${host !== undefined && PLAIN_HOST.test(host) ? host : 'HOST:8800'}`;
    const artifacts = this.index.artifacts.map((artifact) => ({ ...artifact, url: `${base}${artifact.path}`, install: installCommand(artifact, base) }));
    sendJson(res, 200, { version: this.index.version, artifacts });
  }

  /** Sends one served file (for HEAD, Node sends the headers only); false when the path is not one. */
  serve(res: ServerResponse, urlPath: string): boolean {
    const file = this.files.get(urlPath);
    if (!file) return false;
    res.writeHead(200, { 'content-type': contentTypeOf(urlPath), 'content-length': file.length, 'cache-control': 'no-cache' });
    res.end(file);
    return true;
  }
}

function installCommand(artifact: Artifact, base: string): string {
  switch (artifact.kind) {
    case 'npm':
      return `npm install ${base}${artifact.path}`;
    case 'python':
      return `pip install ${base}${artifact.path}`;
    case 'go':
      return `GOPROXY=${base}${artifact.proxy},https://proxy.golang.org GONOSUMDB=${artifact.module} GOFLAGS=-mod=mod go get ${artifact.module}@${artifact.goVersion}`;
  }
}

