// The TS SDK as one tarball that installs with plain `npm install` anywhere:
// packages/client bundled with what it uses of packages/shared (code and
// declarations), so nothing refers to the workspace.
//
// Bundled with tsup 8.5 (esbuild for the code, rollup-plugin-dts for one
// index.d.ts): it runs on Node 20, where tsdown 0.22+ and rolldown-plugin-dts
// 0.24+ want Node 22, and its dts step can inline a workspace package's types
// (`dts.resolve`), which is the point here.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'tsup';

/** Runtime dependencies of the bundle, as ranges from the versions the workspace pins. */
function dependencyRanges(root) {
  const pinned = (pkg, name) => JSON.parse(readFileSync(join(root, pkg, 'package.json'), 'utf8')).dependencies[name];
  return { undici: `^${pinned('packages/client', 'undici')}`, zod: `^${pinned('packages/shared', 'zod')}` };
}

/** Builds packages/client into a staging directory and packs it into `outDir`; returns the tarball's name. */
export async function buildNodeSdk({ root, version, outDir }) {
  const stage = join(root, 'packages/client/pack');
  rmSync(stage, { recursive: true, force: true });
  const dependencies = dependencyRanges(root);
  await build({
    entry: { index: join(root, 'packages/client/src/index.ts') },
    outDir: join(stage, 'dist'),
    format: ['esm', 'cjs'], // CommonJS too: a `require` from a CJS app on Node before 20.19 cannot load ESM
    platform: 'node',
    target: 'node20',
    external: Object.keys(dependencies),
    noExternal: [/^@clawdforge\/shared/], // a workspace dependency of packages/client: bundled, not required
    // @clawdforge/shared's declarations are inlined from its sources: through node_modules (a workspace
    // link) the dts bundler would leave them as an import of a package that does not exist outside this repo.
    dts: {
      compilerOptions: {
        composite: false,
        incremental: false,
        rootDir: join(root, 'packages'),
        paths: { '@clawdforge/shared': [join(root, 'packages/shared/src/index.ts')] },
      },
    },
    tsconfig: join(root, 'packages/client/tsconfig.json'),
    sourcemap: false,
    clean: true,
    silent: true,
  });
  const bundled = ['index.d.ts', 'index.js', 'index.d.cts', 'index.cjs'].map((file) => readFileSync(join(stage, 'dist', file), 'utf8')).join('');
  if (bundled.includes('@clawdforge/shared')) throw new Error('the packed SDK still refers to @clawdforge/shared');

  const manifest = {
    name: '@clawdforge/client',
    version,
    description: 'The typed Node.js client of a clawdforge service: runs, files, admin.',
    type: 'module',
    exports: {
      '.': {
        import: { types: './dist/index.d.ts', default: './dist/index.js' },
        require: { types: './dist/index.d.cts', default: './dist/index.cjs' },
      },
    },
    main: './dist/index.cjs',
    types: './dist/index.d.ts',
    files: ['dist'],
    engines: { node: '>=20.18.1' }, // undici 7's own floor
    dependencies,
    license: 'UNLICENSED',
  };
  writeFileSync(join(stage, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(join(stage, 'README.md'), readFileSync(join(root, 'packages/client/README.md'), 'utf8'));
  mkdirSync(outDir, { recursive: true });
  const output = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', outDir], { cwd: stage, encoding: 'utf8' });
  return JSON.parse(output)[0].filename;
}
