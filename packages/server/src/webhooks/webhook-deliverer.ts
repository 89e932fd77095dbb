// Webhook deliveries (Standard Webhooks 1.0): when an async run of an app with
// a webhook_url ends, a delivery is stored, then POSTed by this loop with the
// webhook-id (the same on every attempt), webhook-timestamp and
// webhook-signature headers. Anything but a 2xx is retried on WEBHOOK_RETRY_
// SCHEDULE_SECS (Retry-After honoured when longer); a 410 disables the app's
// webhook. Deliveries are rows, so a restart picks up where the last left off.
import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AsyncRunStatus, WebhookEventType, WebhookPayload } from '@clawdforge/shared';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import type { Metrics } from '../metrics/metrics.js';
import { parsePolicy } from '../tokens/tokens.repository.js';
import { disableWebhook } from '../tokens/token-service.js';
import { signWebhook } from './signature.js';
import { resolveWebhookTarget, type WebhookTarget } from './webhook-target.js';
import type { DeliveryRow, WebhookDeliveriesRepository } from './webhook-deliveries.repository.js';

/** Deliveries under way at once, and for one app: a slow receiver holds up its own app's only. */
const MAX_IN_FLIGHT = 8;
const MAX_IN_FLIGHT_PER_APP = 2;
/** How long one attempt may take in all: the lookup, the connection, and the answer's status line and headers. */
const ATTEMPT_DEADLINE_MS = 15_000;
/** The loop looks for due deliveries at least this often (a delivery added by another process, say). */
const MAX_IDLE_MS = 30_000;
const MAX_RETRY_AFTER_SECS = 24 * 3600;

type AttemptResult = { status: number; retryAfterSecs: number | undefined } | { error: string };

export interface WebhookDelivererDeps {
  config: Config;
  db: Db;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  repository: WebhookDeliveriesRepository;
}

export class WebhookDeliverer {
  private timer: NodeJS.Timeout | undefined;
  /** Attempts under way: delivery id → its app and its promise. */
  private readonly inFlight = new Map<string, { app: string; done: Promise<void> }>();
  private stopped = false;

  constructor(private readonly deps: WebhookDelivererDeps) {}

  /** Starts the loop: deliveries left pending by an earlier process go out too. */
  start(): void {
    this.schedule(0);
  }

  /** Stops the loop and waits for the attempts under way (each ends by its deadline). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await Promise.allSettled([...this.inFlight.values()].map((attempt) => attempt.done));
  }

  /** An async run ended: when its token has a webhook_url, a delivery is stored and sent. */
  announce(owner: { app: string; tokenCreatedAt: string }, run: { runId: string; status: AsyncRunStatus; result: WebhookPayload['data']['result']; error: WebhookPayload['data']['error']; at: string }): void {
    const { repository, clock, config } = this.deps;
    const token = repository.token(owner.app, owner.tokenCreatedAt);
    const url = token && parsePolicy(token.policy).webhook_url;
    if (!url) return;
    const type: WebhookEventType = run.status === 'ok' ? 'run.completed' : 'run.failed';
    const payload: WebhookPayload = { type, timestamp: run.at, data: { run_id: run.runId, status: run.status, result: run.result, error: run.error } };
    const now = clock.now();
    repository.insert({
      id: `msg_${randomBytes(16).toString('base64url')}`,
      app: owner.app,
      token_created_at: owner.tokenCreatedAt,
      type,
      run_id: run.runId,
      url,
      payload: JSON.stringify(payload),
      next_attempt_at: new Date(now.getTime() + (config.webhookRetryScheduleSecs[0] ?? 0) * 1000).toISOString(),
      created_at: now.toISOString(),
    });
    this.schedule(0);
  }

