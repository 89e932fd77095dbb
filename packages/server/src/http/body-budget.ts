// How much request body all connections together may hold in memory at once.
// Bodies are buffered only for authenticated callers and only up to 4 MiB
// each; this bounds the sum, so many slow or concurrent bodies cannot add up
// to the process's memory. Past it a request is refused with 503 server_busy.

export class BodyBudget {
  private held = 0;

  constructor(readonly maxBytes: number) {}

  /** Takes `bytes` from the budget; false (and nothing taken) when that would exceed it. */
  take(bytes: number): boolean {
    if (this.held + bytes > this.maxBytes) return false;
    this.held += bytes;
    return true;
  }

  give(bytes: number): void {
    this.held = Math.max(0, this.held - bytes);
  }

  get heldBytes(): number {
    return this.held;
  }
}
