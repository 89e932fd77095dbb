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
      dataDir: '/srv/cf/data',
      runsDir: '/srv/cf/data/runs',
      claudeBin: 'claude',
      defaultModel: 'sonnet',
      maxConcurrentRuns: 4,
      maxQueuedRuns: 64,
      maxUploadBytes: 26_214_400,
      claudeMaxRetries: 2,
      auditPrompts: true,
      auditRetentionDays: 90,
      shutdownGraceSecs: 30,
      logLevel: 'info',
      claudeConfigDir: '/home/cf/.claude',
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

  it('keeps service secrets and the nesting marker out of the child environment', () => {
    const { childEnv } = parse({
      ADMIN_BOOTSTRAP_TOKEN: 'a'.repeat(32),
      METRICS_TOKEN: 'm'.repeat(32),
      CLAUDECODE: '1',
      ANTHROPIC_API_KEY: 'sk-ant-x',
      CLAUDE_MAX_RETRIES: '5',
    });
    expect(childEnv.ADMIN_BOOTSTRAP_TOKEN).toBeUndefined();
    expect(childEnv.METRICS_TOKEN).toBeUndefined();
    expect(childEnv.CLAUDECODE).toBeUndefined();
    expect(childEnv).toMatchObject({
      ANTHROPIC_API_KEY: 'sk-ant-x',
      DISABLE_AUTOUPDATER: '1',
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
      CLAUDE_CODE_MAX_RETRIES: '5',
    });
  });

  it('uses CLAUDE_CONFIG_DIR for the CLI state when set', () => {
    expect(parse({ CLAUDE_CONFIG_DIR: '/cfg' }).claudeConfigDir).toBe('/cfg');
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
