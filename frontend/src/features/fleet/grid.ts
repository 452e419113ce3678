// The fleet grid's rows: the hosts joined with their latest numbers and open incidents, then filtered and sorted.
// Pure functions only, so that the order and the filters are tested without a browser.
import type { FleetEntry, Host, HostStatus, MaintenanceWindow, Warning } from './api';

export type Row = {
  id: number;
  name: string;
  group: string | null;
  labels: Record<string, string>;
  url: string;
  status: HostStatus;
  maintenance: boolean;
  at: string | null;
  cpu: number | null;
  memory: number | null;
  disk: number | null;
  load1: number | null;
  spark: number[];
  incidents: number;
  worst: 'critical' | 'warning' | null;
};

export function joinRows(
  hosts: Host[],
  fleet: FleetEntry[] | undefined,
  warnings: Warning[] | undefined,
  windows: MaintenanceWindow[] | undefined = [],
): Row[] {
  const latest = new Map((fleet ?? []).map((f) => [f.host_id, f]));
  const open = new Map<number, { count: number; worst: Row['worst'] }>();
  for (const w of warnings ?? []) {
    const entry = open.get(w.host_id) ?? { count: 0, worst: null };
    entry.count++;
    if (w.severity === 'critical') entry.worst = 'critical';
    else if (w.severity === 'warning' && entry.worst === null) entry.worst = 'warning';
    open.set(w.host_id, entry);
  }
  const hostWindows = new Set((windows ?? []).filter((w) => w.host_id !== null).map((w) => w.host_id));
  const groupWindows = new Set((windows ?? []).filter((w) => w.group).map((w) => w.group));
  return hosts.map((host) => {
    const f = latest.get(host.id);
    const incidents = open.get(host.id);
    return {
      id: host.id,
      name: host.name,
      group: host.group,
      labels: host.labels ?? {},
      url: host.url,
      status: f?.status ?? host.status ?? 'unknown',
      maintenance: hostWindows.has(host.id) || (host.group !== null && groupWindows.has(host.group)),
      at: f?.at ?? null,
      cpu: f?.cpu ?? null,
      memory: f?.memory ?? null,
      disk: f?.disk ?? null,
      load1: f?.load1 ?? null,
      spark: f?.spark ?? [],
      incidents: incidents?.count ?? 0,
      worst: incidents?.worst ?? null,
    };
  });
}

// ---- filters (kept in the URL's search params) ----

export const STATES = ['up', 'down', 'unknown', 'maintenance'] as const;
export type StateFilter = (typeof STATES)[number];

export type Filters = { q: string; group: string; label: string; state: StateFilter | '' };

export function readFilters(params: URLSearchParams): Filters {
  const state = params.get('state') ?? '';
  return {
    q: params.get('q') ?? '',
    group: params.get('group') ?? '',
    label: params.get('label') ?? '',
    state: (STATES as readonly string[]).includes(state) ? (state as StateFilter) : '',
  };
}

/** The params with one filter set (or removed when empty), the others kept. */
/** `key=value` matches that label exactly; `key` alone matches any host that has the label. */
export function parseLabel(text: string): { key: string; value?: string } | null {
  const trimmed = text.trim();
  if (!trimmed) return null;
  const at = trimmed.indexOf('=');
  return at < 0 ? { key: trimmed } : { key: trimmed.slice(0, at).trim(), value: trimmed.slice(at + 1).trim() };
}

export function matches(row: Row, filters: Filters): boolean {
  if (filters.state === 'maintenance' ? !row.maintenance : filters.state && row.status !== filters.state) return false;
  if (filters.group && row.group !== filters.group) return false;
  const label = parseLabel(filters.label);
  if (label) {
    if (!(label.key in row.labels)) return false;
    if (label.value !== undefined && row.labels[label.key] !== label.value) return false;
  }
  const q = filters.q.trim().toLowerCase();
  if (q) {
    const haystack = [row.name, row.group ?? '', ...Object.entries(row.labels).flatMap(([k, v]) => [k, v, `${k}=${v}`])];
    if (!haystack.some((text) => text.toLowerCase().includes(q))) return false;
  }
  return true;
}

export const filterRows = (rows: Row[], filters: Filters) => rows.filter((row) => matches(row, filters));

export function groupsOf(rows: Row[]): string[] {
  return [...new Set(rows.map((r) => r.group).filter((g): g is string => !!g))].sort(byName);
}

// ---- sorting ----

export const SORT_KEYS = ['status', 'name', 'group', 'cpu', 'memory', 'disk', 'load1', 'incidents'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type Sort = { key: SortKey; dir: 'asc' | 'desc' } | null;

export function readSort(params: URLSearchParams): Sort {
  const key = params.get('sort');
  if (!key || !(SORT_KEYS as readonly string[]).includes(key)) return null;
  return { key: key as SortKey, dir: params.get('dir') === 'desc' ? 'desc' : 'asc' };
}

/** A header click: a new column sorts names A–Z and numbers highest first; the same column flips; a third click goes back to failing first. */
export function nextSort(current: Sort, key: SortKey): Sort {
  const firstDir = key === 'name' || key === 'group' || key === 'status' ? 'asc' : 'desc';
  if (!current || current.key !== key) return { key, dir: firstDir };
  if (current.dir === firstDir) return { key, dir: firstDir === 'asc' ? 'desc' : 'asc' };
  return null;
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
function byName(a: string, b: string) {
  return collator.compare(a, b);
}

/** How badly a host is failing: down, then critical incidents, then warnings, then unknown, then fine. */
export function failureRank(row: Row): number {
  if (row.status === 'down') return 0;
  if (row.worst === 'critical') return 1;
  if (row.worst === 'warning') return 2;
  if (row.status === 'unknown') return 3;
  return 4;
}

function value(row: Row, key: SortKey): number | string | null {
  switch (key) {
    case 'status':
      return failureRank(row);
    case 'incidents':
      return row.incidents * 10 + (row.worst === 'critical' ? 2 : row.worst === 'warning' ? 1 : 0);
    case 'group':
      return row.group;
    case 'name':
      return row.name;
    default:
      return row[key];
  }
}

export function sortRows(rows: Row[], sort: Sort): Row[] {
  const sorted = [...rows];
  if (!sort) {
    return sorted.sort((a, b) => failureRank(a) - failureRank(b) || byName(a.name, b.name));
  }
  const sign = sort.dir === 'asc' ? 1 : -1;
  return sorted.sort((a, b) => {
    const va = value(a, sort.key);
    const vb = value(b, sort.key);
    // a missing value goes last whichever the direction
    if (va === null || vb === null) return va === vb ? byName(a.name, b.name) : va === null ? 1 : -1;
    const order = typeof va === 'string' ? byName(va, String(vb)) : va - (vb as number);
    return order * sign || byName(a.name, b.name);
  });
}
