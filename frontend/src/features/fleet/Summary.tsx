import { Link, useSearchParams } from 'react-router-dom';
import { QueryView } from '../../components/States';
import { duration, percent } from '../../lib/format';
import { useStats, type Stats, type Worst } from './api';
import { withParam } from '../../lib/filters';

/** The fleet's headline numbers, each a link to the list it counts. */
export function Summary() {
  const stats = useStats();
  return (
    <section aria-label="Fleet summary" className="fleet-summary">
      <QueryView query={stats} what="Loading the summary">
        {(data) => <SummaryCards stats={data} />}
      </QueryView>
    </section>
  );
}

export function SummaryCards({ stats }: { stats: Stats }) {
  const [params] = useSearchParams();
  // a count links to exactly the hosts it counts: the other filters go, the sort stays
  const stateLink = (state: string) => {
    const next = withParam(params, 'state', state);
    ['q', 'group', 'label'].forEach((key) => next.delete(key));
    return `/?${next.toString()}`;
  };
  const outcomes = Object.entries(stats.actions_24h.by_outcome).sort(([a], [b]) => a.localeCompare(b));
  return (
    <>
      <div className="summary-card">
        <h2>Hosts</h2>
        <ul>
          <li>
            <Link to={stateLink('up')} className="status-up">
              {stats.hosts.up} up
            </Link>
          </li>
          <li>
            <Link to={stateLink('down')} className={stats.hosts.down ? 'status-down' : undefined}>
              {stats.hosts.down} down
            </Link>
          </li>
          <li>
            <Link to={stateLink('unknown')}>{stats.hosts.unknown} unknown</Link>
          </li>
          <li>
            <Link to={stateLink('maintenance')}>{stats.hosts.maintenance} in maintenance</Link>
          </li>
        </ul>
      </div>
      <div className="summary-card">
        <h2>Open incidents</h2>
        <ul>
          <li>
            <Link
              to="/incidents?state=open&severity=critical"
              className={stats.incidents.critical ? 'sev-critical' : undefined}
            >
              {stats.incidents.critical} critical
            </Link>
          </li>
          <li>
            <Link to="/incidents?state=open&severity=warning" className={stats.incidents.warning ? 'sev-warning' : undefined}>
              {stats.incidents.warning} warning
            </Link>
          </li>
          <li>
            <Link to="/actions?status=pending_approval">{stats.pending_approvals} pending approval</Link>
          </li>
        </ul>
      </div>
      <div className="summary-card">
        <h2>Actions, last 24 h</h2>
        <ul>
          {outcomes.length === 0 && <li className="muted">none</li>}
          {outcomes.map(([status, count]) => (
            <li key={status}>
              <Link to={`/actions?status=${encodeURIComponent(status)}`}>
                {count} {status.replace(/_/g, ' ')}
              </Link>
            </li>
          ))}
          <li>median recovery {duration(stats.actions_24h.median_recovery_seconds)}</li>
        </ul>
      </div>
      <div className="summary-card">
        <h2>Worst now</h2>
        <dl className="worst">
          <WorstItem label="CPU" worst={stats.worst.cpu} format={(v) => percent(v)} />
          <WorstItem label="Memory" worst={stats.worst.memory} format={(v) => percent(v)} />
          <WorstItem
            label="Disk"
            worst={stats.worst.disk}
            format={(v, w) => `${percent(v)}${w?.mount ? ` (${w.mount})` : ''}`}
          />
          <WorstItem label="Load" worst={stats.worst.load} format={(v) => v.toFixed(2)} />
        </dl>
      </div>
    </>
  );
}

function WorstItem({
  label,
  worst,
  format,
}: {
  label: string;
  worst: Worst;
  format: (value: number, worst: Worst) => string;
}) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>
        {worst ? (
          <>
            {format(worst.value, worst)} on <Link to={`/hosts/${worst.host_id}`}>{worst.host}</Link>
          </>
        ) : (
          '—'
        )}
      </dd>
    </div>
  );
}
