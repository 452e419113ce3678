import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, query } from '../../lib/api';

export const REPORTS = [
  { name: 'overview', title: 'Overview' },
  { name: 'incidents', title: 'Incidents' },
  { name: 'actions', title: 'Actions' },
  { name: 'hosts', title: 'Hosts' },
] as const;
export type ReportName = (typeof REPORTS)[number]['name'];

export const RANGES = [
  { key: '24h', label: '24 h', hours: 24 },
  { key: '7d', label: '7 d', hours: 7 * 24 },
  { key: '30d', label: '30 d', hours: 30 * 24 },
  { key: '90d', label: '90 d', hours: 90 * 24 },
] as const;
export type RangeKey = (typeof RANGES)[number]['key'];
export const DEFAULT_RANGE: RangeKey = '7d';

export type Row = Record<string, unknown>;
export type Report = {
  report: string;
  from: string;
  to: string;
  filters: Record<string, unknown>;
  tables: Record<string, Row[]>;
  series: Record<string, unknown>;
};

export type Filters = { name: ReportName; range: RangeKey; host?: string; group?: string };

export function isReport(name: string | undefined): name is ReportName {
  return REPORTS.some((r) => r.name === name);
}

export function rangeKey(value: string | null): RangeKey {
  return RANGES.find((r) => r.key === value)?.key ?? DEFAULT_RANGE;
}

/** The range ending now (to the minute, so links and queries made within a minute agree). */
export function rangeBounds(range: RangeKey, now: number = Date.now()): { from: string; to: string } {
  const hours = RANGES.find((r) => r.key === range)!.hours;
  const to = Math.ceil(now / 60_000) * 60_000;
  return { from: new Date(to - hours * 3600_000).toISOString(), to: new Date(to).toISOString() };
}

export function reportUrl(filters: Filters, format: 'json' | 'csv', now?: number): string {
  const { from, to } = rangeBounds(filters.range, now);
  return `/api/v1/reports/${filters.name}${query({ from, to, host: filters.host, group: filters.group, format })}`;
}

export function useReport(filters: Filters) {
  return useQuery({
    queryKey: ['reports', filters.name, filters.range, filters.host ?? '', filters.group ?? ''],
    queryFn: () => api.get<Report>(reportUrl(filters, 'json')),
    placeholderData: keepPreviousData,
  });
}
