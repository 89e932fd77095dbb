import type {
  Account,
  AdminActionPage,
  CreatedToken,
  CreateTokenInput,
  ListRunsInput,
  RotatedToken,
  RunDetail,
  RunPage,
  TokenInfo,
  TokenList,
  UpdateTokenInput,
  UsageInput,
  UsageReport,
  UpdatedToken,
  WebhookDelivery,
  WebhookDeliveryPage,
  WebhookSecret,
} from '@clawdforge/shared';
import type { Dispatcher } from 'undici';
import type { CallOptions } from './client.js';
import { callLimits, Transport } from './transport.js';

export interface ClawdforgeAdminOptions {
  /** Where the service listens, e.g. `http://192.168.0.5:8800`. */
  baseUrl: string;
  /** The service's ADMIN_BOOTSTRAP_TOKEN. */
  adminToken: string;
  /** @default 30000 */
  timeoutMs?: number;
  /** Retries of reads and of refused connections (never of a mint). @default 2 */
  maxRetries?: number;
  dispatcher?: Dispatcher;
}

/** The admin surface: app tokens and their policies, the audit log, usage, the admin action log. */
export class ClawdforgeAdmin {
  readonly tokens: {
    /** Mints a token; its plaintext is in this answer only. */
    create(input: CreateTokenInput, options?: CallOptions): Promise<CreatedToken>;
    list(options?: CallOptions): Promise<TokenInfo[]>;
    /** Changes addresses or policy fields (only those given; null lifts a limit). A new webhook_url answers its new secret, once. */
    update(name: string, changes: Omit<UpdateTokenInput, 'name'>, options?: CallOptions): Promise<UpdatedToken>;
    /** A new signing secret for the token's webhook (in this answer only); the old one stops signing at once. */
    rotateWebhookSecret(name: string, options?: CallOptions): Promise<WebhookSecret>;
    /** A new plaintext (in this answer only) for the same app; the old one works `graceSecs` more. */
    rotate(name: string, rotation?: { grace_secs?: number }, options?: CallOptions): Promise<RotatedToken>;
    /** Revokes at once, and deletes the app's files. */
    revoke(name: string, options?: CallOptions): Promise<void>;
  };

  readonly runs: {
    /** One page of the audit log, newest first; pass `next_cursor` back as `cursor` for the next. */
    list(query?: ListRunsInput, options?: CallOptions): Promise<RunPage>;
    /** One run, with its prompt when AUDIT_PROMPTS kept it. */
    get(runId: string, options?: CallOptions): Promise<RunDetail>;
  };

  /** Runs, outcomes, latency percentiles, tokens and cost per app, model or day. */
  readonly usage: (query?: UsageInput, options?: CallOptions) => Promise<UsageReport>;

  /** Webhook deliveries of async runs: newest first, by app and status; one sent again from the start of the schedule. */
  readonly webhooks: {
    deliveries(query?: { app?: string; status?: WebhookDelivery['status']; cursor?: string; limit?: number }, options?: CallOptions): Promise<WebhookDeliveryPage>;
    redeliver(id: string, options?: CallOptions): Promise<WebhookDelivery>;
  };

  /** The Claude accounts runs go to: each one's state, load and last reported limits; one taken out of rotation or put back. */
  readonly accounts: {
    list(options?: CallOptions): Promise<Account[]>;
    /** Out of rotation; runs on it now finish. */
    disable(name: string, options?: CallOptions): Promise<Account>;
    /** Back in rotation; also forgets a refused login and a cooldown. */
    enable(name: string, options?: CallOptions): Promise<Account>;
  };

  /** The admin action log, newest first: who minted, changed, rotated or revoked what, and when. */
  readonly actions: { list(query?: { cursor?: string; limit?: number }, options?: CallOptions): Promise<AdminActionPage> };

