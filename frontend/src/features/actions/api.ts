import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, query } from '../../lib/api';
import { toIso } from '../../lib/filters';

export const ACTION_TYPES = ['restart_service', 'kill_process', 'reboot'] as const;
export type ActionType = (typeof ACTION_TYPES)[number];

export const ACTION_STATUSES = [
  'pending_approval',
  'approved',
  'rejected',
  'suppressed',
  'dry_run',
  'dispatched',
  'succeeded',
  'failed',
  'refused',
] as const;

/** An action as the server writes it (ActionsService.json). */
export type Action = {
  id: string;
  host_id: number;
  type: ActionType | string;
  target: string;
  reason: string;
  status: string;
  detail: string;
  requested_by: string;
  created_at: string;
  updated_at: string;
  pid: number | null;
  create_time: number | null;
  decided_by: string | null;
  incident_id: number | null;
  attempts: number;
  dispatched_at: string | null;
  finished_at: string | null;
};

/** One audit log entry (AuditService.json). */
export type AuditEntry = {
  id: number;
  at: string;
  actor: string;
  event: string;
  subject: string;
  detail: string;
  address: string | null;
  result: string | null;
};

export type ActionFilters = { status: string; type: string; host: string; from: string; to: string };

export function actionFilters(params: URLSearchParams): ActionFilters {
  return {
    status: params.get('status') ?? '',
    type: params.get('type') ?? '',
    host: params.get('host') ?? '',
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
  };
}

/** The server filters by status, host and time; type is not one of its query parameters, so it is applied here. */
export function actionsPath(filters: Partial<ActionFilters>): string {
  return `/api/v1/actions${query({
    status: filters.status,
    host: filters.host,
    from: toIso(filters.from),
    to: toIso(filters.to),
  })}`;
}

export function useActions(filters: ActionFilters) {
  return useQuery({
    queryKey: ['actions', 'list', filters],
    queryFn: () => api.get<Action[]>(actionsPath(filters)),
    select: (list) => (filters.type ? list.filter((a) => a.type === filters.type) : list),
    placeholderData: keepPreviousData,
  });
}

export function usePendingActions() {
  return useQuery({
    queryKey: ['actions', 'pending'],
    queryFn: () => api.get<Action[]>(actionsPath({ status: 'pending_approval' })),
  });
}

/** One action with its audit trail: `GET /actions/{id}` answers both (`"trail"`: its audit entries, oldest first). */
export type ActionWithTrail = Action & { trail?: AuditEntry[] };

function actionQuery(id: string | null | undefined) {
  return {
    queryKey: ['actions', 'one', id],
    queryFn: () => api.get<ActionWithTrail>(`/api/v1/actions/${encodeURIComponent(id ?? '')}`),
    enabled: !!id,
  };
}

export function useAction(id: string | null | undefined) {
  return useQuery(actionQuery(id));
}

/** The action's audit trail, from the same request (and cache entry) as useAction. */
export function useActionTrail(id: string | null | undefined) {
  return useQuery({ ...actionQuery(id), select: (action: ActionWithTrail) => action.trail ?? [] });
}

export function useDecide() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, approve }: { id: string; approve: boolean }) =>
      api.post<Action>(`/api/v1/actions/${encodeURIComponent(id)}/${approve ? 'approve' : 'reject'}`),
    onSettled: () => client.invalidateQueries({ queryKey: ['actions'] }),
  });
}

export type NewAction = {
  host_id: number;
  type: ActionType;
  target: string;
  reason: string;
  pid?: number;
  create_time?: number;
};

export function useCreateAction() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: NewAction) => api.post<Action>('/api/v1/actions', body),
    onSettled: () => client.invalidateQueries({ queryKey: ['actions'] }),
  });
}

/** The processes the agent last reported (for a kill's PID and start time). */
export type ReportedProcess = { pid: number; name: string; username?: string; create_time: number };

export function useHostProcesses(hostId: number | undefined) {
  return useQuery({
    queryKey: ['hosts', hostId, 'latest'],
    queryFn: () =>
      api.get<{ snapshot: { processes?: { top?: ReportedProcess[] } } | null }>(`/api/v1/hosts/${hostId}/latest`),
    enabled: hostId !== undefined,
    select: (latest) => latest.snapshot?.processes?.top ?? [],
  });
}
