// At most `maxConcurrent` runs at once; up to `maxQueued` more wait in FIFO
// order. A waiter leaves the line when its caller goes away or its deadline
// passes, so a dead request never takes a slot.

export type SlotRefusal = 'full' | 'timeout' | 'cancelled' | 'shutdown';
export type SlotResult = { ok: true; release: () => void } | { ok: false; reason: SlotRefusal };

interface Waiter {
  grant: () => void;
  refuse: (reason: SlotRefusal) => void;
}

export class RunQueue {
  private running = 0;
  private closed = false;
  private readonly waiters: Waiter[] = [];

  constructor(
    private readonly maxConcurrent: number,
    private readonly maxQueued: number,
  ) {}

  get runningCount(): number {
    return this.running;
  }

  get queuedCount(): number {
    return this.waiters.length;
  }

  /** Shutting down: every waiting run is refused, and so is every later one. */
  close(): void {
    this.closed = true;
    for (const waiter of [...this.waiters]) waiter.refuse('shutdown');
  }

  acquire(options: { signal: AbortSignal; deadline: number }): Promise<SlotResult> {
    if (this.closed) return Promise.resolve({ ok: false, reason: 'shutdown' });
    if (options.signal.aborted) return Promise.resolve({ ok: false, reason: 'cancelled' });
    if (this.running < this.maxConcurrent && this.waiters.length === 0) {
      this.running += 1;
      return Promise.resolve({ ok: true, release: this.releaser() });
    }
    if (this.waiters.length >= this.maxQueued) return Promise.resolve({ ok: false, reason: 'full' });

    return new Promise((resolve) => {
      const leave = (reason: SlotRefusal) => {
        const index = this.waiters.indexOf(waiter);
        if (index === -1) return;
        this.waiters.splice(index, 1);
        cleanup();
        resolve({ ok: false, reason });
      };
      const onAbort = () => leave('cancelled');
      const timer = setTimeout(() => leave('timeout'), Math.max(0, options.deadline - Date.now()));
      const cleanup = () => {
        clearTimeout(timer);
        options.signal.removeEventListener('abort', onAbort);
      };
      const waiter: Waiter = {
        grant: () => {
          cleanup();
          resolve({ ok: true, release: this.releaser() });
        },
        refuse: leave,
      };
      options.signal.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiters.shift();
      if (next) next.grant(); // the slot passes straight to the next in line
      else this.running -= 1;
    };
  }
}
