import type { IncidentFilters } from './api';

/** A `datetime-local` value (or any time Date parses) as ISO-8601 UTC for the API; undefined when empty or bad. */
export function toIso(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** An ISO time or a `datetime-local` value as what a `datetime-local` input shows (browser zone, minutes). */
export function toLocalInput(value: string | null | undefined): string {
  if (!value) return '';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

const STATES = ['open', 'acknowledged', 'resolved', 'all'] as const;

/** The incident filters in the URL: state defaults to open. */
export function incidentFilters(params: URLSearchParams): IncidentFilters {
  const state = params.get('state');
  return {
    state: (STATES as readonly string[]).includes(state ?? '') ? (state as IncidentFilters['state']) : 'open',
    severity: params.get('severity') ?? '',
    host: params.get('host') ?? '',
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
  };
}

/** The search params with one filter changed (empty removes it). */
export function withParam(params: URLSearchParams, name: string, value: string): URLSearchParams {
  const next = new URLSearchParams(params);
  if (value) next.set(name, value);
  else next.delete(name);
  return next;
}
