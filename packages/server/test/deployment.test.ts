// The container as files (Dockerfile, compose.yaml, .env.example), and the
// production install path run for real without Docker, by the same script
// the Dockerfile's build stage runs.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEnv } from 'node:util';
import { DockerfileParser } from 'dockerfile-ast';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { PRODUCT_VERSION } from '@clawdforge/shared';
import { DEFAULT_RUN_USER, parseConfig } from '../src/config.js';
import { FAKE_CLAUDE } from './support/processes.js';
import { startServerProcess } from './support/server-process.js';
import { makeTempDir } from './support/temp-dir.js';
import { api } from './support/test-server.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const serverPackage = JSON.parse(read('packages/server/package.json'));

const dockerfile = DockerfileParser.parse(read('Dockerfile'));
// The instruction's own text after its keyword, flags (--from=...) included.
const instructions = dockerfile.getInstructions().map((instruction) => ({
  keyword: instruction.getKeyword(),
  args: instruction.getTextContent().slice(instruction.getInstruction().length).replace(/\\\n\s*/g, ' ').trim(),
}));
const stages = dockerfile.getFROMs().map((from) => ({ image: from.getImageName() + ':' + from.getImageTag(), stage: from.getBuildStage() }));
const finalStage = instructions.slice(instructions.map((i) => i.keyword).lastIndexOf('FROM'));

describe('Dockerfile', () => {
  it('builds on node:22-bookworm and runs on node:22-bookworm-slim', () => {
    expect(stages).toEqual([
      { image: 'node:22-bookworm', stage: 'build' },
      { image: 'node:22-bookworm-slim', stage: null },
    ]);
  });

  it('builds with scripts/release.mjs, the script the production-path test runs', () => {
    expect(instructions).toContainEqual({ keyword: 'RUN', args: 'node scripts/release.mjs /out' });
    expect(finalStage).toContainEqual({ keyword: 'COPY', args: '--from=build /out /app' });
    expect(finalStage).toContainEqual({ keyword: 'ENTRYPOINT', args: '["node", "/app/dist/cli.js"]' });
    expect(finalStage).toContainEqual({ keyword: 'CMD', args: '["serve"]' });
  });

  it('installs the Claude Code CLI at the version the tests pin', () => {
    const pinned = serverPackage.devDependencies['@anthropic-ai/claude-code'];
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
    expect(finalStage).toContainEqual({ keyword: 'ARG', args: `CLAUDE_CODE_VERSION=${pinned}` });
    const install = finalStage.find((i) => i.keyword === 'RUN' && i.args.includes('@anthropic-ai/claude-code'));
    expect(install?.args).toContain('npm install -g @anthropic-ai/claude-code@${CLAUDE_CODE_VERSION}');
  });

  it('listens on 0.0.0.0:8800, keeps data and the login in volumes, and checks /healthz', () => {
    const env = finalStage.filter((i) => i.keyword === 'ENV').map((i) => i.args).join(' ');
    for (const setting of ['HOST=0.0.0.0', 'PORT=8800', 'DATA_DIR=/data', 'CLAUDE_CONFIG_DIR=/home/clawdforge-run/.claude']) expect(env).toContain(setting);
    expect(finalStage).toContainEqual({ keyword: 'VOLUME', args: '["/data", "/home/clawdforge-run/.claude"]' });
    expect(finalStage).toContainEqual({ keyword: 'EXPOSE', args: '8800' });
    const healthcheck = finalStage.find((i) => i.keyword === 'HEALTHCHECK');
    expect(healthcheck?.args).toContain('http://127.0.0.1:8800/healthz');
  });

  it('creates the run user RUN_AS_USER names by default, owning the login dirs and nothing else', () => {
    const env = finalStage.filter((i) => i.keyword === 'ENV').map((i) => i.args).join(' ');
    expect(env).toContain(`RUN_AS_USER=${DEFAULT_RUN_USER}`);
    const setup = finalStage.find((i) => i.keyword === 'RUN' && i.args.includes('useradd'))?.args ?? '';
    expect(setup).toContain(`--uid 10001 --gid 10001 --create-home --home-dir /home/${DEFAULT_RUN_USER}`);
    expect(setup).toMatch(new RegExp(`useradd .* ${DEFAULT_RUN_USER}( |$)`));
    expect(setup).toContain(`install -d -o 10001 -g 10001 -m 0700 /home/${DEFAULT_RUN_USER}/.claude /home/${DEFAULT_RUN_USER}/.claude-alt`);
    expect(setup).toContain('install -d -o root -g root -m 0700 /data');
    // The user is made before the app is copied in, and the service itself stays root (no USER line).
    expect(finalStage.some((i) => i.keyword === 'USER')).toBe(false);
  });

  it('leaves local state out of the build context', () => {
    const ignored = read('.dockerignore').split('\n');
    for (const entry of ['**/node_modules', '.git', 'data', '.env', '.venv']) expect(ignored).toContain(entry);
  });

  it('keeps in the build context every source the clients served at /sdk are built from', () => {
    // .dockerignore patterns as Docker reads them: `**` any directories, `*` within a name; a pattern that
    // matches a directory leaves out everything under it.
    const patterns = read('.dockerignore')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'))
      .map((line) => new RegExp(`^${line.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*\*\//g, '(?:.*/)?').replace(/\*/g, '[^/]*')}(?:/.*)?$`));
    const inputs = [
      'scripts/build-sdk.mjs',
      'scripts/sdk/python-wheel.mjs',
      'packages/client/README.md',
      'openapi/python/clawdforge-client/setup.py',
      'openapi/python/clawdforge-client/clawdforge_client/client.py',
      'openapi/python/facade/README.md',
      'openapi/python/facade/clawdforge/_client.py',
      'openapi/go/go.mod',
      'openapi/go/client.gen.go',
    ];
    for (const input of inputs) {
      expect(existsSync(join(ROOT, input)), input).toBe(true);
      expect({ input, ignoredBy: patterns.find((pattern) => pattern.test(input))?.source ?? null }).toEqual({ input, ignoredBy: null });
    }
    expect(patterns.some((pattern) => pattern.test('openapi/python/tests/test_facade.py'))).toBe(true);
  });
});

