import { api } from '../../lib/api';

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
