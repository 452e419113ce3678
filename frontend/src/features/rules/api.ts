import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, query } from '../../lib/api';

export type Problem = { file: string; line: number; column: number; message: string };
export type FileState = 'loaded' | 'error' | 'stale';

export type RulesStatus = {
  folder: string;
  loaded_at: string;
  status: 'loaded' | 'error';
  files: { name: string; status: FileState; problems: Problem[] }[];
  problems: Problem[];
  rules: string[];
};

export type RuleFile = { name: string; content: string; status: FileState; problems: Problem[] };
export type Validation = { valid: boolean; problems: Problem[] };

export type BacktestIncident = {
  key: string;
  kind: string;
  subject: string;
  severity: string;
  message: string;
  opened_at: string;
  resolved_at?: string | null;
  changes: number;
};
export type BacktestAction = { at: string; type: string; target: string; reason: string; status: string; detail: string };
export type BacktestResult = {
  host_id: number;
  from: string;
  to: string;
  rules: 'running' | 'candidate';
  samples: number;
  unreadable_samples: number;
  incidents: BacktestIncident[];
  actions: BacktestAction[];
};
export type BacktestRequest = { host: number; from: string; to: string; rules: Record<string, string> };

export type Gauge = { avg: number | null; max: number | null };
export type MetricsPoint = { t: string; samples: number; cpu?: Gauge } & Record<string, unknown>;
export type Metrics = { host_id: number; from: string; to: string; step_seconds: number; points: MetricsPoint[] };

/** A rule file is named like cpu.drl: a letter or digit, then letters, digits, _ . -, and the .drl ending (the server's rule). */
export const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}\.drl$/;

const path = (file: string) => `/api/v1/rules/${encodeURIComponent(file)}`;

/** The problems a refusal (400 invalid_rules) carries, if it carries any. */
export function refusedProblems(error: unknown): Problem[] | undefined {
  if (!(error instanceof ApiError) || !error.body || typeof error.body !== 'object') return undefined;
  const problems = (error.body as { problems?: unknown }).problems;
  return Array.isArray(problems) ? (problems as Problem[]) : undefined;
}

export function useRuleFiles() {
  return useQuery({ queryKey: ['rules'], queryFn: () => api.get<RulesStatus>('/api/v1/rules') });
}

export function useRuleFile(file: string) {
  return useQuery({ queryKey: ['rules', 'file', file], queryFn: () => api.get<RuleFile>(path(file)) });
}

export function useValidate() {
  return useMutation({
    mutationFn: (body: { name: string; content: string }) => api.post<Validation>('/api/v1/rules/validate', body),
  });
}

export function useSaveRule(file: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (content: string) => api.put<{ name: string; status: string; problems: Problem[] }>(path(file), { content }),
    onSuccess: (_data, content) => {
      client.setQueryData<RuleFile>(['rules', 'file', file], (old) =>
        old ? { ...old, content, status: 'loaded', problems: [] } : { name: file, content, status: 'loaded', problems: [] },
      );
      void client.invalidateQueries({ queryKey: ['rules'] });
    },
  });
}

export function useBacktest() {
  return useMutation({
    mutationFn: (body: BacktestRequest) => api.post<BacktestResult>('/api/v1/rules/backtest', body),
  });
}

/** A step that keeps a range near 1,000 points, never below a minute. */
export function stepFor(fromMs: number, toMs: number): number {
  return Math.max(60, Math.ceil((toMs - fromMs) / 1000 / 1000));
}

export function useHostMetrics(host: number | undefined, from: string, to: string) {
  return useQuery({
    queryKey: ['host-metrics', host, from, to],
    enabled: host !== undefined,
    queryFn: () =>
      api.get<Metrics>(
        `/api/v1/hosts/${host}/metrics${query({ from, to, step: stepFor(Date.parse(from), Date.parse(to)) })}`,
      ),
  });
}
