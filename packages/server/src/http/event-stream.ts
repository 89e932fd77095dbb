// Server-Sent Events on a response: the headers with the first event, a
// comment line between events so proxies and idle timers keep the stream open,
// and a reader that leaves too much unread cut off (which ends its request).
import type { ServerResponse } from 'node:http';
import type { RunEvent } from '@clawdforge/shared';
import type { Metrics } from '../metrics/metrics.js';

/** Between events, a comment line goes out at this interval. */
export const SSE_HEARTBEAT_MS = 15_000;
/** What a reader that does not keep up may leave unsent before it is cut off. */
const MAX_UNSENT_BYTES = 4 * 1024 * 1024;
/** Heartbeats in a row with unsent bytes not going down: the reader stopped reading, and is cut off. */
const STUCK_HEARTBEATS = 4;

const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  // nginx and the like would otherwise hold the events back.
  'x-accel-buffering': 'no',
};

/** True when the Accept header names text/event-stream. */
export function wantsEventStream(accept: string | undefined): boolean {
  return (accept ?? '').split(',').some((range) => range.split(';')[0]!.trim().toLowerCase() === 'text/event-stream');
}

/** One event as an SSE frame. JSON has no raw line breaks, so `data:` is one line whatever the text holds. */
export function sseFrame(event: RunEvent): string {
  return `id: ${event.seq}\nevent: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`;
}

export class EventStreamWriter {
  private heartbeat: NodeJS.Timeout | undefined;
  private isOpen = false;
  private unsentAtLastBeat = 0;
  private stuckBeats = 0;

  constructor(
    private readonly res: ServerResponse,
    private readonly heartbeatMs: number,
    private readonly metrics: Metrics,
  ) {}

  /** Whether the stream has started (its headers are sent). */
  get opened(): boolean {
    return this.isOpen;
  }

  send(event: RunEvent): void {
    this.open();
    this.write(sseFrame(event));
  }

  /** An event of another kind than a run's (the dashboard's snapshots): no id, one JSON line of data. */
  sendOther(type: string, data: unknown): void {
    this.open();
    this.write(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  /** Starts the stream now, before its first event. */
  open(): void {
    if (this.isOpen) return;
    this.isOpen = true;
    this.res.writeHead(200, SSE_HEADERS);
    this.heartbeat = setInterval(() => this.beat(), this.heartbeatMs);
    this.metrics.eventStreamOpened();
    this.res.once('close', () => {
      clearInterval(this.heartbeat);
      this.metrics.eventStreamClosed();
    });
  }

  /** Resolves once what was written has gone out (at once when nothing waits), or the stream closed. */
  drained(): Promise<void> {
    if (!this.res.writableNeedDrain || this.res.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.res.off('drain', done).off('close', done);
        resolve();
      };
      this.res.on('drain', done).on('close', done);
    });
  }

  end(): void {
    clearInterval(this.heartbeat);
    if (this.isOpen && !this.res.writableEnded) this.res.end();
  }

  private beat(): void {
    const unsent = this.res.writableLength;
    this.stuckBeats = unsent > 0 && unsent >= this.unsentAtLastBeat ? this.stuckBeats + 1 : 0;
    this.unsentAtLastBeat = unsent;
    if (this.stuckBeats >= STUCK_HEARTBEATS) this.res.destroy();
    else this.write(':\n\n');
  }

  private write(text: string): void {
    if (this.res.destroyed || this.res.writableEnded) return;
    this.res.write(text);
    if (this.res.writableLength > MAX_UNSENT_BYTES) this.res.destroy();
  }
}
