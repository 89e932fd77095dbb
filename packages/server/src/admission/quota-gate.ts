// Per-app quotas over fixed UTC windows (the clock hour, the day), counted from
// the hourly usage rollup plus the app's runs still in flight, which have no
// audit row yet. A refusal says when the window resets; nothing is spawned.
import type { TokenPolicy } from '@clawdforge/shared';
import { sql } from 'kysely';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import { ApiError } from '../errors.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const hourKey = (ms: number) => new Date(ms).toISOString().slice(0, 13);

interface UsedSoFar {
  hourRuns: number;
  dayRuns: number;
  dayCost: number;
}

export class QuotaGate {
  /** Runs admitted and not yet recorded, per app. */
  private readonly inFlight = new Map<string, number>();

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /**
   * Admits one run or throws quota_exceeded. The returned release must be
   * called once the run's audit row is written. The reservation is taken before
   * the database is read, so concurrent requests cannot all slip under a limit.
   */
  async admit(app: string, policy: TokenPolicy): Promise<() => void> {
    if (policy.runs_per_hour === null && policy.runs_per_day === null && policy.cost_usd_per_day === null) return () => {};
    this.inFlight.set(app, (this.inFlight.get(app) ?? 0) + 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const left = (this.inFlight.get(app) ?? 1) - 1;
      if (left === 0) this.inFlight.delete(app);
      else this.inFlight.set(app, left);
    };
    try {
      await this.check(app, policy, this.inFlight.get(app) ?? 1);
      return release;
    } catch (error) {
      release();
      throw error;
    }
  }

  private async check(app: string, policy: TokenPolicy, inFlight: number): Promise<void> {
    const nowMs = this.clock.now().getTime();
    const hourStart = Math.floor(nowMs / HOUR_MS) * HOUR_MS;
    const dayStart = Math.floor(nowMs / DAY_MS) * DAY_MS;
    const used = await this.todaySoFar(app, dayStart, hourStart);
    const exceeded: Array<{ what: string; resetMs: number }> = [];

    if (policy.runs_per_hour !== null && used.hourRuns + inFlight > policy.runs_per_hour) {
      exceeded.push({ what: `runs_per_hour = ${policy.runs_per_hour} (used: ${used.hourRuns + inFlight - 1})`, resetMs: hourStart + HOUR_MS });
    }
    if (policy.runs_per_day !== null && used.dayRuns + inFlight > policy.runs_per_day) {
      exceeded.push({ what: `runs_per_day = ${policy.runs_per_day} (used: ${used.dayRuns + inFlight - 1})`, resetMs: dayStart + DAY_MS });
    }
    if (policy.cost_usd_per_day !== null && used.dayCost >= policy.cost_usd_per_day) {
      exceeded.push({ what: `cost_usd_per_day = ${policy.cost_usd_per_day} (spent: ${used.dayCost.toFixed(4)})`, resetMs: dayStart + DAY_MS });
    }
    if (exceeded.length === 0) return;
    const resetMs = Math.max(...exceeded.map((entry) => entry.resetMs));
    throw new ApiError(
      'quota_exceeded',
      `App "${app}" is over its quota: ${exceeded.map((entry) => entry.what).join('; ')}. It resets at ${new Date(resetMs).toISOString()}.`,
      { retryAfterSecs: Math.max(1, Math.ceil((resetMs - nowMs) / 1000)) },
    );
  }

  /**
   * Runs that reached the CLI or failed there (not refusals) in the current hour
   * and the current UTC day, and the day's cost: one read, the hour lies inside the day.
   */
  private async todaySoFar(app: string, dayStartMs: number, hourStartMs: number): Promise<UsedSoFar> {
    const { rows } = await sql<UsedSoFar>`
      select coalesce(sum(case when hour = ${hourKey(hourStartMs)} then runs end), 0) as hourRuns,
        coalesce(sum(runs), 0) as dayRuns, coalesce(sum(cost_usd), 0) as dayCost
      from usage_hourly
      where hour >= ${hourKey(dayStartMs)} and hour < ${hourKey(dayStartMs + DAY_MS)} and app = ${app} and status != 'rejected'`.execute(this.db);
    return rows[0] ?? { hourRuns: 0, dayRuns: 0, dayCost: 0 };
  }
}
