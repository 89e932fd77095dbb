// How much request body all connections together may hold in memory at once.
// Bodies are buffered only for authenticated callers, up to 4 MiB each, and
// only while they arrive (given back once parsed); this bounds the sum, and
// each caller's share of it, so one app cannot lock the others (or the admin)
// out. Past either, a request is refused with 503 server_busy.

export class BodyBudget {
  private held = 0;
  private readonly byCaller = new Map<string, number>();
  /** The most one caller (an app, the admin) may hold: a quarter of the budget, and never less than one full body. */
  readonly callerShare: number;

  constructor(
    readonly maxBytes: number,
    minShare: number,
  ) {
    this.callerShare = Math.max(minShare, Math.floor(maxBytes / 4));
  }

  /** Takes `bytes` for `caller`; false (and nothing taken) when that would exceed the budget or the caller's share. */
  take(caller: string, bytes: number): boolean {
    const mine = this.byCaller.get(caller) ?? 0;
    if (this.held + bytes > this.maxBytes || mine + bytes > this.callerShare) return false;
    this.held += bytes;
    this.byCaller.set(caller, mine + bytes);
    return true;
  }

  give(caller: string, bytes: number): void {
    if (bytes <= 0) return;
    this.held = Math.max(0, this.held - bytes);
    const left = (this.byCaller.get(caller) ?? 0) - bytes;
    if (left > 0) this.byCaller.set(caller, left);
    else this.byCaller.delete(caller);
  }

  get heldBytes(): number {
    return this.held;
  }
}
