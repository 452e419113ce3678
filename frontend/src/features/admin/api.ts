import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, query } from '../../lib/api';
import type { Role } from '../../lib/auth';
import type { AuditEntry } from '../actions/api';
import { toIso } from '../../lib/filters';
import type { Host, HostBody } from './hostForm';
import type { Settings, SettingsBody } from './settingsForm';

export type User = { id: number; username: string; role: Role; created_at: string; password_changed_at: string };
export type Token = {
  id: number;
  name: string;
  role: Role;
  created_by: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
};
export type Session = {
  id: number;
  username: string;
  address: string;
  created_at: string;
  last_seen: string;
  expires_at: string;
  current: boolean;
};
export type Refresh = { host_id: number; outcome: string; latency_ms: number; at: string };
export type Probe = {
  name: string;
  unit?: string | null;
  target?: string;
  ok: boolean;
  latency_ms?: number | null;
  error?: string | null;
  consecutive_failures?: number;
};

/** A mutation that refreshes the given queries afterwards. */
function useChange<I, O>(fn: (input: I) => Promise<O>, ...keys: string[][]) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSettled: () => Promise.all(keys.map((queryKey) => client.invalidateQueries({ queryKey }))),
  });
}

// hosts: the list is lib/hosts' useHosts (query key ['hosts']); these change it
export const useSaveHost = () =>
  useChange(
    ({ id, body }: { id?: number; body: HostBody }) =>
      id === undefined ? api.post<Host>('/api/v1/hosts', body) : api.put<Host>(`/api/v1/hosts/${id}`, body),
    ['hosts'],
  );
export const useDeleteHost = () => useChange((id: number) => api.delete<void>(`/api/v1/hosts/${id}`), ['hosts']);
export const useRefreshHost = () => useChange((id: number) => api.post<Refresh>(`/api/v1/hosts/${id}/refresh`), ['hosts']);
export const useHostProbes = (id: number) =>
  useQuery({
    queryKey: ['hosts', id, 'latest'],
    queryFn: () => api.get<{ snapshot: { probes?: Probe[] } | null }>(`/api/v1/hosts/${id}/latest`),
    select: (latest) => latest.snapshot?.probes ?? null,
  });

// users
export const useUsers = () => useQuery({ queryKey: ['users'], queryFn: () => api.get<User[]>('/api/v1/users') });
export const useCreateUser = () =>
  useChange((body: { username: string; password: string; role: Role }) => api.post<User>('/api/v1/users', body), ['users']);
export const useUpdateUser = () =>
  useChange(
    ({ id, ...body }: { id: number; role?: Role; password?: string }) => api.put<User>(`/api/v1/users/${id}`, body),
    ['users'],
    ['sessions'],
  );
export const useDeleteUser = () =>
  useChange((id: number) => api.delete<void>(`/api/v1/users/${id}`), ['users'], ['sessions']);

// sessions
export const useSessions = (all: boolean) =>
  useQuery({
    queryKey: ['sessions', all ? 'all' : 'mine'],
    queryFn: () => api.get<Session[]>(`/api/v1/auth/sessions${all ? '?all=true' : ''}`),
  });
export const useRevokeSession = () =>
  useChange((id: number) => api.delete<void>(`/api/v1/auth/sessions/${id}`), ['sessions']);
export const useChangePassword = () =>
  useChange(
    (body: { current_password: string; new_password: string }) => api.post<void>('/api/v1/auth/password', body),
    ['sessions'],
  );

// tokens
export const useTokens = () => useQuery({ queryKey: ['tokens'], queryFn: () => api.get<Token[]>('/api/v1/tokens') });
export const useCreateToken = () =>
  useChange(
    (body: { name: string; role: Role }) => api.post<Token & { token: string }>('/api/v1/tokens', body),
    ['tokens'],
  );
export const useRevokeToken = () => useChange((id: number) => api.delete<void>(`/api/v1/tokens/${id}`), ['tokens']);

// settings
export const useSettings = () =>
  useQuery({ queryKey: ['settings'], queryFn: () => api.get<Settings>('/api/v1/settings') });
export const useSaveSettings = () =>
  useChange((body: SettingsBody) => api.put<Settings>('/api/v1/settings', body), ['settings'], ['stats']);

// audit
export type AuditFilters = { actor: string; event: string; from: string; to: string; limit: string };

export function auditPath(filters: AuditFilters, format?: 'csv' | 'json'): string {
  return `/api/v1/audit${query({
    actor: filters.actor.trim(),
    event: filters.event.trim(),
    from: toIso(filters.from),
    to: toIso(filters.to),
    limit: filters.limit,
    format,
  })}`;
}

export const useAudit = (filters: AuditFilters) =>
  useQuery({
    queryKey: ['audit', filters],
    queryFn: () => api.get<AuditEntry[]>(auditPath(filters)),
    placeholderData: keepPreviousData,
  });
