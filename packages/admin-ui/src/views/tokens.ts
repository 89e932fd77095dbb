// Tokens: the list with policies; mint (the plaintext shown once, with a copy
// button); a policy edited; a rotation with grace; a revoke, confirmed first.
import type { CreatedToken, ListedToken, RotatedToken, TokenList } from '@clawdforge/shared';
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api.js';
import { bytes, money, orDash, when } from '../format.js';

/** The policy fields the form edits: a comma list, or a number; empty lifts the limit. */
const LIMITS = ['max_concurrent', 'max_timeout_secs', 'runs_per_hour', 'runs_per_day', 'cost_usd_per_day'] as const;
type Limit = (typeof LIMITS)[number];

function policyOf(form: HTMLFormElement): Record<string, unknown> {
  const data = new FormData(form);
  const list = (name: string) => String(data.get(name) ?? '').split(',').map((item) => item.trim()).filter(Boolean);
  const policy: Record<string, unknown> = {};
  const models = list('models');
  policy.models = models.length > 0 ? models : null;
  policy.tools = list('tools');
  for (const limit of LIMITS) {
    const text = String(data.get(limit) ?? '').trim();
    policy[limit] = text === '' ? null : Number(text);
  }
  return policy;
}

function PolicyFields({ token }: { token?: ListedToken }) {
  return html`
    <label>models<input name="models" placeholder="any" value=${token?.models?.join(', ') ?? ''} /></label>
    <label>tools<input name="tools" placeholder="none" value=${token?.tools.join(', ') ?? ''} /></label>
    ${LIMITS.map(
      (limit: Limit) => html`<label>${limit.replaceAll('_', ' ')}<input name=${limit} size="8" value=${token?.[limit] ?? ''} /></label>`,
    )}
  `;
}

/** A plaintext shown this once, with a copy button. */
function Plaintext({ label, secret, onDone }: { label: string; secret: string; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    await navigator.clipboard.writeText(secret);
    setCopied(true);
  };
  return html`<div class="notice" data-testid="plaintext">
    <div>${label}: shown this once, store it now.</div>
    <p><span class="secret" data-testid="plaintext-value">${secret}</span></p>
    <button type="button" onClick=${copy}>${copied ? 'Copied' : 'Copy'}</button>
    <button type="button" class="secondary" onClick=${onDone}>Done</button>
  </div>`;
}

function TokenRow({ token, onChanged, onSecret }: { token: ListedToken; onChanged: () => void; onSecret: (label: string, secret: string) => void }) {
  const [mode, setMode] = useState<'view' | 'edit' | 'rotate' | 'revoke'>('view');
  const [error, setError] = useState<string | null>(null);
  const act = (work: () => Promise<void>) => async (event?: Event) => {
    event?.preventDefault();
    setError(null);
    try {
      await work();
      setMode('view');
      onChanged();
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : String(caught));
    }
  };
  const path = `/admin/tokens/${encodeURIComponent(token.name)}`;
  const save = act(async () => {
    await api.patch(path, policyOf(document.getElementById(`edit-${token.name}`) as HTMLFormElement));
  });
  const rotate = act(async () => {
    const grace = Number((document.getElementById(`grace-${token.name}`) as HTMLInputElement).value || 0);
    const rotated = await api.post<RotatedToken>(`${path}/rotate`, { grace_secs: grace });
    onSecret(`New token for ${token.name}`, rotated.token);
  });
  const revoke = act(async () => {
    await api.delete(path);
  });
  return html`
    <tr data-testid=${`token-${token.name}`}>
      <td><b>${token.name}</b><div class="muted">${token.ip_cidrs.join(', ') || 'any allowed address'}</div></td>
      <td>${token.models?.join(', ') ?? 'any'}</td>
      <td>${token.tools.join(', ') || 'none'}</td>
      <td>${orDash(token.runs_per_hour)} / ${orDash(token.runs_per_day)}</td>
      <td>${money(token.cost_usd_per_day)}</td>
      <td>${orDash(token.max_concurrent)}</td>
      <td>${bytes(token.stored_bytes)} in ${token.stored_files}</td>
      <td>${when(token.created_at)}<div class="muted">used ${when(token.last_used_at)}</div></td>
      <td>
        <button class="secondary" onClick=${() => setMode('edit')}>Edit</button>
        <button class="secondary" onClick=${() => setMode('rotate')}>Rotate</button>
        <button class="danger" onClick=${() => setMode('revoke')}>Revoke</button>
      </td>
    </tr>
    ${mode !== 'view' &&
    html`<tr>
      <td colspan="9">
        ${mode === 'edit' &&
        html`<form class="inline" id=${`edit-${token.name}`} onSubmit=${save}>
          <${PolicyFields} token=${token} />
          <button type="submit">Save policy</button>
          <button type="button" class="secondary" onClick=${() => setMode('view')}>Cancel</button>
        </form>`}
        ${mode === 'rotate' &&
        html`<form class="inline" onSubmit=${rotate}>
          <label>old token keeps working (seconds)<input id=${`grace-${token.name}`} value="0" size="8" /></label>
          <button type="submit">Rotate now</button>
          <button type="button" class="secondary" onClick=${() => setMode('view')}>Cancel</button>
        </form>`}
        ${mode === 'revoke' &&
        html`<div class="notice">
          Revoke <b>${token.name}</b>? Its next request gets 401, and its files are deleted.
          <button class="danger" onClick=${revoke}>Yes, revoke ${token.name}</button>
          <button class="secondary" onClick=${() => setMode('view')}>Cancel</button>
        </div>`}
        ${error && html`<div class="error">${error}</div>`}
      </td>
    </tr>`}
  `;
}

export function TokensView() {
  const [tokens, setTokens] = useState<ListedToken[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [secret, setSecret] = useState<{ label: string; value: string } | null>(null);
  const load = async () => {
    try {
      setTokens((await api.get<TokenList>('/admin/tokens')).tokens);
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : String(caught));
    }
  };
  useEffect(() => void load(), []);
  const mint = async (event: Event) => {
    event.preventDefault();
    setError(null);
    const form = event.currentTarget as HTMLFormElement;
    const name = String(new FormData(form).get('name') ?? '').trim();
    try {
      const created = await api.post<CreatedToken>('/admin/tokens', { name, ...policyOf(form) });
      setSecret({ label: `Token for ${created.name}`, value: created.token });
      form.reset();
      await load();
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : String(caught));
    }
  };
  return html`
    <section>
      <h2>Mint a token</h2>
      <form class="inline" onSubmit=${mint} data-testid="mint-form">
        <label>name<input name="name" required /></label>
        <${PolicyFields} />
        <button type="submit">Mint</button>
      </form>
      ${secret && html`<${Plaintext} label=${secret.label} secret=${secret.value} onDone=${() => setSecret(null)} />`}
      ${error && html`<div class="error" data-testid="error">${error}</div>`}
    </section>
    <section>
      <h2>App tokens</h2>
      ${tokens === null
        ? html`<p class="muted">Loading…</p>`
        : html`<table>
            <thead>
              <tr><th>name</th><th>models</th><th>tools</th><th>runs / hour / day</th><th>cost / day</th><th>concurrent</th><th>stored</th><th>created</th><th></th></tr>
            </thead>
            <tbody>
              ${tokens.map((token) => html`<${TokenRow} key=${token.name} token=${token} onChanged=${load} onSecret=${(label: string, value: string) => setSecret({ label, value })} />`)}
            </tbody>
          </table>`}
    </section>
  `;
}