  /** Sends a delivery again from the start of the schedule (the admin's redeliver); an attempt under way is disowned. */
  redeliver(id: string): DeliveryRow | undefined {
    const { repository, clock } = this.deps;
    const row = repository.get(id);
    if (!row) return undefined;
    repository.save({ ...row, status: 'pending', attempts: 0, next_attempt_at: clock.now().toISOString(), delivered_at: null });
    this.schedule(0);
    return repository.get(id);
  }

  /** Deletes deliveries no longer pending, created longer ago than the retention; returns how many. */
  async prune(retentionHours: number): Promise<number> {
    const cutoff = new Date(this.deps.clock.now().getTime() - retentionHours * 3_600_000).toISOString();
    let total = 0;
    for (;;) {
      const deleted = this.deps.repository.prune(cutoff, 500);
      total += deleted;
      if (deleted < 500) return total;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.tick(), Math.max(0, Math.min(delayMs, MAX_IDLE_MS)));
    this.timer.unref();
  }

  private tick(): void {
    try {
      this.startDue();
      // Rows under way are leased past their deadline, so the next due time is a real one: no spinning.
      const next = this.deps.repository.nextDueAt();
      this.schedule(next === null ? MAX_IDLE_MS : Date.parse(next) - this.deps.clock.now().getTime());
    } catch (err) {
      this.deps.logger.error({ err }, 'webhook delivery loop failed; trying again shortly');
      this.schedule(1_000);
    }
  }

  private startDue(): void {
    const { repository, clock } = this.deps;
    if (this.inFlight.size >= MAX_IN_FLIGHT) return;
    const now = clock.now();
    const perApp = new Map<string, number>();
    for (const { app } of this.inFlight.values()) perApp.set(app, (perApp.get(app) ?? 0) + 1);
    for (const row of repository.due(now.toISOString(), 4 * MAX_IN_FLIGHT)) {
      if (this.inFlight.size >= MAX_IN_FLIGHT) return;
      if ((perApp.get(row.app) ?? 0) >= MAX_IN_FLIGHT_PER_APP) continue;
      const lease = randomBytes(9).toString('base64url');
      const until = new Date(now.getTime() + 2 * ATTEMPT_DEADLINE_MS).toISOString();
      if (!repository.lease(row.id, lease, until, now.toISOString())) continue;
      perApp.set(row.app, (perApp.get(row.app) ?? 0) + 1);
      const done = this.attempt(row, lease)
        .catch((err) => this.deps.logger.error({ err, delivery: row.id }, 'webhook delivery failed unexpectedly'))
        .finally(() => {
          this.inFlight.delete(row.id);
          this.schedule(0);
        });
      this.inFlight.set(row.id, { app: row.app, done });
    }
  }

