// A service running as root hands every run to an unprivileged user of its
// own (RUN_AS_USER): with Bash granted and enabled, a run still cannot read
// the database, the service's data or another app's upload, and it can read
// what the run was given. Proven with the fake CLI (what a shell would see)
// and with the real CLI running a real Bash tool call.
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockAnthropic, type MockAnthropic } from './support/mock-anthropic.js';
import { FAKE_CLAUDE, isAlive, readPid, realClaudeBin, waitFor } from './support/processes.js';
import { startServerProcess } from './support/server-process.js';
import { ADMIN_TOKEN, api, mintTokenWith, startTestServer, type TestServer } from './support/test-server.js';
import { uploadFile } from './support/upload.js';

const isRoot = process.getuid?.() === 0;
/** A uid and gid no account on the machine uses: a numeric RUN_AS_USER needs no passwd entry. */
function unusedId(): number {
  for (let id = 48151; ; id++) {
    const taken = ['passwd', 'group'].some((db) => spawnSync('getent', [db, String(id)]).status === 0);
    if (!taken) return id;
  }
}

/** Can uid/gid (no supplementary groups) walk down to `path` and execute it? */
function reachable(path: string, uid: number, gid: number): boolean {
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    const { mode, uid: owner, gid: group } = statSync(dir);
    const bit = owner === uid ? 0o100 : group === gid ? 0o010 : 0o001;
    if ((mode & bit) === 0) return false;
    if (dir === dirname(dir)) return true;
  }
}

