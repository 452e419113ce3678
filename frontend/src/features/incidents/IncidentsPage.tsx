import { useEffect, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { Empty, ErrorBox, QueryView } from '../../components/States';
import { Time } from '../../components/Time';
import { useCan } from '../../lib/auth';
import { duration } from '../../lib/format';
import { useServerEvents } from '../../lib/live';
import { useHostNames } from '../../lib/hosts';
import { useIncidents, useIncidentStep, type Incident } from './api';
import { FilterBar, HostFilter, SelectFilter, TimeRangeFilter } from '../../components/Filters';
import { eventIncidentId, FRESH_MS, markFresh, prune } from './fresh';
import { incidentFilters } from './filters';
import { ackable, bulkTargets, toggle, toggleAll } from './selection';
import './styles.css';

const STATE_OPTIONS = [
  ['open', 'Open'],
  ['acknowledged', 'Acknowledged'],
  ['resolved', 'Resolved'],
  ['all', 'All'],
] as const;
const SEVERITY_OPTIONS = [
  ['', 'All severities'],
  ['critical', 'Critical'],
  ['warning', 'Warning'],
] as const;

/** Incidents that opened or resolved while the page is shown, highlighted for a while. */
function useFreshIncidents(): ReadonlyMap<number, number> {
  const [fresh, setFresh] = useState<ReadonlyMap<number, number>>(new Map());
  useServerEvents((event) => {
    if (event.type !== 'incident_opened' && event.type !== 'incident_resolved') return;
    const id = eventIncidentId(event.data);
    if (id !== undefined) setFresh((current) => markFresh(current, id, Date.now()));
  });
  useEffect(() => {
    if (fresh.size === 0) return;
    const timer = window.setTimeout(() => setFresh((current) => prune(current, Date.now())), FRESH_MS);
    return () => window.clearTimeout(timer);
  }, [fresh]);
  return fresh;
}

export function IncidentsPage() {
  const [params] = useSearchParams();
  const filters = useMemo(() => incidentFilters(params), [params]);
  const incidents = useIncidents(filters);
  const fresh = useFreshIncidents();
  return (
    <section className="incidents">
      <h1>Incidents</h1>
      <FilterBar label="Incident filters">
        <SelectFilter name="state" label="State" options={STATE_OPTIONS} fallback="open" />
        <SelectFilter name="severity" label="Severity" options={SEVERITY_OPTIONS} />
        <HostFilter />
        <TimeRangeFilter />
      </FilterBar>
      <QueryView query={incidents} what="Loading incidents">
        {(list) => <IncidentsTable incidents={list} fresh={fresh} />}
      </QueryView>
    </section>
  );
}

function IncidentsTable({ incidents, fresh }: { incidents: Incident[]; fresh: ReadonlyMap<number, number> }) {
  const operator = useCan('operator');
  const hostName = useHostNames();
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set());
  const ack = useIncidentStep('ack');
  const resolve = useIncidentStep('resolve');
  const targets = bulkTargets(selected, incidents);
  const ackableShown = incidents.filter(ackable);
  const allSelected = ackableShown.length > 0 && ackableShown.every((i) => selected.has(i.id));
  const [comment, setComment] = useState('');
  const bulkAck = () =>
    ack.mutate({ ids: targets, comment }, { onSettled: () => setSelected(new Set()), onSuccess: () => setComment('') });
  return (
    <>
      {operator && (
        <div className="bulk">
          <label>
            Comment
            <input value={comment} onChange={(e) => setComment(e.target.value)} placeholder="optional, kept in the audit log" />
          </label>{' '}
          <button type="button" onClick={bulkAck} disabled={targets.length === 0 || ack.isPending}>
            Acknowledge selected{targets.length ? ` (${targets.length})` : ''}
          </button>
        </div>
      )}
      {ack.error && <ErrorBox error={ack.error} />}
      {resolve.error && <ErrorBox error={resolve.error} />}
      {incidents.length === 0 ? (
        <Empty>No incidents match these filters.</Empty>
      ) : (
        <div className="table-wrap">
          <table aria-label="Incidents">
            <thead>
              <tr>
                {operator && (
                  <th>
                    <input
                      type="checkbox"
                      aria-label="Select all open incidents"
                      checked={allSelected}
                      disabled={ackableShown.length === 0}
                      onChange={() => setSelected((s) => toggleAll(s, incidents))}
                    />
                  </th>
                )}
                <th>Severity</th>
                <th>Host</th>
                <th>Message</th>
                <th>State</th>
                <th>First seen</th>
                <th>Last seen</th>
                <th>Occurrences</th>
                <th>Action</th>
                <th>Recovery</th>
                {operator && <th>Steps</th>}
              </tr>
            </thead>
            <tbody>
              {incidents.map((incident) => (
                <tr key={incident.id} className={fresh.has(incident.id) ? 'fresh' : undefined}>
                  {operator && (
                    <td>
                      <input
                        type="checkbox"
                        aria-label={`Select incident ${incident.id}`}
                        checked={selected.has(incident.id)}
                        disabled={!ackable(incident)}
                        onChange={() => setSelected((s) => toggle(s, incident.id))}
                      />
                    </td>
                  )}
                  <td className={`sev-${incident.severity}`}>{incident.severity}</td>
                  <td>
                    <Link to={`/hosts/${incident.host_id}`}>{hostName(incident.host_id)}</Link>
                  </td>
                  <td>
                    <Link to={`/incidents/${incident.id}`}>{incident.message}</Link>
                  </td>
                  <td>{incident.state}</td>
                  <td>
                    <Time at={incident.first_seen} />
                  </td>
                  <td>
                    <Time at={incident.last_seen} />
                  </td>
                  <td className="num">{incident.occurrences}</td>
                  <td>{incident.action_status ?? '—'}</td>
                  <td>{duration(incident.recovery_seconds)}</td>
                  {operator && (
                    <td className="steps">
                      <IncidentSteps incident={incident} ack={ack} resolve={resolve} />
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

type Step = ReturnType<typeof useIncidentStep>;

/**
 * Acknowledge (with an optional comment: what is being done about it, kept in the audit log with who did it) and
 * resolve one incident.
 */
export function IncidentSteps({ incident, ack, resolve }: { incident: Incident; ack: Step; resolve: Step }) {
  const busy = ack.isPending || resolve.isPending;
  const [commenting, setCommenting] = useState(false);
  const [comment, setComment] = useState('');
  if (commenting) {
    return (
      <form
        className="step-buttons"
        onSubmit={(event) => {
          event.preventDefault();
          ack.mutate({ ids: [incident.id], comment }, { onSuccess: () => setCommenting(false) });
        }}
      >
        <label>
          Comment
          <input autoFocus value={comment} onChange={(e) => setComment(e.target.value)} placeholder="optional" />
        </label>{' '}
        <button type="submit" disabled={busy}>
          Acknowledge
        </button>{' '}
        <button type="button" onClick={() => setCommenting(false)}>
          Cancel
        </button>
      </form>
    );
  }
  return (
    <span className="step-buttons">
      {incident.state === 'open' && (
        <button type="button" disabled={busy} onClick={() => setCommenting(true)}>
          Acknowledge
        </button>
      )}
      {incident.state !== 'resolved' && (
        <button type="button" disabled={busy} onClick={() => resolve.mutate({ ids: [incident.id] })}>
          Resolve
        </button>
      )}
    </span>
  );
}
