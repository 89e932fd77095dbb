// Usage: runs and errors per day and per app, and cost per app, as charts;
// the figures behind them, p50/p95 duration included, as a table.
import type { UsageGroup, UsageReport } from '@clawdforge/shared';
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, query } from '../api.js';
import { BarChart, type Bar } from '../charts.js';
import { money, ms } from '../format.js';

const errorsOf = (group: UsageGroup) => group.runs - group.ok;
const runBars = (groups: UsageGroup[]): Bar[] =>
  groups.map((group) => ({
    label: group.key,
    parts: [
      { value: group.ok, className: 'ok', title: `${group.key}: ${group.ok} ok` },
      { value: errorsOf(group), className: 'errors', title: `${group.key}: ${errorsOf(group)} failed or refused` },
    ],
  }));
const costBars = (groups: UsageGroup[]): Bar[] => groups.map((group) => ({ label: group.key, parts: [{ value: group.cost_usd, className: 'cost', title: `${group.key}: ${money(group.cost_usd)}` }] }));

export function UsageView() {
  const [days, setDays] = useState(14);
  const [byApp, setByApp] = useState<UsageReport | null>(null);
  const [byDay, setByDay] = useState<UsageReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const since = new Date(Date.now() - days * 86_400_000).toISOString();
    Promise.all([api.get<UsageReport>(`/admin/usage${query({ group_by: 'app', since })}`), api.get<UsageReport>(`/admin/usage${query({ group_by: 'day', since })}`)]).then(
      ([apps, perDay]) => {
        setByApp(apps);
        setByDay({ ...perDay, groups: [...perDay.groups].sort((a, b) => a.key.localeCompare(b.key)) });
      },
      (caught: unknown) => setError(caught instanceof ApiError ? caught.message : String(caught)),
    );
  }, [days]);
  return html`
    <section>
      <h2>
        Usage over the last
        <select value=${days} onChange=${(event: Event) => setDays(Number((event.currentTarget as HTMLSelectElement).value))}>
          ${[1, 7, 14, 30, 90].map((n) => html`<option value=${n}>${n} days</option>`)}
        </select>
      </h2>
      ${error && html`<div class="error">${error}</div>`}
      ${byApp &&
      byDay &&
      html`<div class="charts">
        <${BarChart} title="Runs per day (ok, failed)" bars=${runBars(byDay.groups)} format=${(n: number) => String(Math.round(n))} testId="chart-runs-per-day" />
        <${BarChart} title="Runs per app (ok, failed)" bars=${runBars(byApp.groups)} format=${(n: number) => String(Math.round(n))} testId="chart-runs-per-app" />
        <${BarChart} title="Cost per app" bars=${costBars(byApp.groups)} format=${money} testId="chart-cost-per-app" />
        <${BarChart} title="Cost per day" bars=${costBars(byDay.groups)} format=${money} testId="chart-cost-per-day" />
      </div>`}
    </section>
    ${byApp &&
    html`<section>
      <h2>Per app</h2>
      <table data-testid="usage-table">
        <thead><tr><th>app</th><th>runs</th><th>ok</th><th>errors</th><th>p50</th><th>p95</th><th>queue p95</th><th>tokens in / out</th><th>cost</th></tr></thead>
        <tbody>
          ${byApp.groups.map(
            (group) => html`<tr key=${group.key}>
              <td>${group.key}</td><td>${group.runs}</td><td>${group.ok}</td>
              <td>${Object.entries(group.errors).map(([code, count]) => `${code} ${count}`).join(', ') || '—'}</td>
              <td>${ms(group.duration_ms_p50)}</td><td>${ms(group.duration_ms_p95)}</td><td>${ms(group.queue_wait_ms_p95)}</td>
              <td>${group.input_tokens} / ${group.output_tokens}</td><td>${money(group.cost_usd)}</td>
            </tr>`,
          )}
        </tbody>
      </table>
    </section>`}
  `;
}
