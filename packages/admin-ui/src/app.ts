// The page: sign-in, then the views by hash (#/tokens, #/runs, ...).
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, currentSession, signIn, signOut, whenSignedOut } from './api.js';
import { HealthView } from './views/health.js';
import { RunsView } from './views/runs.js';
import { TokensView } from './views/tokens.js';
import { UploadsView } from './views/uploads.js';
import { UsageView } from './views/usage.js';

const VIEWS = {
  tokens: { title: 'Tokens', view: TokensView },
  runs: { title: 'Runs', view: RunsView },
  usage: { title: 'Usage', view: UsageView },
  health: { title: 'Health', view: HealthView },
  uploads: { title: 'Uploads', view: UploadsView },
} as const;
type ViewName = keyof typeof VIEWS;

const viewFromHash = (): ViewName => {
  const name = location.hash.replace(/^#\/?/, '');
  return Object.hasOwn(VIEWS, name) ? (name as ViewName) : 'tokens';
};

function SignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    const input = (event.currentTarget as HTMLFormElement).elements.namedItem('token') as HTMLInputElement;
    try {
      await signIn(input.value);
      input.value = ''; // the admin token lives nowhere on the page once it has been exchanged
      onSignedIn();
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : String(caught));
    }
  };
  return html`<section class="signin">
    <h2>clawdforge admin</h2>
    <form onSubmit=${submit} data-testid="signin">
      <p><label>Admin token<br /><input name="token" type="password" autocomplete="off" size="40" required /></label></p>
      <button type="submit">Sign in</button>
    </form>
    ${error && html`<div class="error" data-testid="signin-error">${error}</div>`}
  </section>`;
}

export function App() {
  const [signedIn, setSignedIn] = useState<boolean | null>(null);
  const [view, setView] = useState<ViewName>(viewFromHash());
  useEffect(() => {
    whenSignedOut(() => setSignedIn(false));
    currentSession().then((session) => setSignedIn(session !== null), () => setSignedIn(false));
    const onHash = () => setView(viewFromHash());
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  if (signedIn === null) return html`<p class="muted">…</p>`;
  if (!signedIn) return html`<${SignIn} onSignedIn=${() => setSignedIn(true)} />`;
  const View = VIEWS[view].view;
  const logOut = async () => {
    await signOut().catch(() => undefined);
    setSignedIn(false);
  };
  return html`
    <header>
      <h1>clawdforge</h1>
      <nav>${Object.entries(VIEWS).map(([name, { title }]) => html`<a href=${`#/${name}`} class=${name === view ? 'current' : ''}>${title}</a>`)}</nav>
      <span class="spacer"></span>
      <button class="secondary" onClick=${logOut} data-testid="logout">Log out</button>
    </header>
    <main><${View} /></main>
  `;
}
