// Wires config, database and services into a listening server. main.ts and the
// tests both start the service through here, so tests run the real wiring.
import { once } from 'node:events';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Logger } from 'pino';
import { systemClock, type Clock } from './clock.js';
import type { Config } from './config.js';
import { resolveCliIdentity } from './confinement/cli-identity.js';
import { checkClaudeConfigDir, prepareRunsDir } from './confinement/prepare-cli-dirs.js';
import { enforcePrivateModes, readableByOthers } from './confinement/private-modes.js';
import { describeRunUser, tokensWithDisabledTools } from './confinement/startup-report.js';
import { DATABASE_FILE, migrateToLatest, openDatabase, sqliteOf, type Db } from './db/database.js';
import { FileService } from './files/file-service.js';
import { FileStore } from './files/file-store.js';
import { freeBytesOf, StorageGate } from './files/storage-gate.js';
import { BodyBudget } from './http/body-budget.js';
import { MAX_JSON_BODY_BYTES } from './http/json-body.js';
import { ClaudeProbe } from './health/claude-probe.js';
import { HealthSnapshot } from './health/health-snapshot.js';
import { TokenLookup } from './tokens/token-lookup.js';
import { ProcessLauncher } from './process/process-launcher.js';
import { removerAsRunUser } from './process/run-user-removal.js';
import { killProcessesUnder, killStrays } from './process/stray-processes.js';
import { createHttpServer, type HttpTimeouts } from './http.js';
import { createLogger } from './logger.js';
import { Metrics } from './metrics/metrics.js';
import { startPeriodic } from './periodic.js';
import { buildOpenApiDocument } from './openapi.js';
import { appRouter } from './router.js';
import { pruneAuditLog } from './admin/audit-retention.js';
import { SpawnRunner, type Runner } from './claude/claude-runner.js';
import { removeStaleRunDirs } from './claude/run-dir.js';
import { SessionSeal } from './sessions/session-seal.js';
import { SessionService } from './sessions/session-service.js';
import { SessionsRepository } from './sessions/sessions.repository.js';
import { QuotaGate } from './admission/quota-gate.js';
import { RunQueue } from './admission/run-queue.js';
import { RunService } from './runs/run-service.js';
import { AsyncRuns } from './async-runs/async-run-service.js';
import { AsyncRunsRepository } from './async-runs/async-runs.repository.js';
import { WebhookDeliverer } from './webhooks/webhook-deliverer.js';
import { WebhookDeliveriesRepository } from './webhooks/webhook-deliveries.repository.js';
import { DEFAULT_SDK_DIR, SdkFiles } from './sdk/sdk-files.js';
import type { Services } from './services.js';
import { AccountPool } from './accounts/account-pool.js';
import { AdminSessions } from './admin-ui/admin-sessions.js';
import { AdminUiFiles, DEFAULT_ADMIN_UI_DIR } from './admin-ui/admin-ui-files.js';
import { AccountsRepository } from './accounts/accounts.repository.js';

export interface AppOptions {
  clock?: Clock;
  logger?: Logger;
  /** How long a `/healthz` CLI probe is reused. */
  probeTtlMs?: number;
  /** Replaces the CLI runner (tests of the service around it). */
  runner?: Runner;
  /** How often expired files are removed. */
  fileSweepIntervalMs?: number;
  /** How often sessions idle past their TTL are expired. */
  sessionSweepIntervalMs?: number;
  /** The uid the service counts as running under (tests of the run-user decision). Default: process.getuid(). */
  serviceUid?: number;
  /** How long clients may take (tests of slow clients shorten them). */
  httpTimeouts?: HttpTimeouts;
  /** Where the built clients served at /sdk are (tests point it at their own). Default: packages/server/sdk. */
  sdkDir?: string;
  /** Where the built dashboard is. Default: packages/server/admin-ui. */
  adminUiDir?: string;
}

export interface RunningApp {
  readonly services: Services;
  readonly server: Server;
  /** The base URL the server listens on, e.g. http://127.0.0.1:8800. */
  readonly url: string;
  readonly port: number;
  /**
   * Stops gracefully: no new connections, new requests and queued runs refused
   * with 503 shutting_down, running runs given `graceMs` to finish and then
   * killed, then the helper and the database are closed.
   */
  shutdown(graceMs: number): Promise<void>;
  /** shutdown(0). */
  close(): Promise<void>;
}

