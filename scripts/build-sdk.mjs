#!/usr/bin/env node
// Part of `npm run build`: the clients an app on another machine installs,
// built into packages/server/sdk/ for the service to serve at /sdk:
//   npm/clawdforge-client-V.tgz            npm install http://HOST:8800/sdk/npm/...
//   python/clawdforge_client-V-py3-none-any.whl   pip install http://HOST:8800/sdk/python/...
//   go/<module>/@v/...                     GOPROXY=http://HOST:8800/sdk/go,...
//   index.json                             what GET /sdk lists: versions, sizes, sha256
// Every artifact carries the product's one version (packages/shared/src/version.ts).
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildGoModule } from './sdk/go-module.mjs';
import { buildNodeSdk } from './sdk/node-sdk.mjs';
import { buildPythonWheel } from './sdk/python-wheel.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { PRODUCT_VERSION: version } = await import(pathToFileURL(join(root, 'packages/shared/dist/version.js')).href);

for (const pkg of ['packages/shared', 'packages/server', 'packages/client']) {
  const declared = JSON.parse(readFileSync(join(root, pkg, 'package.json'), 'utf8')).version;
  if (declared !== version) throw new Error(`${pkg}/package.json says ${declared}; the product is ${version} (packages/shared/src/version.ts)`);
}

// Built beside the served directory and swapped in whole: a running service never lists half a build.
const served = join(root, 'packages/server/sdk');
const building = `${served}.building`;
rmSync(building, { recursive: true, force: true });
for (const kind of ['npm', 'python', 'go']) mkdirSync(join(building, kind), { recursive: true });

const described = (kind, path, extra) => {
  const data = readFileSync(join(building, path));
  return { kind, version, path: `/sdk/${path}`, size: statSync(join(building, path)).size, sha256: createHash('sha256').update(data).digest('hex'), ...extra };
};

const tarball = await buildNodeSdk({ root, version, outDir: join(building, 'npm') });
const wheel = buildPythonWheel({ root, version, outDir: join(building, 'python') });
const go = buildGoModule({ root, version, outDir: join(building, 'go') });
const index = {
  version,
  artifacts: [
    described('npm', `npm/${tarball}`, { package: '@clawdforge/client' }),
    described('python', `python/${wheel}`, { package: 'clawdforge-client' }),
    described('go', `go/${go.module}/@v/${go.version}.zip`, { module: go.module, goVersion: go.version, proxy: '/sdk/go' }),
  ],
};
writeFileSync(join(building, 'index.json'), `${JSON.stringify(index, null, 2)}\n`);
rmSync(served, { recursive: true, force: true });
renameSync(building, served);
console.log(`sdk: ${index.artifacts.map((artifact) => artifact.path).join(', ')}`);
