// Uploads: what each app stores now, against its limits.
import type { ListedToken, TokenList } from '@clawdforge/shared';
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api.js';
import { bytes, orDash } from '../format.js';

export function UploadsView() {
  const [tokens, setTokens] = useState<ListedToken[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.get<TokenList>('/admin/tokens').then(({ tokens: list }) => setTokens(list), (caught: unknown) => setError(caught instanceof ApiError ? caught.message : String(caught)));
  }, []);
  const total = tokens?.reduce((sum, token) => sum + token.stored_bytes, 0) ?? 0;
  return html`<section data-testid="uploads">
    <h2>Stored uploads: ${bytes(total)}</h2>
    ${error && html`<div class="error">${error}</div>`}
    ${tokens &&
    html`<table>
      <thead><tr><th>app</th><th>stored</th><th>limit</th><th>live files</th><th>limit</th></tr></thead>
      <tbody>
        ${tokens.map(
          (token) => html`<tr key=${token.name}>
            <td>${token.name}</td><td>${bytes(token.stored_bytes)}</td><td>${token.max_stored_bytes === null ? 'none' : bytes(token.max_stored_bytes)}</td>
            <td>${token.stored_files}</td><td>${orDash(token.max_live_files)}</td>
          </tr>`,
        )}
      </tbody>
    </table>`}
  </section>`;
}
