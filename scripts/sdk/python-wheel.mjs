// The Python wheel: the generated client (clawdforge_client, untouched) and the
// hand-written facade (clawdforge) in one py3-none-any wheel, built here by the
// rules of PEP 427 with no build backend to download, byte for byte the same
// for the same sources.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { zip } from './zip.mjs';

const DISTRIBUTION = 'clawdforge_client';

function filesUnder(dir) {
  const found = [];
  for (const name of readdirSync(dir).sort()) {
    if (name === '__pycache__') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...filesUnder(path));
    else if (name.endsWith('.py') || name === 'py.typed') found.push(path); // sources only: no stray editor or build files
  }
  return found;
}

/** The generated setup.py's version, dependencies and Python range. */
function generatedMetadata(setupPy) {
  const text = readFileSync(setupPy, 'utf8');
  const field = (name) => {
    const match = new RegExp(`${name}=("[^"]*"|\\[[^\\]]*\\])`).exec(text);
    if (!match) throw new Error(`${setupPy}: no ${name}`);
    return JSON.parse(match[1]);
  };
  return { version: field('version'), requires: field('install_requires'), python: field('python_requires') };
}

const recordHash = (data) => `sha256=${createHash('sha256').update(data).digest('base64url')}`;

/** Writes the wheel into `outDir`; returns its file name. */
export function buildPythonWheel({ root, version, outDir }) {
  const generated = join(root, 'openapi/python/clawdforge-client');
  const meta = generatedMetadata(join(generated, 'setup.py'));
  if (meta.version !== version) throw new Error(`the generated Python client is ${meta.version}, the product ${version}: run npm run openapi`);

  const entries = [];
  for (const [base, dir] of [[generated, join(generated, 'clawdforge_client')], [join(root, 'openapi/python/facade'), join(root, 'openapi/python/facade/clawdforge')]]) {
    for (const path of filesUnder(dir)) entries.push({ name: relative(base, path).split('\\').join('/'), data: readFileSync(path) });
  }
  const distInfo = `${DISTRIBUTION}-${version}.dist-info`;
  const metadata = [
    'Metadata-Version: 2.1',
    'Name: clawdforge-client',
    `Version: ${version}`,
    'Summary: The Python client of a clawdforge service: the generated client and the Clawdforge facade',
    `Requires-Python: ${meta.python}`,
    ...meta.requires.map((requirement) => `Requires-Dist: ${requirement}`),
    'Description-Content-Type: text/markdown',
    '',
    readFileSync(join(root, 'openapi/python/facade/README.md'), 'utf8'),
  ].join('\n');
  entries.push({ name: `${distInfo}/METADATA`, data: metadata });
  entries.push({ name: `${distInfo}/WHEEL`, data: 'Wheel-Version: 1.0\nGenerator: clawdforge scripts/sdk/python-wheel.mjs\nRoot-Is-Purelib: true\nTag: py3-none-any\n' });
  entries.push({ name: `${distInfo}/top_level.txt`, data: 'clawdforge\nclawdforge_client\n' });
  const record = entries.map(({ name, data }) => `${name},${recordHash(data)},${Buffer.byteLength(data)}`);
  entries.push({ name: `${distInfo}/RECORD`, data: `${[...record, `${distInfo}/RECORD,,`].join('\n')}\n` });

  const file = `${DISTRIBUTION}-${version}-py3-none-any.whl`;
  writeFileSync(join(outDir, file), zip(entries));
  return file;
}
