// Health: readiness, the CLI, its login, and each Claude account's state.
import type { Account, Health, Readiness } from '@clawdforge/shared';
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api.js';
import { when } from '../format.js';

/** /readyz answers 503 with the same body when not ready. */
async function readiness(): Promise<Readiness> {
  const response = await fetch('/readyz', { headers: { accept: 'application/json' } });
  return (await response.json()) as Readiness;
}

export function HealthView() {
  const [state, setState] = useState<{ ready: Readiness; health: Health; accounts: Account[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    Promise.all([readiness(), api.get<Health>('/healthz'), api.get<{ accounts: Account[] }>('/admin/accounts')]).then(
      ([ready, health, { accounts }]) => setState({ ready, health, accounts }),
      (caught: unknown) => setError(caught instanceof ApiError ? caught.message : String(caught)),
    );
  }, []);
  if (error) return html`<section><div class="error">${error}</div></section>`;
  if (!state) return html`<section><p class="muted">Loading…</p></section>`;
  const { ready, health, accounts } = state;
  return html`
    <section data-testid="health">
      <h2>Service</h2>
      <dl class="facts">
        <dt>ready</dt><dd class=${ready.ready ? 'status-ok' : 'status-error'} data-testid="ready">${ready.ready ? 'ready' : 'not ready'}</dd>
        <dt>database</dt><dd>${ready.db}</dd>
        <dt>Claude CLI</dt><dd>${health.claude_present ? health.claude_version : 'not found'}</dd>
        <dt>login</dt><dd>${health.claude_auth_method}${health.claude_logged_in === false ? ' (not logged in)' : ''}</dd>
        <dt>last login failure</dt><dd>${ready.last_auth_failure ? `${when(ready.last_auth_failure.at)}: ${ready.last_auth_failure.message}` : 'none'}</dd>
        <dt>up for</dt><dd>${Math.round(health.uptime_s / 60)} min</dd>
      </dl>
    </section>
    <section>
      <h2>Claude accounts</h2>
      ${accounts.length === 0
        ? html`<p class="muted">None configured: every run uses the CLI's default login.</p>`
        : html`<table data-testid="accounts">
            <thead><tr><th>name</th><th>type</th><th>priority</th><th>state</th><th>running</th><th>5-hour window</th><th>7-day window</th></tr></thead>
            <tbody>
              ${accounts.map(
                (account) => html`<tr key=${account.name}>
                  <td>${account.name}</td><td>${account.type}</td><td>${account.priority}</td>
                  <td class=${`state-${account.state}`}>${account.state}${account.cooling_until ? ` until ${when(account.cooling_until)}` : ''}${account.reason ? html`<div class="muted">${account.reason}</div>` : ''}</td>
                  <td>${account.running}${account.max_concurrent ? ` of ${account.max_concurrent}` : ''}</td>
                  <td>${window(account.last_rate_limit?.five_hour ?? null)}</td>
                  <td>${window(account.last_rate_limit?.seven_day ?? null)}</td>
                </tr>`,
              )}
            </tbody>
          </table>`}
    </section>
  `;
}

function window(limit: { utilization: number | null; resets_at: string | null } | null): string {
  if (!limit || limit.utilization === null) return '—';
  return `${Math.round(limit.utilization * 100)}%, resets ${when(limit.resets_at)}`;
}
