// The runs in the service right now, queued or running, for the dashboard's
// live view (GET /admin/live). Told of each change; costs a Map entry a run.
import type { LiveRun } from '@clawdforge/shared';

export class LiveRuns {
  private readonly runs = new Map<string, LiveRun>();
  private readonly listeners = new Set<() => void>();

  queued(run: Omit<LiveRun, 'phase'>): void {
    this.runs.set(run.run_id, { ...run, phase: 'queued' });
    this.changed();
  }

  running(runId: string, at: string): void {
    const run = this.runs.get(runId);
    if (!run) return;
    this.runs.set(runId, { ...run, phase: 'running', since: at });
    this.changed();
  }

  ended(runId: string): void {
    if (this.runs.delete(runId)) this.changed();
  }

  snapshot(): LiveRun[] {
    return [...this.runs.values()];
  }

  /** Calls `listener` after each change; returns how to stop. */
  watch(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
