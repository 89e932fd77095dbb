// At most `maxConcurrent` runs at once, and at most an app's own cap of them.
// Up to `maxQueued` more wait. A free slot goes to the apps with runs waiting
// in turn (round-robin), and within an app to its oldest run (FIFO), so one
// flooding app cannot starve the others. When the line is full, a newcomer
// from an app with fewer runs waiting takes the place of the newest run of the
// app with the most, which is refused as queue_full.
// A waiter leaves the line when its caller goes away or its deadline passes,
// so a dead request never takes a slot.

export type SlotRefusal = 'full' | 'timeout' | 'cancelled' | 'shutdown';
export type SlotResult = { ok: true; release: () => void } | { ok: false; reason: SlotRefusal };

export interface SlotRequest {
  app: string;
  /** The app's own concurrency cap; null: only the global one. */
  appMaxConcurrent: number | null;
  signal: AbortSignal;
  deadline: number;
  /** Told once, when the run is in line or starts at once: how many runs wait ahead of it. */
  onQueued?: ((position: number) => void) | undefined;
}

interface Waiter {
  request: SlotRequest;
  grant: () => void;
  refuse: (reason: SlotRefusal) => void;
}

export class RunQueue {
  private running = 0;
  private closed = false;
  private readonly runningByApp = new Map<string, number>();
  /** Waiting runs per app, oldest first; Map order is the round-robin order. */
  private readonly waitingByApp = new Map<string, Waiter[]>();
  private waiting = 0;

  constructor(
    private readonly maxConcurrent: number,
    private readonly maxQueued: number,
  ) {}

  get runningCount(): number {
    return this.running;
  }

  get queuedCount(): number {
    return this.waiting;
  }

  /** Shutting down: every waiting run is refused, and so is every later one. */
  close(): void {
    this.closed = true;
    for (const waiters of [...this.waitingByApp.values()]) for (const waiter of [...waiters]) waiter.refuse('shutdown');
  }

  acquire(request: SlotRequest): Promise<SlotResult> {
    if (this.closed) return Promise.resolve({ ok: false, reason: 'shutdown' });
    if (request.signal.aborted) return Promise.resolve({ ok: false, reason: 'cancelled' });
    if (this.waiting === 0 && this.canStart(request)) {
      request.onQueued?.(0);
      return Promise.resolve({ ok: true, release: this.start(request.app) });
    }
    if (this.waiting >= this.maxQueued && !this.makeRoomFor(request.app)) return Promise.resolve({ ok: false, reason: 'full' });

    return new Promise((resolve) => {
      const leave = (reason: SlotRefusal) => {
        if (!this.remove(waiter)) return;
        cleanup();
        resolve({ ok: false, reason });
      };
      const onAbort = () => leave('cancelled');
      const timer = setTimeout(() => leave('timeout'), Math.max(0, request.deadline - Date.now()));
      const cleanup = () => {
        clearTimeout(timer);
        request.signal.removeEventListener('abort', onAbort);
      };
      const waiter: Waiter = {
        request,
        grant: () => {
          cleanup();
          resolve({ ok: true, release: this.start(request.app) });
        },
        refuse: leave,
      };
      request.signal.addEventListener('abort', onAbort, { once: true });
      const line = this.waitingByApp.get(request.app);
      if (line) line.push(waiter);
      else this.waitingByApp.set(request.app, [waiter]);
      const ahead = this.waiting;
      this.waiting += 1;
      request.onQueued?.(ahead);
      this.dispatch(); // the app's cap may leave a global slot free for another app's waiter
    });
  }

  private canStart(request: SlotRequest): boolean {
    const appRunning = this.runningByApp.get(request.app) ?? 0;
    return this.running < this.maxConcurrent && (request.appMaxConcurrent === null || appRunning < request.appMaxConcurrent);
  }

  private start(app: string): () => void {
    this.running += 1;
    this.runningByApp.set(app, (this.runningByApp.get(app) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running -= 1;
      const left = (this.runningByApp.get(app) ?? 1) - 1;
      if (left === 0) this.runningByApp.delete(app);
      else this.runningByApp.set(app, left);
      this.dispatch();
    };
  }

  /** Grants free slots: each turn goes to the next app in line that may start one. */
  private dispatch(): void {
    while (this.running < this.maxConcurrent) {
      const waiter = this.nextToStart();
      if (!waiter) return;
      this.remove(waiter);
      // Served: the app goes to the back of the round.
      if (this.waitingByApp.has(waiter.request.app)) this.moveToBack(waiter.request.app);
      waiter.grant();
    }
  }

  /** The oldest waiter of the first app, in round-robin order, that is under its own cap. */
  private nextToStart(): Waiter | undefined {
    for (const waiters of this.waitingByApp.values()) if (this.canStart(waiters[0]!.request)) return waiters[0];
    return undefined;
  }

  private moveToBack(app: string): void {
    const waiters = this.waitingByApp.get(app)!;
    this.waitingByApp.delete(app);
    this.waitingByApp.set(app, waiters);
  }

  /** Refuses the newest waiter of the app with the most waiting, if that app has more than `app`. */
  private makeRoomFor(app: string): boolean {
    let largest: Waiter[] | undefined;
    for (const waiters of this.waitingByApp.values()) if (!largest || waiters.length > largest.length) largest = waiters;
    const own = this.waitingByApp.get(app)?.length ?? 0;
    if (!largest || largest.length <= own + 1) return false;
    largest.at(-1)!.refuse('full');
    return true;
  }

  private remove(waiter: Waiter): boolean {
    const waiters = this.waitingByApp.get(waiter.request.app);
    const index = waiters?.indexOf(waiter) ?? -1;
    if (!waiters || index === -1) return false;
    waiters.splice(index, 1);
    if (waiters.length === 0) this.waitingByApp.delete(waiter.request.app);
    this.waiting -= 1;
    return true;
  }
}
