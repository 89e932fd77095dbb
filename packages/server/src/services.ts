import type { Logger } from 'pino';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { Db } from './db/database.js';
import type { ClaudeProbe } from './health/claude-probe.js';

/** Everything a procedure may use, passed in through the context (no module singletons). */
export interface Services {
  readonly config: Config;
  readonly db: Db;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly claudeProbe: ClaudeProbe;
  readonly startedAt: Date;
}
