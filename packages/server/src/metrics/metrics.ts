// Prometheus metrics, one registry per app instance (tests run several in one
// process). Labels are bounded: routes are path templates, never raw paths.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ClaudeProbe } from '../health/claude-probe.js';
import type { RunQueue } from '../admission/run-queue.js';
import type { AccountPool } from '../accounts/account-pool.js';
import { accountStateSchema } from '@clawdforge/shared';

const RUN_SECONDS = [0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1800];
const WAIT_SECONDS = [0.01, 0.1, 0.5, 1, 5, 10, 30, 60, 300];

// Route templates for the http_requests_total label; anything else is "other".
const ROUTES: Array<[RegExp, string]> = [
  [/^\/files\/[^/]+$/, '/files/{file_token}'],
  [/^\/runs\/[^/]+$/, '/runs/{run_id}'],
  [/^\/runs\/[^/]+\/events$/, '/runs/{run_id}/events'],
  [/^\/sessions\/[^/]+$/, '/sessions/{session_id}'],
  [/^\/sessions\/[^/]+\/(turns|runs|fork)$/, ''],
  [/^\/admin\/tokens\/[^/]+$/, '/admin/tokens/{name}'],
  [/^\/admin\/accounts\/[^/]+\/(enable|disable)$/, ''],
  [/^\/trpc\/[\w.]+$/, '/trpc/{procedure}'],
  [/^\/sdk(\/|$)/, '/sdk'],
  [/^\/admin\/ui(\/|$)/, '/admin/ui'],
  [/^\/(healthz|readyz|metrics|openapi\.json|run|runs|files|sessions|admin\/tokens|admin\/accounts|admin\/session|admin\/live)$/, ''],
];

// Callers choose model names: only well-known shapes become label values.
const KNOWN_MODEL = /^(sonnet|opus|haiku|default|best|opusplan)$|^claude-[a-z0-9.-]{1,60}$/;

export function modelLabel(model: string): string {
  return KNOWN_MODEL.test(model) ? model : 'other';
}

export function routeOf(path: string): string {
  for (const [pattern, template] of ROUTES) {
    const match = pattern.exec(path);
    // A template with a part of its own (a session's turns, runs, fork) keeps that part.
    if (!match) continue;
    if (template) return template;
    if (match[1] && path.startsWith('/sessions/')) return `/sessions/{session_id}/${match[1]}`;
    if (match[1] && path.startsWith('/admin/accounts/')) return `/admin/accounts/{name}/${match[1]}`;
    return path;
  }
  return 'other';
}

export class Metrics {
  readonly registry = new Registry();
  private readonly runs = new Counter({ name: 'clawdforge_runs_total', help: 'Runs by app, model and outcome', labelNames: ['app', 'model', 'status'] as const, registers: [this.registry] });
  private readonly eventStreams = new Gauge({ name: 'clawdforge_event_streams_open', help: 'Server-Sent Event streams open now (streamed runs and run event readers)', registers: [this.registry] });
  private readonly webhookDeliveries = new Counter({ name: 'clawdforge_webhook_deliveries_total', help: 'Webhook delivery attempts by outcome: delivered, retry, failed, disabled', labelNames: ['outcome'] as const, registers: [this.registry] });
  private readonly runsStalled = new Counter({ name: 'clawdforge_runs_stalled_total', help: 'Runs stopped because the CLI printed nothing for RUN_IDLE_TIMEOUT_SECS', registers: [this.registry] });
  private readonly runDuration = new Histogram({ name: 'clawdforge_run_duration_seconds', help: 'Time the CLI ran, per run', labelNames: ['status'] as const, buckets: RUN_SECONDS, registers: [this.registry] });
  private readonly queueWait = new Histogram({ name: 'clawdforge_run_queue_wait_seconds', help: 'Time a run waited for a slot', buckets: WAIT_SECONDS, registers: [this.registry] });
  private readonly uploadBytes = new Counter({ name: 'clawdforge_upload_bytes_total', help: 'Bytes of files stored by POST /files', registers: [this.registry] });
  private readonly accountAttempts = new Counter({
    name: 'clawdforge_account_runs_total',
    help: 'Attempts of runs on each Claude account by result: ok, error, rate_limited, logged_out (a run moved to another account counts on both)',
    labelNames: ['account', 'result'] as const,
    registers: [this.registry],
  });
  private readonly httpRequests = new Counter({ name: 'clawdforge_http_requests_total', help: 'HTTP requests by route template, method and status', labelNames: ['route', 'method', 'status'] as const, registers: [this.registry] });

