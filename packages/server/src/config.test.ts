import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig, readEnvironment } from './config.js';

const parse = (env: Record<string, string>) => parseConfig({ HOME: '/home/cf', ...env }, '/srv/cf');
const messageOf = (env: Record<string, string>) => {
  try {
    parse(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
};

describe('parseConfig', () => {
  it('applies the documented defaults', () => {
    const config = parse({});
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 8800,
      adminToken: null,
      allowCidrs: [],
      webhookAllowCidrs: [],
      webhookRetryScheduleSecs: [0, 5, 300, 1800, 7200, 18000, 36000, 36000],
      dataDir: '/srv/cf/data',
      runsDir: null,
      claudeBin: 'claude',
      defaultModel: 'sonnet',
      maxConcurrentRuns: 4,
      maxQueuedRuns: 64,
      maxUploadBytes: 26_214_400,
      claudeMaxRetries: 2,
      auditPrompts: true,
      auditRetentionDays: 90,
      shutdownGraceSecs: 30,
      runIdleTimeoutSecs: 600,
      asyncRunRetentionHours: 24,
      logLevel: 'info',
      allowedRiskyTools: [],
      runAsUser: { spec: 'clawdforge-run', explicit: false },
      claudeSettingsFile: null,
      claudeConfigDirOverride: null,
      home: '/home/cf',
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('names the variable and the bad value', () => {
    expect(messageOf({ ALLOW_CIDRS: '10.0.0.0/8, 10.0.0/33' })).toContain('ALLOW_CIDRS: "10.0.0/33" is not a CIDR');
    expect(messageOf({ PORT: 'eighty' })).toContain('PORT: "eighty" is not an integer from 0 to 65535');
    expect(messageOf({ MAX_CONCURRENT_RUNS: '0' })).toContain('MAX_CONCURRENT_RUNS: "0" is not an integer from 1 to 256');
    expect(messageOf({ AUDIT_PROMPTS: 'maybe' })).toContain('AUDIT_PROMPTS: "maybe" is not on or off');
    expect(messageOf({ LOG_LEVEL: 'loud' })).toContain('LOG_LEVEL: "loud" is not one of');
    expect(messageOf({ DEFAULT_MODEL: 'son net' })).toContain('DEFAULT_MODEL: "son net" is not a model alias or id');
  });

  it('reports every bad variable at once', () => {
    const message = messageOf({ PORT: '-1', CLAUDE_MAX_RETRIES: '99' });
    expect(message).toContain('PORT:');
    expect(message).toContain('CLAUDE_MAX_RETRIES:');
  });

  it('refuses a short admin token without echoing it', () => {
    const message = messageOf({ ADMIN_BOOTSTRAP_TOKEN: 'hunter2' });
    expect(message).toContain('ADMIN_BOOTSTRAP_TOKEN: is too short');
    expect(message).not.toContain('hunter2');
  });

  it('parses IPv4 and IPv6 allowlists', () => {
    expect(parse({ ALLOW_CIDRS: '192.168.0.0/24,fd00::/8 , 10.0.0.1' }).allowCidrs.map((cidr) => cidr.text)).toEqual([
      '192.168.0.0/24',
      'fd00::/8',
      '10.0.0.1',
    ]);
  });

  it("gives the CLI an allowlist of the service's environment, never the service's own settings", () => {
    const { claudeEnv } = parse({
      PATH: '/usr/bin',
      LANG: 'C.UTF-8',
      LC_TIME: 'de_DE.UTF-8',
      HTTPS_PROXY: 'http://proxy:3128',
      ADMIN_BOOTSTRAP_TOKEN: 'a'.repeat(32),
      METRICS_TOKEN: 'm'.repeat(32),
      DATA_DIR: '/srv/data',
      CLAUDECODE: '1',
      NODE_OPTIONS: '--require /tmp/evil.js',
      DATABASE_PASSWORD: 'hunter2',
      ANTHROPIC_API_KEY: 'sk-ant-x',
      CLAUDE_CODE_OAUTH_TOKEN: 'oat',
      CLAUDE_CONFIG_DIR: '/cfg',
      CLAUDE_MAX_RETRIES: '5',
      AWS_REGION: 'eu-west-1',
      CLAUDE_ENV_PASSTHROUGH: 'AWS_REGION',
    });
    expect(claudeEnv).toEqual({
      HOME: '/home/cf',
      PATH: '/usr/bin',
      LANG: 'C.UTF-8',
      LC_TIME: 'de_DE.UTF-8',
      HTTPS_PROXY: 'http://proxy:3128',
      ANTHROPIC_API_KEY: 'sk-ant-x',
      CLAUDE_CODE_OAUTH_TOKEN: 'oat',
      CLAUDE_CONFIG_DIR: '/cfg',
      AWS_REGION: 'eu-west-1',
      DISABLE_AUTOUPDATER: '1',
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
      CLAUDE_CODE_MAX_RETRIES: '5',
    });
  });

  it("refuses to pass one of the service's own variables through", () => {
    expect(messageOf({ CLAUDE_ENV_PASSTHROUGH: 'AWS_REGION,ADMIN_BOOTSTRAP_TOKEN' })).toContain(
      `CLAUDE_ENV_PASSTHROUGH: "ADMIN_BOOTSTRAP_TOKEN" is the service's own setting`,
    );
    expect(messageOf({ CLAUDE_ENV_PASSTHROUGH: 'not a name' })).toContain('"not a name" is not a variable name');
  });

  it('reads ALLOW_RISKY_TOOLS as a list of Bash, WebFetch and WebSearch only', () => {
    expect(parse({ ALLOW_RISKY_TOOLS: 'bash, WebFetch,bash' }).allowedRiskyTools).toEqual(['Bash', 'WebFetch']);
    expect(messageOf({ ALLOW_RISKY_TOOLS: 'Read' })).toContain('ALLOW_RISKY_TOOLS: "Read" is not one of Bash, WebFetch, WebSearch');
  });

  it('reads RUN_AS_USER as a name or uid[:gid]', () => {
    expect(parse({ RUN_AS_USER: 'claude' }).runAsUser).toEqual({ spec: 'claude', explicit: true });
    expect(parse({ RUN_AS_USER: '10001:10001' }).runAsUser).toEqual({ spec: '10001:10001', explicit: true });
    expect(messageOf({ RUN_AS_USER: 'a b' })).toContain('RUN_AS_USER: "a b" is not a user name or uid[:gid]');
  });

  it('checks CLAUDE_SETTINGS_FILE holds a JSON object', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cf-settings-'));
    writeFileSync(join(dir, 'good.json'), '{"apiKeyHelper":"/usr/local/bin/key"}');
    writeFileSync(join(dir, 'bad.json'), '{not json');
    expect(parseConfig({ CLAUDE_SETTINGS_FILE: 'good.json' }, dir).claudeSettingsFile).toBe(join(dir, 'good.json'));
    expect(() => parseConfig({ CLAUDE_SETTINGS_FILE: 'bad.json' }, dir)).toThrow(/CLAUDE_SETTINGS_FILE: ".*bad.json" is not JSON/);
    expect(() => parseConfig({ CLAUDE_SETTINGS_FILE: 'missing.json' }, dir)).toThrow(/CLAUDE_SETTINGS_FILE: ".*missing.json" cannot be read/);
  });

  it('keeps CLAUDE_CONFIG_DIR, absolute', () => {
    expect(parse({ CLAUDE_CONFIG_DIR: 'cfg' }).claudeConfigDirOverride).toBe('/srv/cf/cfg');
  });
});

describe('readEnvironment', () => {
  it('reads ./.env, and the process environment wins over it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cf-env-'));
    writeFileSync(join(dir, '.env'), 'PORT=9001\nDEFAULT_MODEL=opus\n# a comment\nLOG_LEVEL="debug"\n');
    const env = readEnvironment({ PORT: '9002' }, dir);
    expect(env).toMatchObject({ PORT: '9002', DEFAULT_MODEL: 'opus', LOG_LEVEL: 'debug' });
  });
});