  constructor(options: ClawdforgeAdminOptions) {
    const transport = new Transport({
      baseUrl: options.baseUrl,
      token: options.adminToken,
      timeoutMs: options.timeoutMs ?? 30_000,
      maxRetries: options.maxRetries ?? 2,
      dispatcher: options.dispatcher,
    });
    this.tokens = {
      create: (input, callOptions = {}) =>
        transport.call({ method: 'POST', path: '/admin/tokens', json: input, ...callLimits(callOptions), retry: 'never' }),
      list: async (callOptions = {}) =>
        (await transport.call<TokenList>({ method: 'GET', path: '/admin/tokens', ...callLimits(callOptions), retry: 'idempotent' })).tokens,
      update: (name, changes, callOptions = {}) =>
        transport.call({ method: 'PATCH', path: `/admin/tokens/${encodeURIComponent(name)}`, json: changes, ...callLimits(callOptions), retry: 'idempotent' }),
      // Never retried: a rotation done twice would void the first new plaintext, which the caller never saw.
      rotate: (name, rotation = {}, callOptions = {}) =>
        transport.call({ method: 'POST', path: `/admin/tokens/${encodeURIComponent(name)}/rotate`, json: rotation, ...callLimits(callOptions), retry: 'never' }),
      // Never retried: the first new secret, which the caller never saw, would stop signing.
      rotateWebhookSecret: (name, callOptions = {}) =>
        transport.call({ method: 'POST', path: `/admin/tokens/${encodeURIComponent(name)}/webhook-secret`, ...callLimits(callOptions), retry: 'never' }),
      revoke: async (name, callOptions = {}) => {
        await transport.call({ method: 'DELETE', path: `/admin/tokens/${encodeURIComponent(name)}`, ...callLimits(callOptions), retry: 'idempotent' });
      },
    };
    const accountPath = (name: string, action: 'enable' | 'disable') => `/admin/accounts/${encodeURIComponent(name)}/${action}`;
    this.accounts = {
      list: async (callOptions = {}) =>
        (await transport.call<{ accounts: Account[] }>({ method: 'GET', path: '/admin/accounts', ...callLimits(callOptions), retry: 'idempotent' })).accounts,
      // Setting a state twice leaves it as once: safe to retry.
      disable: (name, callOptions = {}) => transport.call({ method: 'POST', path: accountPath(name, 'disable'), ...callLimits(callOptions), retry: 'idempotent' }),
      enable: (name, callOptions = {}) => transport.call({ method: 'POST', path: accountPath(name, 'enable'), ...callLimits(callOptions), retry: 'idempotent' }),
    };
    const withQuery = (path: string, query: object) => {
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
      return params.size > 0 ? `${path}?${params}` : path;
    };
    this.usage = (query = {}, callOptions = {}) =>
      transport.call({ method: 'GET', path: withQuery('/admin/usage', query), ...callLimits(callOptions), retry: 'idempotent' });
    this.actions = {
      list: (query = {}, callOptions = {}) =>
        transport.call({ method: 'GET', path: withQuery('/admin/audit', query), ...callLimits(callOptions), retry: 'idempotent' }),
    };
    this.webhooks = {
      deliveries: (query = {}, callOptions = {}) =>
        transport.call({ method: 'GET', path: withQuery('/admin/webhooks/deliveries', query), ...callLimits(callOptions), retry: 'idempotent' }),
      redeliver: (id, callOptions = {}) =>
        transport.call({ method: 'POST', path: `/admin/webhooks/deliveries/${encodeURIComponent(id)}/redeliver`, ...callLimits(callOptions), retry: 'never' }),
    };
    this.runs = {
      list: (query = {}, callOptions = {}) =>
        transport.call({ method: 'GET', path: withQuery('/admin/runs', query), ...callLimits(callOptions), retry: 'idempotent' }),
      get: (runId, callOptions = {}) =>
        transport.call({ method: 'GET', path: `/admin/runs/${encodeURIComponent(runId)}`, ...callLimits(callOptions), retry: 'idempotent' }),
    };
  }
}