export async function startApp(config: Config, options: AppOptions = {}): Promise<RunningApp> {
  const logger = options.logger ?? createLogger(config);
  const clock = options.clock ?? systemClock;
  const serviceUid = options.serviceUid ?? process.getuid?.() ?? -1;
  const identity = resolveCliIdentity(config, { serviceUid });
  const runUser = describeRunUser(identity, config);
  logger[runUser.level](runUser.fields, runUser.message);

  const db: Db = openDatabase(config.dataDir);
  const applied = await migrateToLatest(db);
  if (applied.length > 0) logger.info({ migrations: applied }, 'database migrated');

  const filesDir = join(config.dataDir, 'files');
  const modes = enforcePrivateModes(config.dataDir, DATABASE_FILE, filesDir);
  for (const change of modes.changes) logger.warn(change, 'was readable by others: made private to the service');
  if (modes.uploads > 0) logger.warn({ count: modes.uploads }, 'uploads were readable by others: made private to the service');
  const envFileMode = config.envFile && readableByOthers(config.envFile);
  if (envFileMode) logger.warn({ path: config.envFile, mode: envFileMode }, '.env holds secrets and is readable by others: chmod 600 it');

  const runsDir = prepareRunsDir(identity.runsDir, serviceUid, identity.user);
  // Runs of an earlier life that died with its spawn helper are still at work in their directories.
  const orphans = killProcessesUnder(runsDir);
  if (orphans > 0) logger.warn({ count: orphans }, 'killed processes left running in run directories by an earlier crash');
  if (identity.user) {
    // Nothing runs yet: any process of the run user is left from before (a crash, a run's escaped child).
    const strays = killStrays(identity.user.uid, new Set());
    if (strays > 0) logger.warn({ count: strays, run_user: identity.user.name }, "killed processes of the run user left from before");
  }
  const accountsRepository = new AccountsRepository(sqliteOf(db));
  accountsRepository.syncDeclared(config.declaredAccounts, clock.now().toISOString(), { removeUndeclared: true });
  const accounts = new AccountPool({ repository: accountsRepository, clock, logger, defaultConfigDir: identity.claudeConfigDir, secretEnv: config.accountSecretEnv });
  for (const account of accounts.views()) logger.info({ account: account.name, type: account.type, priority: account.priority, state: account.state, reason: account.reason }, 'Claude account');
  const sessionsRepository = new SessionsRepository(sqliteOf(db));
  // Sessions' histories between turns: the service's alone (session-seal.ts).
  const sessionStore = join(config.dataDir, 'sessions');
  mkdirSync(sessionStore, { recursive: true, mode: 0o700 });
  const stale = removeStaleRunDirs(runsDir, accounts.configDirs(), new Set(sessionsRepository.liveSessions().map((row) => row.dir_name)));
  if (stale > 0) logger.warn({ removed: stale }, 'removed run directories left by an earlier crash');
  for (const configDir of accounts.configDirs()) {
    for (const warning of checkClaudeConfigDir(configDir, identity.user, config.claudeSettingsFile)) logger.warn(warning);
  }
  const disabledGrants = await tokensWithDisabledTools(db, config.allowedRiskyTools);
  if (disabledGrants.length > 0) {
    logger.warn({ tokens: disabledGrants }, 'these tokens grant tools ALLOW_RISKY_TOOLS does not enable: runs asking for them are refused');
  }

  const fileStore = new FileStore(filesDir);
  const fileService = new FileService({ db, clock, store: fileStore, logger });
  await fileService.cleanUpAtStart();

  const runQueue = new RunQueue(config.maxConcurrentRuns, config.maxQueuedRuns);
  const launcher = new ProcessLauncher(identity);
  const runner = options.runner ?? new SpawnRunner({ bin: config.claudeBin, launcher, settingsFile: config.claudeSettingsFile, idleTimeoutMs: config.runIdleTimeoutSecs * 1000 });
  const claudeProbe = new ClaudeProbe({ bin: config.claudeBin, launcher }, clock, options.probeTtlMs);
  const metrics = new Metrics(runQueue, claudeProbe);
  const startedAt = clock.now();
  const runs = new RunService({ config, runsDir, runOwner: identity.user, claudeConfigDir: identity.claudeConfigDir, accounts, removeAsRunUser: identity.user ? removerAsRunUser(launcher) : null, db, clock, logger, runner, queue: runQueue, quotas: new QuotaGate(db, clock), files: fileService, metrics });
  const webhookRepository = new WebhookDeliveriesRepository(sqliteOf(db));
  const webhookDeliverer = new WebhookDeliverer({ config, db, clock, logger, metrics, repository: webhookRepository });
  const asyncRuns = new AsyncRuns({
    config, db, clock, logger, runs,
    repository: new AsyncRunsRepository(sqliteOf(db)),
    onFinished: (owner, run) => webhookDeliverer.announce(owner, run),
  });
  const sessions = new SessionService({
    config, runsDir, runOwner: identity.user, claudeConfigDir: identity.claudeConfigDir,
    removeAsRunUser: identity.user ? removerAsRunUser(launcher) : null,
    seal: new SessionSeal({
      storeDir: sessionStore, runOwner: identity.user,
      serviceIds: { uid: serviceUid, gid: process.getgid?.() ?? -1 }, launcher,
    }),
    repository: sessionsRepository, runs, asyncRuns, clock, logger,
  });
  await sessions.sealAtStart();
  metrics.watchSessions(() => sessionsRepository.liveCount());
  metrics.watchAccounts(accounts);
  const interrupted = asyncRuns.interruptLeftovers();
  if (interrupted > 0) logger.warn({ count: interrupted }, 'async runs left unfinished by the previous process marked interrupted');
  const services: Services = {
    config,
    db,
    clock,
    logger,
    claudeProbe,
    sdk: new SdkFiles(options.sdkDir ?? DEFAULT_SDK_DIR, logger),
    adminUi: new AdminUiFiles(options.adminUiDir ?? DEFAULT_ADMIN_UI_DIR, logger),
    adminSessions: new AdminSessions(sqliteOf(db), clock),
    health: new HealthSnapshot({ sqlite: sqliteOf(db), probe: claudeProbe, clock, startedAt }),
    tokenLookup: new TokenLookup(sqliteOf(db)),
    runs,
    asyncRuns,
    sessions,
    webhooks: { deliverer: webhookDeliverer, repository: webhookRepository },
    accounts: { pool: accounts, repository: accountsRepository },
    runQueue,
    metrics,
    bodyBudget: new BodyBudget(config.maxBufferedBodyBytes, MAX_JSON_BODY_BYTES),
    files: { service: fileService, store: fileStore, storage: new StorageGate(db, { maxStorageBytes: config.maxStorageBytes, freeBytes: freeBytesOf(fileStore.dir) }) },
    lifecycle: { shuttingDown: false },
    startedAt,
  };
  const logCount = (message: string) => (count: number) => count > 0 && logger.info({ count }, message);
  const stopRetention = startPeriodic('audit retention', () => pruneAuditLog(db, clock, config.auditRetentionDays).then(logCount('pruned audit rows')), {
    intervalMs: 60 * 60 * 1000,
    logger,
    runNow: true,
  });
  const pruneAsync = async () => {
    logCount('pruned finished async runs')(await asyncRuns.prune(config.asyncRunRetentionHours));
    logCount('pruned finished webhook deliveries')(await webhookDeliverer.prune(config.asyncRunRetentionHours));
  };
  const stopAsyncRunRetention = startPeriodic('async run retention', pruneAsync, {
    intervalMs: 60 * 60 * 1000,
    logger,
    runNow: true,
  });
  const stopFileSweeper = startPeriodic('file sweep', () => fileService.sweepExpired().then(logCount('removed expired files')), {
    intervalMs: options.fileSweepIntervalMs ?? 60_000,
    logger,
  });
  const stopSessionSweeper = startPeriodic('session expiry', () => sessions.sweepExpired().then(logCount('expired idle sessions')), {
    intervalMs: options.sessionSweepIntervalMs ?? 60_000,
    logger,
    runNow: true,
  });
  const server = createHttpServer({
    services,
    router: appRouter,
    openApiDocument: buildOpenApiDocument(appRouter),
    ...(options.httpTimeouts ? { timeouts: options.httpTimeouts } : {}),
  });
  server.listen(config.port, config.host);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const hostForUrl = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${hostForUrl === '0.0.0.0' || hostForUrl === '[::]' ? '127.0.0.1' : hostForUrl}:${port}`;
  logger.info({ url, data_dir: config.dataDir }, 'listening');
  webhookDeliverer.start(); // deliveries an earlier process left pending go out too

  let stopping: Promise<void> | undefined;
  const shutdown = (graceMs: number) =>
    (stopping ??= (async () => {
      services.lifecycle.shuttingDown = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await services.runs.drain(graceMs);
      await sessions.drain(10_000); // a turn just ended stores its history before the helper and the database close
      // Answers to the runs just ended are on their way; then nobody is left to wait for.
      await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 1_000).unref())]);
      server.closeAllConnections();
      await closed;
      await Promise.all([stopRetention(), stopAsyncRunRetention(), stopFileSweeper(), stopSessionSweeper(), webhookDeliverer.stop()]);
      await launcher.close();
      await db.destroy();
      logger.info('stopped');
    })());

  return { services, server, url, port, shutdown, close: () => shutdown(0) };
}