// Switching users needs root. The CI machine runs as root, so this runs there;
// on a developer's machine as an ordinary user there is nobody to switch to.
describe.skipIf(!isRoot)('runs under their own user (the service is root)', () => {
  const id = isRoot ? unusedId() : 0;
  let root: string;
  let bin: string;
  let configDir: string;
  let shared: string;
  let dataDir: string;
  let runsDir: string;
  let mock: MockAnthropic;

  /** A CLI binary the run user can reach: as it is when it can, else a link or copy in a reachable directory. */
  function reachableCopy(path: string): string {
    if (reachable(path, id, id)) return path;
    const target = join(bin, path.split('/').pop()!);
    try {
      linkSync(path, target);
    } catch {
      copyFileSync(path, target);
    }
    chmodSync(target, 0o755);
    return target;
  }

  beforeAll(async () => {
    // Under the temp dir, enterable by the run user (mkdtemp makes it 0700).
    root = mkdtempSync(join(tmpdir(), 'clawdforge-run-user-'));
    chmodSync(root, 0o711);
    bin = join(root, 'bin');
    mkdirSync(bin, { mode: 0o755 });
    chmodSync(bin, 0o755);
    shared = join(root, 'shared'); // where a run may leave a pid file
    mkdirSync(shared, { mode: 0o777 });
    chmodSync(shared, 0o777);
    configDir = join(root, 'claude-config');
    mkdirSync(configDir, { mode: 0o700 });
    chownSync(configDir, id, id);
    dataDir = join(root, 'data');
    runsDir = join(root, 'runs');
    mock = await startMockAnthropic();
  });
  afterAll(async () => {
    await mock?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  const env = (claudeBin: string) => ({
    CLAUDE_BIN: claudeBin,
    RUN_AS_USER: `${id}:${id}`,
    CLAUDE_CONFIG_DIR: configDir,
    RUNS_DIR: runsDir,
    ALLOW_RISKY_TOOLS: 'Bash',
    ANTHROPIC_API_KEY: 'sk-ant-test',
    ANTHROPIC_BASE_URL: mock.url,
  });

  /** An app with Bash, its own attachment, and another app's upload on disk. */
  async function scene(server: TestServer) {
    const app = await mintTokenWith(server.url, { name: 'shell-app', tools: ['Bash'] });
    const other = await mintTokenWith(server.url, { name: 'other-app' });
    await uploadFile(server.url, other, 'OTHER-APP-UPLOAD-MARKER', { filename: 'theirs.txt' });
    const stored = readdirSync(join(dataDir, 'files'));
    const own = (await uploadFile(server.url, app, 'OWN-ATTACHMENT-MARKER', { filename: 'mine.txt' })).body.file_token as string;
    return { app, own, otherUpload: join(dataDir, 'files', stored[0]!), database: join(dataDir, 'clawdforge.sqlite') };
  }

  describe('seen from the process (fake CLI)', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer(env(reachableCopy(FAKE_CLAUDE)), { dataDir });
    });
    afterAll(() => server.dispose());

    it('runs as the run user with no other group, reads its attachment and system prompt, and nothing of the service', async () => {
      const { app, own, otherUpload, database } = await scene(server);
      const secret = join(dataDir, 'planted-secret.txt');
      writeFileSync(secret, 'SERVICE-SECRET');
      const response = await api(server.url, 'POST', '/run', {
        token: app,
        body: { prompt: `[[try_read:${database}|${otherUpload}|${secret}|file-1.txt]][[write_file:made-here.txt:ok]]`, tools: ['Bash'], files: [own], system: 'SYSTEM-MARKER' },
      });
      expect(response.status).toBe(200);
      const report = response.body.result;
      expect({ uid: report.uid, gid: report.gid, groups: report.groups }).toEqual({ uid: id, gid: id, groups: [id] });
      expect(report.reads).toEqual([
        { path: database, ok: false, code: 'EACCES' },
        { path: otherUpload, ok: false, code: 'EACCES' },
        { path: secret, ok: false, code: 'EACCES' },
        { path: 'file-1.txt', ok: true, text: 'OWN-ATTACHMENT-MARKER' },
      ]);
      expect(report.system).toBe('SYSTEM-MARKER');
      expect(report.cwd_files.sort()).toEqual(['file-1.txt', 'made-here.txt']);
      expect(report.env_keys).toContain('USER');
      expect(readdirSync(runsDir)).toEqual([]);
      const runs = statSync(runsDir);
      expect({ mode: (runs.mode & 0o777).toString(8), uid: runs.uid, gid: runs.gid }).toEqual({ mode: '710', uid: 0, gid: id });
      expect((statSync(dataDir).mode & 0o777).toString(8)).toBe('700');
      // The stored uploads stay root's: attachments were copies.
      expect(statSync(otherUpload).uid).toBe(0);
      // Bash can write: the cwd and its attachment are the run user's.
      expect(report.cwd_stat).toEqual({ uid: id, gid: id, mode: '700' });
      expect(report.files_stat['file-1.txt']).toMatchObject({ uid: id });
    });

    it("gives a run whose tools cannot write a cwd and inputs it can read but not change", async () => {
      const reader = await mintTokenWith(server.url, { name: 'reader', tools: ['Read'] });
      const file = (await uploadFile(server.url, reader, 'READ-ONLY-INPUT', { filename: 'in.txt' })).body.file_token as string;
      const response = await api(server.url, 'POST', '/run', { token: reader, body: { prompt: '[[try_read:file-1.txt]]', files: [file], system: 'S' } });
      expect(response.status).toBe(200);
      const report = response.body.result;
      expect(report.cwd_stat).toEqual({ uid: 0, gid: id, mode: '750' });
      expect(report.files_stat['file-1.txt']).toEqual({ uid: 0, gid: id, mode: '640' });
      expect(report.reads).toEqual([{ path: 'file-1.txt', ok: true, text: 'READ-ONLY-INPUT' }]);
      expect(report.system).toBe('S');
      expect(readdirSync(runsDir)).toEqual([]);
    });

    it('kills what a run left running outside its process group when it ends, and leaves a concurrent run alone', async () => {
      const app = await mintTokenWith(server.url, { name: 'escaper', tools: ['Bash'] });
      const pidFile = join(shared, 'escaped.pid');
      const long = api(server.url, 'POST', '/run', { token: app, body: { prompt: '[[sleep:1500]]', tools: ['Bash'] } });
      const escaping = await api(server.url, 'POST', '/run', { token: app, body: { prompt: `[[escape:${pidFile}]]`, tools: ['Bash'] } });
      expect(escaping.status).toBe(200);
      const escaped = await readPid(pidFile);
      expect(await waitFor(() => !isAlive(escaped), 5_000)).toBe(true);
      expect((await long).status).toBe(200);
    });

    it("removes a tree the run left, as the run user, without following the symlinks in it", async () => {
      const writer = await mintTokenWith(server.url, { name: 'writer', tools: ['Write'] });
      const victim = join(root, 'victim');
      mkdirSync(victim, { mode: 0o755 });
      writeFileSync(join(victim, 'keep.txt'), 'must survive');
      const response = await api(server.url, 'POST', '/run', { token: writer, body: { prompt: `[[make_tree:${victim}]]`, tools: ['Write'] } });
      expect(response.status).toBe(200);
      expect(readdirSync(runsDir)).toEqual([]);
      expect(readdirSync(victim)).toEqual(['keep.txt']);
    });
  });

  describe('a session under the run user (fake CLI)', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer(env(reachableCopy(FAKE_CLAUDE)), { dataDir });
    });
    afterAll(() => server.dispose());

    const transcripts = () => {
      const projects = join(configDir, 'projects');
      return existsSync(projects) ? readdirSync(projects).flatMap((dir) => readdirSync(join(projects, dir)).map((name) => `${dir}/${name}`)) : [];
    };

    it('keeps a writable directory of the run user, forks it without following its symlinks, and removes both', async () => {
      const writer = await mintTokenWith(server.url, { name: 'session-writer', tools: ['Write'] });
      const victim = join(root, 'session-victim');
      mkdirSync(victim, { mode: 0o755 });
      writeFileSync(join(victim, 'keep.txt'), 'must survive');
      const file = (await uploadFile(server.url, writer, 'SESSION-INPUT', { filename: 'in.txt' })).body.file_token as string;
      const sessionId = (await api(server.url, 'POST', '/sessions', { token: writer, body: { tools: ['Write'] } })).body.session_id as string;
      const first = await api(server.url, 'POST', `/sessions/${sessionId}/turns`, { token: writer, body: { prompt: `[[make_tree:${victim}]]`, files: [file] } });
      expect(first.status).toBe(200);
      expect(first.body.result.cwd_stat).toEqual({ uid: id, gid: id, mode: '700' });
      expect(transcripts()).toEqual([]); // taken into DATA_DIR/sessions after the turn

      const forkId = (await api(server.url, 'POST', `/sessions/${sessionId}/fork`, { token: writer, body: {} })).body.session_id as string;
      const forked = await api(server.url, 'POST', `/sessions/${forkId}/turns`, { token: writer, body: { prompt: '[[try_read:turn1-file-1.txt]]' } });
      expect(forked.status).toBe(200);
      const report = forked.body.result;
      expect(report.history).toEqual([`[[make_tree:${victim}]]\n\nAttached files:\n@turn1-file-1.txt (uploaded as "in.txt")`]);
      expect(report.cwd_files.sort()).toEqual(['sub', 'turn1-file-1.txt']);
      expect(report.files_stat['turn1-file-1.txt']).toMatchObject({ uid: id });
      expect(report.reads).toEqual([{ path: 'turn1-file-1.txt', ok: true, text: 'SESSION-INPUT' }]);

      for (const session of [sessionId, forkId]) expect((await api(server.url, 'DELETE', `/sessions/${session}`, { token: writer })).status).toBe(200);
      expect(readdirSync(runsDir)).toEqual([]);
      expect(readdirSync(victim)).toEqual(['keep.txt']);
      expect(transcripts()).toEqual([]);
      expect(readdirSync(join(dataDir, 'sessions'))).toEqual([]);
    });

    it("seals a session between its turns: another app's run with Bash, as the same user, reaches neither its directory nor its history", async () => {
      const owner = await mintTokenWith(server.url, { name: 'session-owner', tools: ['Write'] });
      const file = (await uploadFile(server.url, owner, 'PRIVATE-SESSION-FILE', { filename: 'p.txt' })).body.file_token as string;
      const sessionId = (await api(server.url, 'POST', '/sessions', { token: owner, body: { tools: ['Write'] } })).body.session_id as string;
      const turn = await api(server.url, 'POST', `/sessions/${sessionId}/turns`, { token: owner, body: { prompt: 'PRIVATE-SESSION-PROMPT', files: [file] } });
      const cwd = turn.body.result.cwd as string;
      const cliId = turn.body.result.args[turn.body.result.args.indexOf('--session-id') + 1] as string;
      const transcript = join(configDir, 'projects', cwd.replace(/[^A-Za-z0-9]/g, '-'), `${cliId}.jsonl`);
      expect(statSync(cwd)).toMatchObject({ uid: 0, mode: expect.any(Number) });
      expect((statSync(cwd).mode & 0o777).toString(8)).toBe('700');

      const attacker = await mintTokenWith(server.url, { name: 'session-snoop', tools: ['Bash'] });
      const snoop = await api(server.url, 'POST', '/run', {
        token: attacker,
        body: { prompt: `[[try_read:${join(cwd, 'turn1-file-1.txt')}|${transcript}]]`, tools: ['Bash'] },
      });
      expect(snoop.body.result.reads).toEqual([
        { path: join(cwd, 'turn1-file-1.txt'), ok: false, code: 'EACCES' },
        { path: transcript, ok: false, code: 'ENOENT' },
      ]);
      // A history planted where the CLI will look (as a Bash run could, having seen the names during a turn) is not the session's.
      mkdirSync(dirname(transcript), { recursive: true });
      writeFileSync(transcript, `${JSON.stringify({ prompt: 'PLANTED-HISTORY', answer: 'x' })}\n`);
      chownSync(dirname(transcript), id, id);
      chownSync(transcript, id, id);
      // The owner's next turn has its directory and its own history back.
      const next = await api(server.url, 'POST', `/sessions/${sessionId}/turns`, { token: owner, body: { prompt: '[[try_read:turn1-file-1.txt]]' } });
      expect(next.body.result.reads).toEqual([{ path: 'turn1-file-1.txt', ok: true, text: 'PRIVATE-SESSION-FILE' }]);
      expect(next.body.result.history).toEqual([expect.stringContaining('PRIVATE-SESSION-PROMPT')]);
      expect(next.body.result.cwd_stat).toEqual({ uid: id, gid: id, mode: '700' });
      await api(server.url, 'DELETE', `/sessions/${sessionId}`, { token: owner });
    });

    it("gives a read-only session the service's files, readable by the run user, in the fork too", async () => {
      const reader = await mintTokenWith(server.url, { name: 'session-reader', tools: ['Read'] });
      const file = (await uploadFile(server.url, reader, 'READ-ONLY-SESSION-INPUT', { filename: 'in.txt' })).body.file_token as string;
      const sessionId = (await api(server.url, 'POST', '/sessions', { token: reader, body: { tools: ['Read'] } })).body.session_id as string;
      await api(server.url, 'POST', `/sessions/${sessionId}/turns`, { token: reader, body: { prompt: 'keep it', files: [file] } });
      const forkId = (await api(server.url, 'POST', `/sessions/${sessionId}/fork`, { token: reader, body: {} })).body.session_id as string;
      const forked = await api(server.url, 'POST', `/sessions/${forkId}/turns`, { token: reader, body: { prompt: '[[try_read:turn1-file-1.txt]]' } });
      expect(forked.body.result.cwd_stat).toEqual({ uid: 0, gid: id, mode: '750' });
      expect(forked.body.result.files_stat['turn1-file-1.txt']).toEqual({ uid: 0, gid: id, mode: '640' });
      expect(forked.body.result.reads).toEqual([{ path: 'turn1-file-1.txt', ok: true, text: 'READ-ONLY-SESSION-INPUT' }]);
      for (const session of [sessionId, forkId]) await api(server.url, 'DELETE', `/sessions/${session}`, { token: reader });
      expect(readdirSync(runsDir)).toEqual([]);
    });
  });

  describe('a session over two Claude accounts under the run user (fake CLI)', () => {
    it("moves to the other account's login with its history, and leaves nothing in either login's directory", async () => {
      const logins = ['login-a', 'login-b'].map((name) => join(root, name));
      for (const login of logins) {
        mkdirSync(login, { mode: 0o700 });
        chownSync(login, id, id);
      }
      const accountsFile = join(root, 'accounts.json');
      writeFileSync(accountsFile, JSON.stringify([
        { name: 'a', type: 'config_dir', config_dir: logins[0], priority: 10 },
        { name: 'b', type: 'config_dir', config_dir: logins[1], priority: 5 },
      ]));
      const accountsRuns = join(root, 'runs-accounts');
      const server = await startTestServer({ ...env(reachableCopy(FAKE_CLAUDE)), CLAUDE_ACCOUNTS_FILE: accountsFile, RUNS_DIR: accountsRuns }, { dataDir: join(root, 'data-accounts') });
      const leftIn = (login: string) => (existsSync(join(login, 'projects')) ? readdirSync(join(login, 'projects')).flatMap((dir) => readdirSync(join(login, 'projects', dir))) : []);
      try {
        const owner = await mintTokenWith(server.url, { name: 'two-logins', tools: ['Write'] });
        const sessionId = (await api(server.url, 'POST', '/sessions', { token: owner, body: { tools: ['Write'] } })).body.session_id as string;
        const first = await api(server.url, 'POST', `/sessions/${sessionId}/turns`, { token: owner, body: { prompt: 'FIRST-ON-A' } });
        expect(first.body.result.env.CLAUDE_CONFIG_DIR).toBe(logins[0]);
        expect(logins.map(leftIn)).toEqual([[], []]);

        await api(server.url, 'POST', '/admin/accounts/a/disable', { token: ADMIN_TOKEN });
        const second = await api(server.url, 'POST', `/sessions/${sessionId}/turns`, { token: owner, body: { prompt: 'SECOND-ON-B' } });
        expect(second.status).toBe(200);
        expect(second.body.result.env.CLAUDE_CONFIG_DIR).toBe(logins[1]);
        expect(second.body.result.uid).toBe(id);
        expect(second.body.result.history).toEqual(['FIRST-ON-A']);
        expect(logins.map(leftIn)).toEqual([[], []]);

        expect((await api(server.url, 'DELETE', `/sessions/${sessionId}`, { token: owner })).status).toBe(200);
        expect(readdirSync(accountsRuns)).toEqual([]);
      } finally {
        await server.dispose();
      }
    });
  });

  describe('seen from the model (real CLI, a real Bash tool call)', () => {
    let server: TestServer;
    beforeAll(async () => {
      rmSync(dataDir, { recursive: true, force: true });
      server = await startTestServer(env(reachableCopy(realClaudeBin())), { dataDir });
    }, 60_000);
    afterAll(() => server.dispose());

    it('gets "Permission denied" for the database and the other app\'s upload, and its own attachment', async () => {
      const { app, own, otherUpload, database } = await scene(server);
      let turn = 0;
      mock.reply = () => {
        turn += 1;
        if (turn === 1) {
          const command = `cat ${database} | head -c 64; cat ${otherUpload}; cat file-1.txt; echo; id -u; id -G`;
          return { kind: 'tool_use', name: 'Bash', input: { command, description: 'look around' } };
        }
        return { kind: 'text', text: 'done' };
      };
      const before = mock.messageRequests().length;
      const response = await api(server.url, 'POST', '/run', { token: app, body: { prompt: 'Look around.', tools: ['Bash'], files: [own] } });
      expect(response.status).toBe(200);
      const requests = mock.messageRequests().slice(before);
      expect(requests.length).toBeGreaterThanOrEqual(2);
      const toolResult = JSON.stringify(requests[1]!.body.messages.at(-1).content);
      expect(toolResult).toContain('OWN-ATTACHMENT-MARKER');
      expect(toolResult.match(/Permission denied/g)?.length).toBe(2);
      expect(toolResult).not.toContain('OTHER-APP-UPLOAD-MARKER');
      expect(toolResult).not.toContain('SQLite format');
      expect(toolResult).toContain(`${id}\\n${id}`);
      expect(readdirSync(runsDir)).toEqual([]);
    }, 60_000);

    it('answers /healthz with the CLI probed as the run user, from a directory it can enter', async () => {
      const health = await api(server.url, 'GET', '/healthz');
      expect(health.body).toMatchObject({ claude_present: true, claude_logged_in: true, claude_auth_method: 'api_key' });
    });
  });

  describe('start-up', () => {
    it('refuses Bash when the run user does not exist, and a named user that does not exist', async () => {
      const cwd = mkdtempSync(join(root, 'svc-'));
      const cases: Array<[Record<string, string>, RegExp]> = [[{ RUN_AS_USER: 'no-such-user-clawdforge' }, /no user named "no-such-user-clawdforge"/]];
      // The default user (clawdforge-run) is missing on a plain machine; where someone created it, Bash is fine.
      if (spawnSync('getent', ['passwd', 'clawdforge-run']).status !== 0) cases.push([{ RUN_AS_USER: '', ALLOW_RISKY_TOOLS: 'Bash' }, /Bash would run as root/]);
      for (const [extra, expected] of cases) {
        const started = startServerProcess({ CLAUDE_BIN: FAKE_CLAUDE, DATA_DIR: join(cwd, 'data'), ...extra }, cwd).then(
          () => null,
          (error: Error) => error.message,
        );
        const failure = await started;
        expect(failure).toMatch(/exited with 2/);
        expect(failure).toMatch(expected);
      }
    });
  });
});
