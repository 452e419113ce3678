// The host registry, `GET /api/v1/hosts` under query key ['hosts'] (LiveQueries reloads it on host events): one
// query for every page that lists, filters by or names hosts.
import { useQuery } from '@tanstack/react-query';
import { api } from './api';

export type HostStatus = 'up' | 'down' | 'unknown';

/** A registered host as `GET /api/v1/hosts` lists it (HostJson plus its status). */
export type Host = {
  id: number;
  name: string;
  url: string;
  /** the host's own poll interval; null: it follows the default of the settings */
  interval_seconds: number | null;
  /** the interval it is polled at (its own, or the settings' default) */
  effective_interval_seconds: number;
  group: string | null;
  labels: Record<string, string>;
  policy: {
    allowed_services: string[];
    killable_processes: string[];
    auto_reboot: boolean;
    dry_run: boolean;
    /** restarts and kills on this host wait for an operator's approval */
    require_approval: boolean;
  };
  has_action_token: boolean;
  created_at: string;
  updated_at: string;
  status: HostStatus;
};

export const hostsQuery = { queryKey: ['hosts'], queryFn: () => api.get<Host[]>('/api/v1/hosts') };

export function useHosts() {
  return useQuery(hostsQuery);
}

/** host id → name, for tables that only carry the id. */
export function useHostNames(): (id: number) => string {
  const hosts = useHosts();
  return (id) => hosts.data?.find((h) => h.id === id)?.name ?? `host ${id}`;
}