describe('compose.yaml', () => {
  const compose = parseYaml(read('compose.yaml'));
  const service = compose.services.clawdforge;

  it('names the service and container clawdforge and reads the secrets file', () => {
    expect(service.container_name).toBe('clawdforge');
    expect(service.env_file).toBe('./clawdforge.env');
    expect(service.restart).toBe('unless-stopped');
    expect(service.init).toBe(true);
  });

  it('publishes the port on BIND_ADDR only', () => {
    expect(service.ports).toEqual(['${BIND_ADDR:-192.168.0.5}:8800:8800']);
  });

  it('mounts /data, the Claude config dir and the alternate one', () => {
    const targets = service.volumes.map((volume: string) => volume.split(':')[1]);
    expect(targets).toEqual(['/data', '/home/clawdforge-run/.claude', '/home/clawdforge-run/.claude-alt']);
    expect(Object.keys(compose.volumes)).toEqual(['claude-config', 'claude-alt-config']);
  });

  it("gives running runs more time to finish than the service's default grace", () => {
    const graceSecs = parseConfig({}, '/').shutdownGraceSecs;
    expect(Number.parseInt(service.stop_grace_period, 10)).toBeGreaterThan(graceSecs);
  });
});

describe('.env.example', () => {
  it('lists every variable the service reads, with its default value', () => {
    const example = parseEnv(read('.env.example'));
    const config = read('packages/server/src/config.ts');
    const block = config.slice(config.indexOf('const envSchema'));
    const variables = [...block.slice(0, block.indexOf('\n});')).matchAll(/^ {2}([A-Z_]+):/gm)].map((m) => m[1]!);
    expect(Object.keys(example).sort()).toEqual([...variables].sort());
    // The example's values are the defaults (the CLI's environment aside: it carries whatever is set).
    const { claudeEnv: _a, ...fromExample } = parseConfig({ HOME: '/home/x', ...example }, '/srv');
    const { claudeEnv: _b, ...defaults } = parseConfig({ HOME: '/home/x' }, '/srv');
    expect(fromExample).toEqual(defaults);
  });
});

