import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, query } from '../../lib/api';
import { maintenanceQuery, type Host, type HostStatus, type MaintenanceWindow } from '../fleet/api';
import { bounds, pickStep, type Metrics, type Range } from './series';
import type { Action, Incident } from './timeline';

export type { Host, MaintenanceWindow };

/** The agent snapshot (monitor-agent docs/agent.md), the parts this page shows; every part may be missing. */
export type Snapshot = {
  hostname?: string;
  collected_at?: string;
  uptime_seconds?: number;
  cpu?: { percent: number; count_logical?: number; load_avg?: number[] };
  virtual_memory?: { total: number; used: number; available: number; percent: number };
  swap_memory?: { total: number; used: number; percent: number };
  disk_usage?: { mountpoint: string; device: string; fstype: string; total: number; used: number; free: number; percent: number }[];
  processes?: {
    total: number;
    top: { pid: number; name: string; username?: string; cpu_percent: number; memory_percent: number; rss: number; create_time: number }[];
  };
  services?: { unit: string; active_state: string; sub_state: string; load_state: string }[];
  probes?: {
    name: string;
    unit: string;
    target?: string;
    ok: boolean;
    latency_ms: number;
    error: string | null;
    consecutive_failures: number;
  }[];
  disk_health?: { device: string; passed: boolean; status: string }[];
};

export type Latest = {
  host_id: number;
  name: string;
  status: HostStatus;
  consecutive_failures: number;
  last_poll: { at: string; outcome: string; detail: string; latency_ms: number } | null;
  received_at: string | null;
  snapshot: Snapshot | null;
};

export type RefreshResult = { host_id: number; outcome: string; latency_ms: number; at: string };

// ['hosts', …] keys: host_up/host_down events reload them (LiveQueries)
export const useHost = (id: number) =>
  useQuery({ queryKey: ['hosts', id], queryFn: () => api.get<Host>(`/api/v1/hosts/${id}`) });

export const useLatest = (id: number, intervalSeconds: number | undefined) =>
  useQuery({
    queryKey: ['hosts', id, 'latest'],
    queryFn: () => api.get<Latest>(`/api/v1/hosts/${id}/latest`),
    refetchInterval: Math.max(intervalSeconds ?? 10, 10) * 1000,
  });

/** A preset range slides with now: reloaded every minute; a custom range is fixed. */
export const useMetrics = (id: number, range: Range, intervalSeconds: number | undefined) =>
  useQuery({
    queryKey: ['host-metrics', id, range.key, intervalSeconds],
    queryFn: () => {
      const { from, to } = bounds(range, Date.now());
      const step = pickStep(to - from, intervalSeconds);
      return api.get<Metrics>(
        `/api/v1/hosts/${id}/metrics${query({ from: new Date(from).toISOString(), to: new Date(to).toISOString(), step })}`,
      );
    },
    enabled: intervalSeconds !== undefined,
    refetchInterval: range.kind === 'preset' ? 60_000 : false,
    placeholderData: (previous) => previous,
  });

/** The host's incidents and actions in the range; the key's first word lets live events reload it. */
export const useTimeline = (id: number, range: Range) =>
  useQuery({
    queryKey: ['host-timeline', id, range.key],
    queryFn: async () => {
      const { from, to } = bounds(range, Date.now());
      const params = { host: id, from: new Date(from).toISOString(), to: new Date(to).toISOString(), limit: 500 };
      const [incidents, actions] = await Promise.all([
        api.get<Incident[]>(`/api/v1/incidents${query(params)}`),
        api.get<Action[]>(`/api/v1/actions${query(params)}`),
      ]);
      return { incidents, actions };
    },
  });

export const useMaintenanceWindows = () => useQuery(maintenanceQuery);

export function useRefresh(id: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<RefreshResult>(`/api/v1/hosts/${id}/refresh`),
    onSettled: () => client.invalidateQueries({ queryKey: ['hosts', id] }),
  });
}

export function useStartMaintenance(id: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ minutes, reason }: { minutes: number; reason: string }) =>
      api.post<MaintenanceWindow>('/api/v1/maintenance', {
        host_id: id,
        ends_at: new Date(Date.now() + minutes * 60_000).toISOString(),
        reason,
      }),
    onSettled: () => {
      void client.invalidateQueries({ queryKey: ['maintenance'] });
      void client.invalidateQueries({ queryKey: ['stats'] });
    },
  });
}

export function useStopMaintenance() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (windowId: number) => api.delete<void>(`/api/v1/maintenance/${windowId}`),
    onSettled: () => {
      void client.invalidateQueries({ queryKey: ['maintenance'] });
      void client.invalidateQueries({ queryKey: ['stats'] });
    },
  });
}

/** A manual reboot goes through the gate like the rules' actions: usually it waits for an admin's approval. */
export function useRequestReboot(host: Host) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (reason: string) =>
      api.post<Action>('/api/v1/actions', { host_id: host.id, type: 'reboot', target: host.name, reason }),
    onSettled: () => {
      void client.invalidateQueries({ queryKey: ['actions'] });
      void client.invalidateQueries({ queryKey: ['host-timeline', host.id] });
    },
  });
}
