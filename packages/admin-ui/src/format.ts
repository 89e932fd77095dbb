// How figures read on the page.

export const money = (usd: number | null | undefined) => (usd === null || usd === undefined ? '—' : `$${usd.toFixed(usd >= 1 ? 2 : 4)}`);
export const ms = (value: number | null | undefined) => (value === null || value === undefined ? '—' : value >= 1000 ? `${(value / 1000).toFixed(1)} s` : `${value} ms`);
export const when = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleString() : '—');

export function bytes(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let amount = value;
  let unit = 0;
  while (amount >= 1024 && unit < units.length - 1) {
    amount /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? amount : amount.toFixed(1)} ${units[unit]}`;
}

export const orDash = (value: unknown) => (value === null || value === undefined || value === '' ? '—' : String(value));
