import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, query } from '../../lib/api';
import { toIso } from '../../lib/filters';

export type Severity = 'critical' | 'warning' | string;
export type IncidentState = 'open' | 'acknowledged' | 'resolved';

/** An incident as the server writes it (IncidentsService.json). */
export type Incident = {
  id: number;
  host_id: number;
  key: string;
  kind: string;
  subject: string;
  severity: Severity;
  message: string;
  state: IncidentState;
  occurrences: number;
  first_seen: string;
  last_seen: string;
  acknowledged_by: string | null;
  resolved_at: string | null;
  resolved_by: string | null;
  action_id: string | null;
  action_status: string | null;
  remediated_at: string | null;
  recovery_seconds: number | null;
};

export type IncidentFilters = {
  state: 'open' | 'acknowledged' | 'resolved' | 'all';
  severity: string;
  host: string;
  from: string;
  to: string;
};

/**
 * The server filters by state, host and time; severity is not one of its query parameters (it refuses unknown
 * ones), so it is applied here.
 */
export function incidentsPath(filters: IncidentFilters): string {
  return `/api/v1/incidents${query({
    state: filters.state === 'all' ? undefined : filters.state,
    host: filters.host,
    from: toIso(filters.from),
    to: toIso(filters.to),
  })}`;
}

export function useIncidents(filters: IncidentFilters) {
  return useQuery({
    queryKey: ['incidents', filters],
    queryFn: () => api.get<Incident[]>(incidentsPath(filters)),
    select: (list) => (filters.severity ? list.filter((i) => i.severity === filters.severity) : list),
    placeholderData: keepPreviousData,
  });
}

export function useIncident(id: string | undefined) {
  return useQuery({
    queryKey: ['incidents', 'one', id],
    queryFn: () => api.get<Incident>(`/api/v1/incidents/${encodeURIComponent(id ?? '')}`),
    enabled: id !== undefined,
  });
}

/** Acknowledge (with an optional comment, which the audit log keeps) or resolve one or more incidents. */
export function useIncidentStep(step: 'ack' | 'resolve') {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ ids, comment = '' }: { ids: number[]; comment?: string }) => {
      const failures: string[] = [];
      for (const id of ids) {
        try {
          await api.post<Incident>(`/api/v1/incidents/${id}/${step}`, comment.trim() ? { comment: comment.trim() } : {});
        } catch (e) {
          failures.push(`#${id}: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
      if (failures.length) throw new Error(failures.join('; '));
    },
    onSettled: () => client.invalidateQueries({ queryKey: ['incidents'] }),
  });
}