  constructor(queue: RunQueue, probe: ClaudeProbe) {
    collectDefaultMetrics({ register: this.registry, prefix: 'clawdforge_' });
    new Gauge({ name: 'clawdforge_runs_in_flight', help: 'CLI processes running now', registers: [this.registry], collect() { this.set(queue.runningCount); } });
    new Gauge({ name: 'clawdforge_runs_queued', help: 'Runs waiting for a slot', registers: [this.registry], collect() { this.set(queue.queuedCount); } });
    new Gauge({
      name: 'clawdforge_claude_logged_in',
      help: 'Whether the CLI has credentials (1), has none (0), or cannot tell (-1); checked at most every 30 s',
      registers: [this.registry],
      async collect() {
        const status = await probe.status();
        this.set(status.loggedIn === null ? -1 : Number(status.loggedIn));
      },
    });
  }

  observeRun(run: { app: string; model: string; status: string; error_code?: string | null; duration_ms: number; queue_wait_ms: number; rejected: boolean }): void {
    this.runs.inc({ app: run.app, model: modelLabel(run.model), status: run.status });
    if (run.error_code === 'claude_stalled') this.runsStalled.inc();
    if (!run.rejected) this.runDuration.observe({ status: run.status }, run.duration_ms / 1000);
    this.queueWait.observe(run.queue_wait_ms / 1000);
  }

  /** A gauge of the sessions alive now, read from `count` at each scrape. */
  watchSessions(count: () => number): void {
    new Gauge({ name: 'clawdforge_sessions_live', help: 'Sessions alive now (not expired or deleted)', registers: [this.registry], collect() { this.set(count()); } });
  }

  /** Each account's state (one series per state, 1 for the current one) and its last reported utilization, read at each scrape. */
  watchAccounts(pool: AccountPool): void {
    new Gauge({
      name: 'clawdforge_account_state',
      help: 'Each Claude account\'s state: 1 for the one it is in (ready, cooling, logged_out, disabled, misconfigured)',
      labelNames: ['account', 'state'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const account of pool.views()) {
          for (const state of accountStateSchema.options) this.set({ account: account.name, state }, Number(account.state === state));
        }
      },
    });
    new Gauge({
      name: 'clawdforge_account_cooling_until_seconds',
      help: 'Epoch seconds until which a cooling Claude account is not used (0 when not cooling)',
      labelNames: ['account'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const account of pool.views()) this.set({ account: account.name }, account.cooling_until ? Date.parse(account.cooling_until) / 1000 : 0);
      },
    });
    new Gauge({
      name: 'clawdforge_account_utilization',
      help: 'Each Claude account\'s last reported utilization of its subscription windows (five_hour, seven_day; OAuth logins only)',
      labelNames: ['account', 'window'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const account of pool.views()) {
          const report = account.last_rate_limit;
          for (const [window, value] of [['five_hour', report?.five_hour], ['seven_day', report?.seven_day]] as const) {
            if (typeof value?.utilization === 'number') this.set({ account: account.name, window }, value.utilization);
          }
        }
      },
    });
  }

  observeAccountAttempt(account: string, result: 'ok' | 'error' | 'rate_limited' | 'logged_out'): void {
    this.accountAttempts.inc({ account, result });
  }

  observeWebhookDelivery(outcome: 'delivered' | 'retry' | 'failed' | 'disabled'): void {
    this.webhookDeliveries.inc({ outcome });
  }

  eventStreamOpened(): void {
    this.eventStreams.inc();
  }

  eventStreamClosed(): void {
    this.eventStreams.dec();
  }

  observeUpload(bytes: number): void {
    this.uploadBytes.inc(bytes);
  }

  observeRequest(path: string, method: string, status: number): void {
    this.httpRequests.inc({ route: routeOf(path), method, status: String(status) });
  }
}
