// Filters kept in the URL and the time ranges they carry: shared by the fleet, incidents, actions and audit lists,
// the host page's range bar and the rules backtest.

/** The search params with one parameter changed (empty removes it). */
export function withParam(params: URLSearchParams, name: string, value: string): URLSearchParams {
  const next = new URLSearchParams(params);
  if (value) next.set(name, value);
  else next.delete(name);
  return next;
}

/** A `datetime-local` value (or any time Date parses) as ISO-8601 UTC for the API; undefined when empty or bad. */
export function toIso(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/**
 * A time (ISO text, `datetime-local` text, epoch ms or a Date) as what a `datetime-local` input shows: the browser's
 * zone, to the minute, e.g. 2026-01-02T03:04. Empty when there is none or it does not parse.
 */
export function toLocalInput(value: string | number | Date | null | undefined): string {
  if (value === null || value === undefined || value === '') return '';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(
    date.getMinutes(),
  )}`;
}
