// Timestamps are stored as Date#toISOString() text ('2026-11-28T20:15:00.000Z'),
// so text order is time order. A caller's instant ('...T20:15Z', '...T20:15:00Z')
// must be written the same way before it is compared with them.
export function storedInstant(iso: string): string {
  return new Date(Date.parse(iso)).toISOString();
}
