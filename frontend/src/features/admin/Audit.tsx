import { useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { Empty, QueryView } from '../../components/States';
import { Time } from '../../components/Time';
import { FilterBar, SelectFilter, TimeRangeFilter, useParam } from '../../components/Filters';
import { auditPath, useAudit, type AuditFilters } from './api';

const LIMITS = [
  ['200', '200 entries'],
  ['1000', '1,000 entries'],
  ['5000', '5,000 entries'],
] as const;

/** A text filter kept in the URL, written a moment after typing stops. */
function TextFilter({ name, label }: { name: string; label: string }) {
  const [value, set] = useParam(name);
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  useEffect(() => {
    if (text === value) return;
    const timer = window.setTimeout(() => set(text), 300);
    return () => window.clearTimeout(timer);
  }, [text, value, set]);
  return (
    <label className="filter">
      {label}
      <input type="search" value={text} onChange={(e) => setText(e.target.value)} />
    </label>
  );
}

export function AuditPage() {
  const [params] = useSearchParams();
  const filters: AuditFilters = useMemo(
    () => ({
      actor: params.get('actor') ?? '',
      event: params.get('event') ?? '',
      from: params.get('from') ?? '',
      to: params.get('to') ?? '',
      limit: params.get('limit') ?? '',
    }),
    [params],
  );
  const audit = useAudit(filters);
  return (
    <section>
      <h1>Audit log</h1>
      <FilterBar label="Audit filters">
        <TextFilter name="actor" label="Actor" />
        <TextFilter name="event" label="Event" />
        <TimeRangeFilter />
        <SelectFilter name="limit" label="Limit" options={LIMITS} fallback="200" />
        <span className="exports">
          <a href={auditPath(filters, 'csv')} download="vigil-audit.csv">
            Export CSV
          </a>
          <a href={auditPath(filters, 'json')} download="vigil-audit.json">
            Export JSON
          </a>
        </span>
      </FilterBar>
      <QueryView query={audit} what="Loading the audit log">
        {(entries) =>
          entries.length === 0 ? (
            <Empty>No audit entries match these filters.</Empty>
          ) : (
            <div className="table-wrap">
              <table aria-label="Audit log">
                <thead>
                  <tr>
                    <th>Time</th>
                    <th>Actor</th>
                    <th>Event</th>
                    <th>Subject</th>
                    <th>Detail</th>
                    <th>Address</th>
                    <th>Result</th>
                  </tr>
                </thead>
                <tbody>
                  {entries.map((e) => (
                    <tr key={e.id}>
                      <td>
                        <Time at={e.at} seconds />
                      </td>
                      <td>{e.actor}</td>
                      <td>
                        <code>{e.event}</code>
                      </td>
                      <td>{e.subject}</td>
                      <td className="detail">{e.detail}</td>
                      <td>{e.address ?? '—'}</td>
                      <td className={e.result === 'ok' ? 'status-up' : e.result ? 'status-down' : undefined}>{e.result ?? '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </QueryView>
    </section>
  );
}