  private async attempt(row: DeliveryRow, lease: string): Promise<void> {
    const { repository, config, clock, metrics } = this.deps;
    const settle = (outcome: 'delivered' | 'retry' | 'failed' | 'disabled', values: Pick<DeliveryRow, 'status' | 'attempts' | 'next_attempt_at' | 'last_status' | 'last_error' | 'delivered_at' | 'url'>) => {
      // Written only if still ours: a redeliver or a 410 meanwhile has the last word.
      if (repository.settleAttempt({ id: row.id, ...values }, lease)) metrics.observeWebhookDelivery(outcome);
    };
    const token = repository.token(row.app, row.token_created_at);
    // The webhook as it stands now: a URL changed since the run ended is where it goes (and what a 410 may switch off).
    const url = token?.webhook_secret ? parsePolicy(token.policy).webhook_url : null;
    if (!token || !url) {
      const reason = token ? 'the app no longer has a webhook' : 'the app token was revoked';
      return settle('failed', { status: 'failed', attempts: row.attempts, next_attempt_at: null, last_status: null, last_error: reason, delivered_at: null, url: row.url });
    }
    let result: AttemptResult;
    try {
      // The address is checked again: DNS may point elsewhere now. The request goes to the address checked.
      const target = await withDeadline(resolveWebhookTarget(url, [...config.allowCidrs, ...config.webhookAllowCidrs]), ATTEMPT_DEADLINE_MS);
      result = await post(target, row, token.webhook_secret!, Math.floor(clock.now().getTime() / 1000));
    } catch (error) {
      result = { error: error instanceof Error ? error.message : String(error) };
    }
    const attempts = row.attempts + 1;
    if ('status' in result && result.status >= 200 && result.status < 300) {
      return settle('delivered', { status: 'delivered', attempts, next_attempt_at: null, last_status: result.status, last_error: null, delivered_at: clock.now().toISOString(), url });
    }
    if ('status' in result && result.status === 410) {
      // Gone: the receiver asks for no more. The app's webhook is switched off (an admin may set it again).
      const gone = 'the receiver answered 410 Gone: the webhook was disabled';
      settle('disabled', { status: 'disabled', attempts, next_attempt_at: null, last_status: 410, last_error: gone, delivered_at: null, url });
      await disableWebhook(this.deps.db, clock, row.app, row.token_created_at, url);
      repository.disableAllOf(row.app, row.token_created_at, gone);
      return;
    }
    const lastStatus = 'status' in result ? result.status : null;
    const lastError = 'error' in result ? result.error : `the receiver answered ${result.status}`;
    const schedule = config.webhookRetryScheduleSecs;
    if (attempts >= schedule.length) {
      return settle('failed', { status: 'failed', attempts, next_attempt_at: null, last_status: lastStatus, last_error: lastError, delivered_at: null, url });
    }
    const retryAfter = 'status' in result ? Math.min(result.retryAfterSecs ?? 0, MAX_RETRY_AFTER_SECS) : 0;
    const next = new Date(clock.now().getTime() + Math.max(schedule[attempts]!, retryAfter) * 1000).toISOString();
    settle('retry', { status: 'pending', attempts, next_attempt_at: next, last_status: lastStatus, last_error: lastError, delivered_at: null, url });
  }
}

function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/** Seconds from a Retry-After header: a number of seconds or an HTTP date. */
function retryAfterSecs(header: string | undefined, nowMs: number): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds : undefined;
  const at = Date.parse(header);
  return Number.isFinite(at) ? Math.max(0, Math.ceil((at - nowMs) / 1000)) : undefined;
}

/** One POST to the checked address (no redirects followed: a 3xx is an answer like any other). */
function post(target: WebhookTarget, row: DeliveryRow, secret: string, timestampSecs: number): Promise<AttemptResult> {
  const { url, address } = target;
  const https = url.protocol === 'https:';
  const send = https ? httpsRequest : httpRequest;
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return new Promise((resolve) => {
    const req = send(
      {
        host: address,
        port: url.port || (https ? 443 : 80),
        path: `${url.pathname}${url.search}`,
        method: 'POST',
        agent: false,
        // SNI and the certificate's name: the host's name; an address is checked against the certificate as it is.
        ...(https && isIP(hostname) === 0 ? { servername: hostname } : {}),
        headers: {
          host: url.host,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(row.payload),
          'user-agent': 'clawdforge-webhooks',
          'webhook-id': row.id,
          'webhook-timestamp': String(timestampSecs),
          'webhook-signature': signWebhook(secret, row.id, timestampSecs, row.payload),
        },
      },
      (res: IncomingMessage) => {
        clearTimeout(deadline);
        // The status line and headers are the answer: the body is not read, and the connection goes.
        resolve({ status: res.statusCode ?? 0, retryAfterSecs: retryAfterSecs(res.headers['retry-after'], Date.now()) });
        res.destroy();
      },
    );
    // One deadline for the whole attempt: a receiver trickling bytes cannot hold it longer.
    const deadline = setTimeout(() => req.destroy(new Error(`no answer within ${ATTEMPT_DEADLINE_MS / 1000} s`)), ATTEMPT_DEADLINE_MS);
    req.on('error', (error) => {
      clearTimeout(deadline);
      resolve({ error: error.message });
    });
    req.end(row.payload);
  });
}
