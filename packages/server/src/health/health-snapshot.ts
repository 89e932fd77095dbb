// What GET /healthz answers, computed at most once a second and kept
// serialized: a container's health check, a load balancer or a monitoring
// loop may poll it as fast as they like and cost the service a cached string.
// The CLI's state comes from the probe, which asks the CLI itself at most
// once per its TTL; the database is asked with one prepared `select 1`.
import type { Health } from '@clawdforge/shared';
import type SQLite from 'better-sqlite3';
import type { Clock } from '../clock.js';
import type { ClaudeProbe } from './claude-probe.js';

const FRESH_FOR_MS = 1000;

export interface HealthReading {
  health: Health;
  /** `health` as JSON, ready to send. */
  json: string;
}

/** True when the database answers a trivial query. */
export function databaseAnswers(sqlite: SQLite.Database): boolean {
  try {
    sqlite.prepare('select 1').get();
    return true;
  } catch {
    return false;
  }
}

export class HealthSnapshot {
  private cached: { at: number; reading: HealthReading } | undefined;

  constructor(private readonly deps: { sqlite: SQLite.Database; probe: ClaudeProbe; clock: Clock; startedAt: Date }) {}

  async current(): Promise<HealthReading> {
    const now = this.deps.clock.now().getTime();
    if (this.cached && now - this.cached.at >= 0 && now - this.cached.at < FRESH_FOR_MS) return this.cached.reading;
    const claude = await this.deps.probe.status();
    const dbOk = databaseAnswers(this.deps.sqlite);
    const health: Health = {
      ok: dbOk && claude.present,
      claude_present: claude.present,
      claude_version: claude.version,
      claude_logged_in: claude.loggedIn,
      claude_auth_method: claude.authMethod,
      db: dbOk ? 'ok' : 'error',
      uptime_s: Math.round((now - this.deps.startedAt.getTime()) / 1000),
    };
    const reading = { health, json: JSON.stringify(health) };
    this.cached = { at: now, reading };
    return reading;
  }
}
