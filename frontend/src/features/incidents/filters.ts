import type { IncidentFilters } from './api';

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
