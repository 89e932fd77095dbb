import { describe, expect, it } from 'vitest';
import { parseConfig, type Config } from '../config.js';
import { resolveCliIdentity } from './cli-identity.js';
import { decideRunUser, lookupPasswd, type PasswdEntry } from './run-user.js';

const PASSWD: PasswdEntry[] = [
  { name: 'root', uid: 0, gid: 0, home: '/root' },
  { name: 'clawdforge-run', uid: 10001, gid: 10001, home: '/home/clawdforge-run' },
  { name: 'wheelie', uid: 10002, gid: 0, home: '/home/wheelie' },
];
const lookup = (key: string) => PASSWD.find((entry) => entry.name === key || String(entry.uid) === key) ?? null;
const decide = (spec: string, explicit: boolean, serviceUid = 0, claudeConfigDir: string | null = null) =>
  decideRunUser({ spec, explicit, serviceUid, claudeConfigDir, lookup });

describe('decideRunUser', () => {
  it('switches a root service to the named user', () => {
    expect(decide('clawdforge-run', false)).toEqual({ kind: 'switch', user: { name: 'clawdforge-run', uid: 10001, gid: 10001, home: '/home/clawdforge-run' } });
  });

  it('never switches a service that is not root', () => {
    expect(decide('clawdforge-run', true, 1000)).toEqual({ kind: 'self', reason: 'not_root' });
  });

  it('keeps root when asked for root, by name or uid', () => {
    expect(decide('root', true)).toEqual({ kind: 'self', reason: 'root_by_choice' });
    expect(decide('0', true)).toEqual({ kind: 'self', reason: 'root_by_choice' });
  });

  it('falls back to root, to be reported, when the default user does not exist', () => {
    expect(decideRunUser({ spec: 'clawdforge-run', explicit: false, serviceUid: 0, claudeConfigDir: null, lookup: () => null })).toEqual({
      kind: 'self',
      reason: 'default_user_missing',
    });
  });

  it('refuses a named user that does not exist, and a user in group 0', () => {
    expect(() => decide('nobody-here', true)).toThrow(/no user named "nobody-here".*useradd/);
    expect(() => decide('wheelie', true)).toThrow(/group 0/);
    expect(() => decide('10001:0', true)).toThrow(/group 0/);
  });

  it('takes uid[:gid], with the passwd home when there is an entry and CLAUDE_CONFIG_DIR when not', () => {
    expect(decide('10001', true)).toMatchObject({ user: { name: 'clawdforge-run', uid: 10001, gid: 10001 } });
    expect(decide('10001:20000', true)).toMatchObject({ user: { uid: 10001, gid: 20000, home: '/home/clawdforge-run' } });
    expect(decide('48151:48151', true, 0, '/srv/claude')).toEqual({ kind: 'switch', user: { name: '48151', uid: 48151, gid: 48151, home: '/srv/claude' } });
    expect(() => decide('48151', true)).toThrow(/no passwd entry.*CLAUDE_CONFIG_DIR/);
  });
});

describe('lookupPasswd', () => {
  it("finds root on this machine by name and by uid", () => {
    expect(lookupPasswd('root')).toMatchObject({ name: 'root', uid: 0, gid: 0 });
    expect(lookupPasswd('0')).toMatchObject({ name: 'root' });
    expect(lookupPasswd('no-such-user-clawdforge')).toBeNull();
  });
});

describe('resolveCliIdentity', () => {
  const config = (env: Record<string, string>): Config => parseConfig({ HOME: '/root', PATH: '/usr/bin', ...env }, '/srv/cf');

  it("gives a switched run the user's HOME and names, its config dir, and a RUNS_DIR outside DATA_DIR", () => {
    const identity = resolveCliIdentity(config({ ANTHROPIC_API_KEY: 'k' }), { serviceUid: 0, lookup });
    expect(identity.user).toMatchObject({ uid: 10001 });
    expect(identity.env).toMatchObject({ HOME: '/home/clawdforge-run', USER: 'clawdforge-run', LOGNAME: 'clawdforge-run', ANTHROPIC_API_KEY: 'k', PATH: '/usr/bin' });
    expect(identity.claudeConfigDir).toBe('/home/clawdforge-run/.claude');
    expect(identity.runsDir.startsWith('/srv/cf/data')).toBe(false);
    expect(identity.runsDir).toMatch(/^\/var\/lib\/clawdforge\/runs-[0-9a-f]{12}$/);
  });

  it("keeps the service's HOME, config dir and $DATA_DIR/runs when runs execute as the service", () => {
    const identity = resolveCliIdentity(config({}), { serviceUid: 1000, lookup });
    expect(identity.user).toBeNull();
    expect(identity.env.HOME).toBe('/root');
    expect(identity.claudeConfigDir).toBe('/root/.claude');
    expect(identity.runsDir).toBe('/srv/cf/data/runs');
  });

  it('refuses Bash that would run as root for want of the run user, unless root is chosen', () => {
    expect(() => resolveCliIdentity(config({ ALLOW_RISKY_TOOLS: 'Bash' }), { serviceUid: 0, lookup: () => null })).toThrow(/Bash would run as root/);
    expect(resolveCliIdentity(config({ ALLOW_RISKY_TOOLS: 'Bash', RUN_AS_USER: 'root' }), { serviceUid: 0, lookup }).user).toBeNull();
    expect(resolveCliIdentity(config({ ALLOW_RISKY_TOOLS: 'WebFetch' }), { serviceUid: 0, lookup: () => null }).user).toBeNull();
  });

  it('refuses a RUNS_DIR inside DATA_DIR when runs switch user', () => {
    expect(() => resolveCliIdentity(config({ RUNS_DIR: './data/runs' }), { serviceUid: 0, lookup })).toThrow(/RUNS_DIR.*inside DATA_DIR/);
    expect(resolveCliIdentity(config({ RUNS_DIR: '/var/tmp/runs' }), { serviceUid: 0, lookup }).runsDir).toBe('/var/tmp/runs');
  });
});
