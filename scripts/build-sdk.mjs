#!/usr/bin/env node
// Part of `npm run build`: the clients an app on another machine installs,
// built into packages/server/sdk/ for the service to serve at /sdk:
//   npm/clawdforge-client-V.tgz            npm install http://HOST:8800/sdk/npm/...
//   python/clawdforge_client-V-py3-none-any.whl   pip install http://HOST:8800/sdk/python/...
//   go/<module>/@v/...                     GOPROXY=http://HOST:8800/sdk/go,...
//   index.json                             what GET /sdk lists: versions, sizes, sha256
// Every artifact carries the product's one version (packages/shared/src/version.ts).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
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

const sha256Of = (path) => createHash('sha256').update(readFileSync(path)).digest('hex');

/**
 * Once handed out, a version's bytes must not change: the go command caches a module version forever and
 * checks it against go.sum, and pip and npm lockfiles pin hashes. The wheel and the Go zip are built here
 * byte for byte from committed sources, so their sha256 per version is committed too
 * (openapi/sdk-versions.json): a change without a new version fails the build. (The npm tarball's bytes
 * also depend on the npm that packs it, so it is not held to this.)
 */
function recordReleased(hashes) {
  // SDK_VERSIONS_FILE: another record to check against (the test of this check uses one).
  const file = process.env.SDK_VERSIONS_FILE ?? join(root, 'openapi/sdk-versions.json');
  const released = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  const recorded = released[version];
  if (!recorded) {
    released[version] = hashes;
    writeFileSync(file, `${JSON.stringify(released, null, 2)}\n`);
    console.log(`sdk: recorded ${version} in openapi/sdk-versions.json: commit it`);
    return;
  }
  for (const kind of Object.keys(hashes)) {
    if (recorded[kind] !== hashes[kind]) {
      throw new Error(
        `sdk: the ${kind} client changed, but its version is still ${version}, whose bytes were recorded in openapi/sdk-versions.json. ` +
          'Bump PRODUCT_VERSION in packages/shared/src/version.ts (and the package.json files); if this version never left this machine, delete its entry instead.',
      );
    }
  }
}

const described = (kind, path, extra) => {
  return { kind, version, path: `/sdk/${path}`, size: statSync(join(building, path)).size, sha256: sha256Of(join(building, path)), ...extra };
};

let tarball, wheel, go;
try {
  tarball = await buildNodeSdk({ root, version, outDir: join(building, 'npm') });
  wheel = buildPythonWheel({ root, version, outDir: join(building, 'python') });
  go = buildGoModule({ root, version, outDir: join(building, 'go') });
  recordReleased({ python: sha256Of(join(building, 'python', wheel)), go: sha256Of(join(building, 'go', go.module, '@v', `${go.version}.zip`)) });
} catch (error) {
  rmSync(building, { recursive: true, force: true }); // what is served stays as it was
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}

const index = {
  version,
  artifacts: [
    described('npm', `npm/${tarball}`, { package: '@clawdforge/client' }),
    described('python', `python/${wheel}`, { package: 'clawdforge-client' }),
    described('go', `go/${go.module}/@v/${go.version}.zip`, { module: go.module, goVersion: go.version, proxy: '/sdk/go' }),
  ],
};
const indexText = `${JSON.stringify(index, null, 2)}\n`;
if (existsSync(join(served, 'index.json')) && readFileSync(join(served, 'index.json'), 'utf8') === indexText) {
  // The same bytes as what is there (the sha256 of each is in the index): leave it, so a reader never sees a gap.
  rmSync(building, { recursive: true, force: true });
} else {
  writeFileSync(join(building, 'index.json'), indexText);
  const old = `${served}.old`;
  rmSync(old, { recursive: true, force: true });
  if (existsSync(served)) renameSync(served, old);
  renameSync(building, served);
  rmSync(old, { recursive: true, force: true });
}
console.log(`sdk: ${index.artifacts.map((artifact) => artifact.path).join(', ')}`);
