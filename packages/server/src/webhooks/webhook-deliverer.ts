// Webhook deliveries (Standard Webhooks 1.0): when an async run of an app with
// a webhook_url ends, a delivery is stored, then POSTed by this loop with the
// webhook-id (the same on every attempt), webhook-timestamp and
// webhook-signature headers. Anything but a 2xx is retried on WEBHOOK_RETRY_
// SCHEDULE_SECS (Retry-After honoured when longer); a 410 disables the app's
// webhook. Deliveries are rows, so a restart picks up where the last left off.
import { randomBytes } from 'node:crypto';
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

/** Deliveries under way at once. */
const MAX_IN_FLIGHT = 4;
/** How long a receiver has to answer. */
const ATTEMPT_TIMEOUT_MS = 15_000;
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
  private readonly inFlight = new Map<string, Promise<void>>();
  private stopped = false;

  constructor(private readonly deps: WebhookDelivererDeps) {}

  /** Starts the loop: deliveries left pending by an earlier process go out too. */
  start(): void {
    this.schedule(0);
  }

  /** Stops the loop and waits for the attempts under way (each ends within its timeout). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await Promise.allSettled([...this.inFlight.values()]);
  }

  /** An async run ended: when its token has a webhook_url, a delivery is stored and sent. */
  announce(owner: { app: string; tokenCreatedAt: string }, run: { runId: string; status: AsyncRunStatus; result: WebhookPayload['data']['result']; error: WebhookPayload['data']['error']; at: string }): void {
    const { repository, clock } = this.deps;
    const token = repository.token(owner.app, owner.tokenCreatedAt);
    const url = token && parsePolicy(token.policy).webhook_url;
    if (!url) return;
    const type: WebhookEventType = run.status === 'ok' ? 'run.completed' : 'run.failed';
    const payload: WebhookPayload = { type, timestamp: run.at, data: { run_id: run.runId, status: run.status, result: run.result, error: run.error } };
    const now = clock.now().toISOString();
    repository.insert({
      id: `msg_${randomBytes(16).toString('base64url')}`,
      app: owner.app,
      token_created_at: owner.tokenCreatedAt,
      type,
      run_id: run.runId,
      url,
      payload: JSON.stringify(payload),
      next_attempt_at: now,
      created_at: now,
    });
    this.schedule(0);
  }

  /** Sends a delivery again from the start of the schedule (the admin's redeliver). */
  redeliver(id: string): DeliveryRow | undefined {
    const { repository, clock } = this.deps;
    const row = repository.get(id);
    if (!row) return undefined;
    repository.save({ ...row, status: 'pending', attempts: 0, next_attempt_at: clock.now().toISOString(), delivered_at: null });
    this.schedule(0);
    return repository.get(id);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.tick(), Math.max(0, Math.min(delayMs, MAX_IDLE_MS)));
    this.timer.unref();
  }

  private tick(): void {
    const { repository, clock } = this.deps;
    const room = MAX_IN_FLIGHT - this.inFlight.size;
    if (room > 0) {
      for (const row of repository.due(clock.now().toISOString(), room + this.inFlight.size)) {
        if (this.inFlight.has(row.id) || this.inFlight.size >= MAX_IN_FLIGHT) continue;
        const attempt = this.attempt(row)
          .catch((err) => this.deps.logger.error({ err, delivery: row.id }, 'webhook delivery failed unexpectedly'))
          .finally(() => {
            this.inFlight.delete(row.id);
            this.schedule(0);
          });
        this.inFlight.set(row.id, attempt);
      }
    }
    const next = repository.nextDueAt();
    this.schedule(next === null ? MAX_IDLE_MS : Date.parse(next) - clock.now().getTime());
  }

  private async attempt(row: DeliveryRow): Promise<void> {
    const { repository, config, clock, metrics } = this.deps;
    const token = repository.token(row.app, row.token_created_at);
    if (!token?.webhook_secret) return this.end(row, 'failed', null, token ? 'the app no longer has a webhook' : 'the app token was revoked');
    let result: AttemptResult;
    try {
      // The address is checked again: DNS may point elsewhere now. The request goes to the address checked.
      const target = await resolveWebhookTarget(row.url, [...config.allowCidrs, ...config.webhookAllowCidrs]);
      result = await post(target, row, token.webhook_secret, Math.floor(clock.now().getTime() / 1000));
    } catch (error) {
      result = { error: error instanceof Error ? error.message : String(error) };
    }
    const attempts = row.attempts + 1;
    if ('status' in result && result.status >= 200 && result.status < 300) {
      metrics.observeWebhookDelivery('delivered');
      return repository.save({ ...row, status: 'delivered', attempts, next_attempt_at: null, last_status: result.status, last_error: null, delivered_at: clock.now().toISOString() });
    }
    if ('status' in result && result.status === 410) {
      // Gone: the receiver asks for no more. The app's webhook is switched off (an admin may set it again).
      metrics.observeWebhookDelivery('disabled');
      await disableWebhook(this.deps.db, clock, row.app, row.token_created_at);
      repository.save({ ...row, status: 'disabled', attempts, next_attempt_at: null, last_status: 410, last_error: 'the receiver answered 410 Gone: the webhook was disabled', delivered_at: null });
      repository.disableAllOf(row.app, row.token_created_at, 'the receiver answered 410 Gone: the webhook was disabled');
      return;
    }
    const lastStatus = 'status' in result ? result.status : null;
    const lastError = 'error' in result ? result.error : `the receiver answered ${result.status}`;
    const schedule = config.webhookRetryScheduleSecs;
    if (attempts >= schedule.length) {
      metrics.observeWebhookDelivery('failed');
      return repository.save({ ...row, status: 'failed', attempts, next_attempt_at: null, last_status: lastStatus, last_error: lastError, delivered_at: null });
    }
    metrics.observeWebhookDelivery('retry');
    const waitSecs = Math.max(schedule[attempts]!, 'status' in result ? Math.min(result.retryAfterSecs ?? 0, MAX_RETRY_AFTER_SECS) : 0);
    const next = new Date(clock.now().getTime() + waitSecs * 1000).toISOString();
    repository.save({ ...row, status: 'pending', attempts, next_attempt_at: next, last_status: lastStatus, last_error: lastError, delivered_at: null });
  }

  private end(row: DeliveryRow, status: 'failed', lastStatus: number | null, lastError: string): void {
    this.deps.metrics.observeWebhookDelivery(status);
    this.deps.repository.save({ ...row, status, attempts: row.attempts, next_attempt_at: null, last_status: lastStatus, last_error: lastError, delivered_at: null });
  }
}

/** One POST to the checked address (no redirects followed: a 3xx is an answer like any other). */
function post(target: WebhookTarget, row: DeliveryRow, secret: string, timestampSecs: number): Promise<AttemptResult> {
  const { url, address } = target;
  const https = url.protocol === 'https:';
  const send = https ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const req = send(
      {
        host: address,
        port: url.port || (https ? 443 : 80),
        path: `${url.pathname}${url.search}`,
        method: 'POST',
        agent: false,
        timeout: ATTEMPT_TIMEOUT_MS,
        ...(https ? { servername: url.hostname } : {}),
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
        res.resume(); // the body says nothing the status does not
        const retryAfter = Number(res.headers['retry-after']);
        resolve({ status: res.statusCode ?? 0, retryAfterSecs: Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter : undefined });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${ATTEMPT_TIMEOUT_MS / 1000} s`)));
    req.on('error', (error) => resolve({ error: error.message }));
    req.end(row.payload);
  });
}
