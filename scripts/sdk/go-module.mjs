// The Go client as the Go module proxy protocol serves it: for module M at
// version V, `M/@v/list`, `M/@v/V.info`, `M/@v/V.mod` and `M/@v/V.zip` (files
// under `M@V/`). The zip is deterministic, so its go.sum hash is the same for
// every build of the same sources.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { zip } from './zip.mjs';

/** The module path from go.mod. */
export function goModulePath(goMod) {
  const match = /^module\s+(\S+)/m.exec(goMod);
  if (!match) throw new Error('go.mod has no module line');
  return match[1];
}

function moduleFiles(dir) {
  const found = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'testdata' && !name.startsWith('.')) found.push(...moduleFiles(path));
    } else if (name === 'go.mod' || name === 'go.sum' || name === 'README.md' || (name.endsWith('.go') && !name.endsWith('_test.go'))) {
      found.push(path);
    }
  }
  return found;
}

/**
 * Writes the module's proxy files under `outDir` (the proxy's root); returns the module path and version.
 * The tests stay out of the zip: they start a service from this repository.
 */
export function buildGoModule({ root, version, outDir }) {
  const source = join(root, 'openapi/go');
  const goMod = readFileSync(join(source, 'go.mod'), 'utf8');
  const module = goModulePath(goMod);
  // The proxy protocol spells capitals as `!x`; this proxy serves paths as they are, so it takes none.
  if (module !== module.toLowerCase()) throw new Error(`${module}: a module path with capitals needs the proxy's !-encoding`);
  const goVersion = `v${version}`;
  const versions = join(outDir, module, '@v');
  mkdirSync(versions, { recursive: true });
  const entries = moduleFiles(source).map((path) => ({ name: `${module}@${goVersion}/${relative(source, path).split('\\').join('/')}`, data: readFileSync(path) }));
  writeFileSync(join(versions, `${goVersion}.zip`), zip(entries));
  writeFileSync(join(versions, `${goVersion}.mod`), goMod);
  // The commit time of a release is not known here; a fixed time keeps the file the same build to build.
  writeFileSync(join(versions, `${goVersion}.info`), `${JSON.stringify({ Version: goVersion, Time: '2026-01-01T00:00:00Z' })}\n`);
  writeFileSync(join(versions, 'list'), `${goVersion}\n`);
  return { module, version: goVersion };
}
