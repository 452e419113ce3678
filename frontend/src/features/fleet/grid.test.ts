import { describe, expect, it } from 'vitest';
import type { FleetEntry, Host, Warning } from './api';
import { filterRows, joinRows, nextSort, readFilters, readSort, sortRows, type Row } from './grid';

function host(id: number, name: string, group: string | null = null, labels: Record<string, string> = {}): Host {
  return {
    id,
    name,
    url: `http://${name}:9130`,
    interval_seconds: 10,
    effective_interval_seconds: 10,
    group,
    labels,
    policy: { allowed_services: [], killable_processes: [], auto_reboot: false, dry_run: false, require_approval: false },
    has_action_token: false,
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    status: 'unknown',
  };
}

function entry(host_id: number, status: FleetEntry['status'], cpu: number | null = 10): FleetEntry {
  return { host_id, status, at: '2026-01-01T00:00:00Z', cpu, memory: 20, disk: 30, load1: 0.5, spark: [1, 2] };
}

function warning(host_id: number, severity: string): Warning {
  return {
    id: Math.floor(Math.random() * 1e6),
    host_id,
    host: '',
    kind: 'k',
    subject: 's',
    severity,
    message: 'm',
    state: 'open',
    first_seen: '2026-01-01T00:00:00Z',
    last_seen: '2026-01-01T00:00:00Z',
  };
}

const hosts = [
  host(1, 'web-10', 'web', { env: 'prod', role: 'frontend' }),
  host(2, 'web-2', 'web', { env: 'staging' }),
  host(3, 'db-1', 'db', { env: 'prod' }),
  host(4, 'cache-1', null),
  host(5, 'batch-1', 'batch'),
  host(6, 'alpha', 'batch'),
];
const fleet = [
  entry(1, 'up', 50),
  entry(2, 'up', 90),
  entry(3, 'up', null),
  entry(4, 'down'),
  entry(5, 'unknown', 5),
  entry(6, 'up', 1),
];
const warnings = [warning(1, 'warning'), warning(2, 'warning'), warning(2, 'critical'), warning(3, 'warning')];
const rows: Row[] = joinRows(hosts, fleet, warnings, [
  { id: 1, host_id: null, group: 'batch', starts_at: '', ends_at: '', reason: 'r', created_by: 'x' },
]);
const names = (list: Row[]) => list.map((r) => r.name);

describe('joining hosts, fleet and warnings', () => {
  it('counts open incidents per host with the worst severity and marks maintenance by group', () => {
    const web2 = rows.find((r) => r.id === 2)!;
    expect(web2.incidents).toBe(2);
    expect(web2.worst).toBe('critical');
    expect(rows.find((r) => r.id === 1)!.worst).toBe('warning');
    expect(rows.find((r) => r.id === 4)!.incidents).toBe(0);
    expect(rows.filter((r) => r.maintenance).map((r) => r.id)).toEqual([5, 6]);
  });
  it('takes the status from the host list until the fleet numbers arrive', () => {
    const [row] = joinRows([{ ...host(9, 'new'), status: 'down' }], undefined, undefined);
    expect(row.status).toBe('down');
    expect(row.cpu).toBeNull();
    expect(row.spark).toEqual([]);
  });
});

describe('the default order', () => {
  it('puts failing hosts first: down, critical, warning, unknown, then by name', () => {
    expect(names(sortRows(rows, null))).toEqual(['cache-1', 'web-2', 'db-1', 'web-10', 'batch-1', 'alpha']);
  });
});

describe('sorting by a column', () => {
  it('orders names naturally and numbers with missing values last in both directions', () => {
    expect(names(sortRows(rows, { key: 'name', dir: 'asc' }))).toEqual([
      'alpha',
      'batch-1',
      'cache-1',
      'db-1',
      'web-2',
      'web-10',
    ]);
    const byCpuDesc = names(sortRows(rows, { key: 'cpu', dir: 'desc' }));
    expect(byCpuDesc[0]).toBe('web-2');
    expect(byCpuDesc.at(-1)).toBe('db-1');
    expect(names(sortRows(rows, { key: 'cpu', dir: 'asc' })).at(-1)).toBe('db-1');
  });
  it('cycles a header: first direction, flipped, back to failing first', () => {
    expect(nextSort(null, 'cpu')).toEqual({ key: 'cpu', dir: 'desc' });
    expect(nextSort({ key: 'cpu', dir: 'desc' }, 'cpu')).toEqual({ key: 'cpu', dir: 'asc' });
    expect(nextSort({ key: 'cpu', dir: 'asc' }, 'cpu')).toBeNull();
    expect(nextSort({ key: 'cpu', dir: 'asc' }, 'name')).toEqual({ key: 'name', dir: 'asc' });
  });
  it('reads the sort from the URL and ignores unknown columns', () => {
    expect(readSort(new URLSearchParams('sort=memory&dir=desc'))).toEqual({ key: 'memory', dir: 'desc' });
    expect(readSort(new URLSearchParams('sort=password'))).toBeNull();
  });
});

describe('filters', () => {
  const filter = (search: string) => names(filterRows(rows, readFilters(new URLSearchParams(search))));
  it('searches names, groups and label keys and values', () => {
    expect(filter('q=WEB')).toEqual(['web-10', 'web-2']);
    expect(filter('q=frontend')).toEqual(['web-10']);
    expect(filter('q=staging')).toEqual(['web-2']);
    expect(filter('q=role')).toEqual(['web-10']);
    expect(filter('q=env=prod')).toEqual(['web-10', 'db-1']);
    expect(filter('q=nothing-like-it')).toEqual([]);
  });
  it('filters by group, label and state from the URL', () => {
    expect(filter('group=batch')).toEqual(['batch-1', 'alpha']);
    expect(filter('label=env%3Dprod')).toEqual(['web-10', 'db-1']);
    expect(filter('label=role')).toEqual(['web-10']);
    expect(filter('state=down')).toEqual(['cache-1']);
    expect(filter('state=unknown')).toEqual(['batch-1']);
    expect(filter('state=maintenance')).toEqual(['batch-1', 'alpha']);
    expect(filter('state=up&group=web&label=env%3Dstaging')).toEqual(['web-2']);
  });
  it('ignores a state it does not know', () => {
    expect(readFilters(new URLSearchParams('state=exploded')).state).toBe('');
  });
});
