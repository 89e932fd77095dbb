import type { Logger } from 'pino';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { Db } from './db/database.js';
import type { FileService } from './files/file-service.js';
import type { FileStore } from './files/file-store.js';
import type { StorageGate } from './files/storage-gate.js';
import type { BodyBudget } from './http/body-budget.js';
import type { ClaudeProbe } from './health/claude-probe.js';
import type { HealthSnapshot } from './health/health-snapshot.js';
import type { Metrics } from './metrics/metrics.js';
import type { SessionService } from './sessions/session-service.js';
import type { RunService } from './runs/run-service.js';
import type { RunQueue } from './admission/run-queue.js';
import type { SdkFiles } from './sdk/sdk-files.js';
import type { AsyncRuns } from './async-runs/async-run-service.js';
import type { WebhookDeliverer } from './webhooks/webhook-deliverer.js';
import type { WebhookDeliveriesRepository } from './webhooks/webhook-deliveries.repository.js';
import type { TokenLookup } from './tokens/token-lookup.js';
import type { AccountPool } from './accounts/account-pool.js';
import type { AccountsRepository } from './accounts/accounts.repository.js';
import type { AdminSessions } from './admin-ui/admin-sessions.js';
import type { AdminUiFiles } from './admin-ui/admin-ui-files.js';

/** Everything a procedure may use, passed in through the context (no module singletons). */
export interface Services {
  readonly config: Config;
  readonly db: Db;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly claudeProbe: ClaudeProbe;
  /** What /healthz answers, refreshed at most once a second. */
  readonly health: HealthSnapshot;
  /** The app-token check on every app request. */
  readonly tokenLookup: TokenLookup;
  readonly runs: RunService;
  /** Runs that outlive their request (POST /runs), and their stored events. */
  readonly asyncRuns: AsyncRuns;
  /** Conversations the CLI continues turn by turn, each with a lasting directory. */
  readonly sessions: SessionService;
  /** Webhook deliveries of async runs that ended. */
  readonly webhooks: { readonly deliverer: WebhookDeliverer; readonly repository: WebhookDeliveriesRepository };
  /** The Claude accounts runs are spread over (none: the CLI's default login). */
  readonly accounts: { readonly pool: AccountPool; readonly repository: AccountsRepository };
  readonly runQueue: RunQueue;
  readonly metrics: Metrics;
  /** What request bodies being read hold in memory, all callers together. */
  readonly bodyBudget: BodyBudget;
  readonly files: { readonly service: FileService; readonly store: FileStore; readonly storage: StorageGate };
  /** The dashboard's files, served at /admin/ui, and its sign-in sessions. */
  readonly adminUi: AdminUiFiles;
  readonly adminSessions: AdminSessions;
  /** The clients served at /sdk. */
  readonly sdk: SdkFiles;
  /** Set once shutdown begins: new requests are refused with 503 shutting_down. */
  readonly lifecycle: { shuttingDown: boolean };
  readonly startedAt: Date;
}
