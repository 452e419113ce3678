import { useQuery, type QueryClient } from '@tanstack/react-query';
import { api, query } from '../../lib/api';
import { hostsQuery, type HostStatus } from '../../lib/hosts';

export type { Host, HostStatus } from '../../lib/hosts';

export type Worst = { host_id: number; host: string; value: number; mount?: string } | null;

export type Stats = {
  generated_at: string;
  dry_run: boolean;
  hosts: { total: number; up: number; down: number; unknown: number; maintenance: number };
  worst: { cpu: Worst; memory: Worst; disk: Worst; load: Worst };
  incidents: { critical: number; warning: number };
  pending_approvals: number;
  actions_24h: { by_outcome: Record<string, number>; median_recovery_seconds: number | null };
};

export const statsQuery = { queryKey: ['stats'], queryFn: () => api.get<Stats>('/api/v1/stats') };

/** One host's latest headline numbers (`GET /api/v1/fleet`); spark is CPU %, oldest first, at most 30. */
export type FleetEntry = {
  host_id: number;
  status: HostStatus;
  at: string | null;
  cpu: number | null;
  memory: number | null;
  disk: number | null;
  load1: number | null;
  spark: number[];
};

export type Severity = 'critical' | 'warning' | string;

/** An open incident with its host's name (`GET /api/v1/warnings`). */
export type Warning = {
  id: number;
  host_id: number;
  host: string;
  kind: string;
  subject: string;
  severity: Severity;
  message: string;
  state: string;
  first_seen: string;
  last_seen: string;
};

/** A maintenance window (MaintenanceService): for one host or for every host of a group. */
export type MaintenanceWindow = {
  id: number;
  host_id: number | null;
  group: string | null;
  starts_at: string;
  ends_at: string;
  reason: string;
  created_by: string;
};

export const fleetQuery = { queryKey: ['fleet'], queryFn: () => api.get<FleetEntry[]>('/api/v1/fleet') };
export const warningsQuery = {
  queryKey: ['warnings'],
  queryFn: () => api.get<Warning[]>(`/api/v1/warnings${query({ limit: 5000 })}`),
};
export const maintenanceQuery = {
  queryKey: ['maintenance'],
  queryFn: () => api.get<MaintenanceWindow[]>('/api/v1/maintenance'),
};

/**
 * Starts the dashboard's queries at page load, beside the login check, so a large fleet's first paint waits for one
 * round trip instead of two. Without a session they fail quietly and are dropped: the login check decides.
 */
export function prefetchDashboard(client: QueryClient) {
  const queries: { queryKey: string[]; queryFn: () => Promise<unknown> }[] = [
    statsQuery,
    hostsQuery,
    fleetQuery,
    warningsQuery,
    maintenanceQuery,
  ];
  for (const q of queries) {
    void client.prefetchQuery(q).then(() => {
      if (client.getQueryState(q.queryKey)?.status === 'error') client.removeQueries({ queryKey: q.queryKey, exact: true });
    });
  }
}

export const useStats = () => useQuery(statsQuery);
/** Not refetched on a timer: the `samples` events keep it current in the cache (see live.ts). */
export const useFleet = () => useQuery(fleetQuery);
export const useWarnings = () => useQuery(warningsQuery);
export const useMaintenance = () => useQuery({ ...maintenanceQuery, refetchInterval: 60_000 });
