// Runs: the audit log filtered and paged by its cursor, a run's detail, and
// the runs in flight and queued now (Server-Sent Events from /admin/live).
import type { LiveRun, LiveSnapshot, RunDetail, RunPage, RunRecord } from '@clawdforge/shared';
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, query } from '../api.js';
import { money, ms, orDash, when } from '../format.js';

const STATUSES = ['', 'ok', 'error', 'timeout', 'cancelled', 'rejected'];
const FILTERS = ['app', 'status', 'error_code', 'model', 'account', 'since', 'until'] as const;
type Filters = Partial<Record<(typeof FILTERS)[number], string>>;


function LiveRuns() {
  const [runs, setRuns] = useState<LiveRun[] | null>(null);
  useEffect(() => {
    const source = new EventSource('/admin/live');
    source.addEventListener('snapshot', (event) => setRuns((JSON.parse((event as MessageEvent<string>).data) as LiveSnapshot).runs));
    return () => source.close();
  }, []);
  const running = runs?.filter((run) => run.phase === 'running') ?? [];
  const queued = runs?.filter((run) => run.phase === 'queued') ?? [];
  return html`<section data-testid="live">
    <h2>Now: ${running.length} running, ${queued.length} queued</h2>
    ${runs === null
      ? html`<p class="muted">Connecting…</p>`
      : runs.length === 0
        ? html`<p class="muted">Nothing is running.</p>`
        : html`<table>
            <thead><tr><th>run</th><th>app</th><th>model</th><th>state</th><th>since</th></tr></thead>
            <tbody>
              ${runs.map((run) => html`<tr key=${run.run_id}><td>${run.run_id}</td><td>${run.app}</td><td>${run.model}</td><td>${run.phase}</td><td>${when(run.since)}</td></tr>`)}
            </tbody>
          </table>`}
  </section>`;
}

function Detail({ runId, onClose }: { runId: string; onClose: () => void }) {
  const [run, setRun] = useState<RunDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.get<RunDetail>(`/admin/runs/${encodeURIComponent(runId)}`).then(setRun, (caught: unknown) => setError(caught instanceof ApiError ? caught.message : String(caught)));
  }, [runId]);
  return html`<section data-testid="run-detail">
    <h2>Run ${runId} <button class="secondary" onClick=${onClose}>Close</button></h2>
    ${error && html`<div class="error">${error}</div>`}
    ${run &&
    html`<dl class="facts">
        <dt>app</dt><dd>${run.app}</dd>
        <dt>status</dt><dd class=${`status-${run.status}`}>${run.status}${run.error_code ? ` (${run.error_code})` : ''}</dd>
        ${run.error_message && html`<dt>error</dt><dd data-testid="run-error">${run.error_message}</dd>`}
        <dt>model</dt><dd>${run.model}</dd>
        <dt>account</dt><dd>${orDash(run.account)}${run.failover_from ? ` (moved from ${run.failover_from})` : ''}</dd>
        <dt>session</dt><dd>${orDash(run.session_id)}${run.turn ? `, turn ${run.turn}` : ''}</dd>
        <dt>created</dt><dd>${when(run.created_at)}</dd>
        <dt>queued</dt><dd>${ms(run.queue_wait_ms)}</dd>
        <dt>ran</dt><dd>${ms(run.duration_ms)}</dd>
        <dt>tokens</dt><dd>${orDash(run.input_tokens)} in, ${orDash(run.output_tokens)} out</dd>
        <dt>cost</dt><dd>${money(run.cost_usd)}</dd>
        <dt>exit, stop reason</dt><dd>${orDash(run.exit_code)}, ${orDash(run.stop_reason)}</dd>
        <dt>request id</dt><dd>${orDash(run.request_id)}</dd>
      </dl>
      <h2>Prompt</h2>
      ${run.prompt === null ? html`<p class="muted">Not kept (AUDIT_PROMPTS=off).</p>` : html`<pre data-testid="run-prompt">${run.prompt}</pre>`}`}
  </section>`;
}

export function RunsView() {
  const [filters, setFilters] = useState<Filters>({});
  const [pages, setPages] = useState<string[]>([]); // cursors of the pages before this one
  const [page, setPage] = useState<RunPage | null>(null);
  const [cursor, setCursor] = useState<string | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);

  useEffect(() => {
    setError(null);
    const since = filters.since ? new Date(filters.since).toISOString() : undefined;
    const until = filters.until ? new Date(filters.until).toISOString() : undefined;
    api.get<RunPage>(`/admin/runs${query({ ...filters, since, until, cursor, limit: 25 })}`).then(setPage, (caught: unknown) => {
      setError(caught instanceof ApiError ? caught.message : String(caught));
    });
  }, [filters, cursor]);

  const apply = (event: Event) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget as HTMLFormElement);
    const next: Filters = {};
    for (const name of FILTERS) {
      const value = String(data.get(name) ?? '').trim();
      if (value) next[name] = value;
    }
    setPages([]);
    setCursor(undefined);
    setFilters(next);
  };
  const older = () => {
    if (!page?.next_cursor) return;
    setPages([...pages, cursor ?? '']);
    setCursor(page.next_cursor);
  };
  const newer = () => {
    const previous = pages.at(-1);
    setPages(pages.slice(0, -1));
    setCursor(previous || undefined);
  };
  return html`
    <${LiveRuns} />
    <section>
      <h2>Audit log</h2>
      <form class="inline" onSubmit=${apply} data-testid="run-filters">
        <label>app<input name="app" size="12" /></label>
        <label>status<select name="status">${STATUSES.map((status) => html`<option value=${status}>${status || 'any'}</option>`)}</select></label>
        <label>error code<input name="error_code" size="14" /></label>
        <label>model<input name="model" size="10" /></label>
        <label>account<input name="account" size="10" /></label>
        <label>since<input name="since" type="datetime-local" /></label>
        <label>until<input name="until" type="datetime-local" /></label>
        <button type="submit">Filter</button>
      </form>
      ${error && html`<div class="error">${error}</div>`}
      ${page &&
      html`<table data-testid="runs">
          <thead><tr><th>created</th><th>app</th><th>status</th><th>model</th><th>queued</th><th>ran</th><th>cost</th><th>run</th></tr></thead>
          <tbody>
            ${page.runs.map(
              (run: RunRecord) => html`<tr key=${run.run_id} class="clickable" onClick=${() => setOpen(run.run_id)} data-testid="run-row">
                <td>${when(run.created_at)}</td>
                <td>${run.app}</td>
                <td class=${`status-${run.status}`}>${run.status}${run.error_code ? ` · ${run.error_code}` : ''}</td>
                <td>${run.model}</td>
                <td>${ms(run.queue_wait_ms)}</td>
                <td>${ms(run.duration_ms)}</td>
                <td>${money(run.cost_usd)}</td>
                <td class="muted">${run.run_id}</td>
              </tr>`,
            )}
          </tbody>
        </table>
        ${page.runs.length === 0 && html`<p class="muted">No runs match.</p>`}
        <p>
          <button class="secondary" disabled=${pages.length === 0} onClick=${newer}>Newer</button>
          <button class="secondary" disabled=${!page.next_cursor} onClick=${older}>Older</button>
        </p>`}
    </section>
    ${open && html`<${Detail} runId=${open} onClose=${() => setOpen(null)} />`}
  `;
}