describe('the production install path, without Docker', () => {
  const temp = makeTempDir('clawdforge-release-');
  afterAll(() => temp.remove());

  it('builds with scripts/release.mjs, holds no dev dependency, and serves from its own directory', async () => {
    const out = join(temp.path, 'out');
    const release = spawnSync(process.execPath, [join(ROOT, 'scripts/release.mjs'), out], { cwd: ROOT, encoding: 'utf8' });
    expect(release.status, release.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['admin-ui', 'dist', 'node_modules', 'package.json', 'pnpm-lock.yaml', 'pnpm-workspace.yaml', 'sdk']);
    for (const dev of Object.keys(serverPackage.devDependencies)) {
      expect({ dev, present: existsSync(join(out, 'node_modules', dev)) }).toEqual({ dev, present: false });
    }

    const dataDir = join(temp.path, 'data');
    const env = { DATA_DIR: dataDir, CLAUDE_BIN: FAKE_CLAUDE };
    const minted = spawnSync(process.execPath, [join(out, 'dist/cli.js'), 'tokens', 'create', 'deployed'], {
      cwd: temp.path,
      env: { PATH: process.env.PATH ?? '', HOME: temp.path, ...env },
      encoding: 'utf8',
    });
    expect(minted.status, minted.stderr).toBe(0);
    const { token } = JSON.parse(minted.stdout);

    const server = await startServerProcess(env, temp.path, join(out, 'dist/cli.js'), ['serve']);
    try {
      expect((await api(server.url, 'GET', '/healthz')).body).toMatchObject({ ok: true, claude_present: true, db: 'ok' });
      expect((await api(server.url, 'POST', '/run', { token, body: { prompt: '[[text:{"deployed": true}]]' } })).body.result).toEqual({
        deployed: true,
      });
      // The clients for other machines ship in the build, served from it.
      const sdk = (await api(server.url, 'GET', '/sdk')).body;
      expect(sdk.artifacts.map((artifact: { kind: string }) => artifact.kind).sort()).toEqual(['go', 'npm', 'python']);
      for (const artifact of sdk.artifacts) expect((await fetch(artifact.url, { method: 'HEAD' })).status).toBe(200);
      // So does the dashboard: its page, and every asset the page names.
      const page = await api<string>(server.url, 'GET', '/admin/ui');
      expect(page.status).toBe(200);
      const assets = [...page.body.matchAll(/(?:src|href)="(\/admin\/ui\/[^"]+)"/g)].map((match) => match[1]!);
      expect(assets.length).toBeGreaterThanOrEqual(3);
      for (const asset of assets) expect((await fetch(server.url + asset)).status).toBe(200);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });
});

describe('the clients served at /sdk', () => {
  const temp = makeTempDir('clawdforge-sdk-versions-');
  afterAll(() => temp.remove());

  it('fail to build when a client changed under a version whose bytes were recorded, and what is served stays', () => {
    const record = join(temp.path, 'sdk-versions.json');
    const served = readFileSync(join(ROOT, 'packages/server/sdk/index.json'), 'utf8');
    writeFileSync(record, JSON.stringify({ [PRODUCT_VERSION]: { python: 'a'.repeat(64), go: 'b'.repeat(64) } }));
    const build = spawnSync(process.execPath, [join(ROOT, 'scripts/build-sdk.mjs')], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, SDK_VERSIONS_FILE: record } });
    expect(build.status).not.toBe(0);
    expect(build.stderr).toContain(`the python client changed, but its version is still ${PRODUCT_VERSION}`);
    expect(readFileSync(join(ROOT, 'packages/server/sdk/index.json'), 'utf8')).toBe(served);
    expect(existsSync(join(ROOT, 'packages/server/sdk.building'))).toBe(false);
  });

  it('agree with the record for this version', () => {
    const recorded = JSON.parse(readFileSync(join(ROOT, 'openapi/sdk-versions.json'), 'utf8'))[PRODUCT_VERSION];
    const served = JSON.parse(readFileSync(join(ROOT, 'packages/server/sdk/index.json'), 'utf8')).artifacts;
    expect({ python: served.find((a: { kind: string }) => a.kind === 'python').sha256, go: served.find((a: { kind: string }) => a.kind === 'go').sha256 }).toEqual(recorded);
  });
});
