import { useMemo } from 'react';
import { NavLink, useParams, useSearchParams } from 'react-router-dom';
import { Empty, ErrorBox, Loading } from '../../components/States';
import { Time } from '../../components/Time';
import { useHosts } from '../../lib/hosts';
import {
  isReport,
  RANGES,
  rangeKey,
  REPORTS,
  reportUrl,
  useReport,
  type Filters,
  type Report,
} from './api';
import { header } from './cells';
import { ReportTable } from './ReportTable';
import { SeriesChart } from './SeriesChart';

export function ReportPage() {
  const { name } = useParams();
  const [search] = useSearchParams();
  if (!isReport(name)) {
    return (
      <>
        <ReportTabs search={search} />
        <ErrorBox error={new Error(`There is no report "${name}".`)} />
      </>
    );
  }
  const filters: Filters = {
    name,
    range: rangeKey(search.get('range')),
    host: search.get('host') ?? undefined,
    group: search.get('group') ?? undefined,
  };
  return <ReportView filters={filters} />;
}

function ReportTabs({ search }: { search: URLSearchParams }) {
  const kept = search.toString();
  return (
    <nav className="report-tabs" aria-label="Reports">
      {REPORTS.map((r) => (
        <NavLink key={r.name} to={{ pathname: `/reports/${r.name}`, search: kept ? `?${kept}` : '' }}>
          {r.title}
        </NavLink>
      ))}
    </nav>
  );
}

function ReportView({ filters }: { filters: Filters }) {
  const [search, setSearch] = useSearchParams();
  const report = useReport(filters);
  const title = REPORTS.find((r) => r.name === filters.name)!.title;
  const set = (key: string, value: string | undefined) => {
    const next = new URLSearchParams(search);
    if (value) next.set(key, value);
    else next.delete(key);
    setSearch(next, { replace: key !== 'range' });
  };
  const downloads = { csv: reportUrl(filters, 'csv'), json: reportUrl(filters, 'json') };
  return (
    <>
      <h1>Reports: {title}</h1>
      <ReportTabs search={search} />
      <div className="report-controls">
        <div role="group" aria-label="Range" className="ranges">
          {RANGES.map((r) => (
            <button
              key={r.key}
              type="button"
              aria-pressed={filters.range === r.key}
              className={filters.range === r.key ? 'active' : undefined}
              onClick={() => set('range', r.key)}
            >
              {r.label}
            </button>
          ))}
        </div>
        <HostGroupFilters filters={filters} onChange={set} />
        <div className="downloads">
          <a href={downloads.csv} download={`vigil-${filters.name}-${filters.range}.csv`}>
            Download CSV
          </a>
          <a href={downloads.json} download={`vigil-${filters.name}-${filters.range}.json`}>
            Download JSON
          </a>
        </div>
      </div>
      {report.isPending ? (
        <Loading what="Loading the report" />
      ) : report.error ? (
        <ErrorBox error={report.error} />
      ) : (
        <ReportBody report={report.data} refreshing={report.isPlaceholderData} />
      )}
    </>
  );
}

function HostGroupFilters({ filters, onChange }: { filters: Filters; onChange: (key: string, value?: string) => void }) {
  const hosts = useHosts();
  const groups = useMemo(
    () => [...new Set((hosts.data ?? []).map((h) => h.group).filter((g): g is string => !!g))].sort(),
    [hosts.data],
  );
  return (
    <div className="filters">
      <label>
        Host
        <select value={filters.host ?? ''} onChange={(e) => onChange('host', e.target.value || undefined)}>
          <option value="">All hosts</option>
          {(hosts.data ?? []).map((h) => (
            <option key={h.id} value={String(h.id)}>
              {h.name}
            </option>
          ))}
          {filters.host && !hosts.data?.some((h) => String(h.id) === filters.host) && (
            <option value={filters.host}>host {filters.host}</option>
          )}
        </select>
      </label>
      <label>
        Group
        <select value={filters.group ?? ''} onChange={(e) => onChange('group', e.target.value || undefined)}>
          <option value="">All groups</option>
          {groups.map((g) => (
            <option key={g} value={g}>
              {g}
            </option>
          ))}
          {filters.group && !groups.includes(filters.group) && <option value={filters.group}>{filters.group}</option>}
        </select>
      </label>
    </div>
  );
}

function ReportBody({ report, refreshing }: { report: Report; refreshing: boolean }) {
  const tables = Object.entries(report.tables ?? {}).filter(([, rows]) => Array.isArray(rows));
  const series = Object.entries(report.series ?? {});
  const filters = Object.entries(report.filters ?? {}).filter(([, v]) => v !== null && v !== undefined && v !== '');
  return (
    <div className={refreshing ? 'report refreshing' : 'report'} aria-busy={refreshing}>
      <p className="report-range muted">
        From <Time at={report.from} /> to <Time at={report.to} />
        {filters.length > 0 && `; ${filters.map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`).join(', ')}`}
      </p>
      {tables.length === 0 && series.length === 0 && <Empty>This report has nothing for this range.</Empty>}
      {series.map(([name, points]) => (
        <section key={`series-${name}`} className="report-section">
          <h2>{header(name)}</h2>
          <SeriesChart name={name} series={points} />
        </section>
      ))}
      {tables.map(([name, rows]) => (
        <section key={`table-${name}`} className="report-section">
          <h2>{header(name)}</h2>
          <ReportTable title={header(name)} rows={rows} />
        </section>
      ))}
    </div>
  );
}
