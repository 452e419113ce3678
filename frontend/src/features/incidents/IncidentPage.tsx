import { Link, useParams } from 'react-router-dom';
import { ErrorBox, Loading, QueryView } from '../../components/States';
import { Time } from '../../components/Time';
import { useCan } from '../../lib/auth';
import { duration } from '../../lib/format';
import { useAction } from '../actions/api';
import { useHostNames } from '../../lib/hosts';
import { useIncident, useIncidentStep, type Incident } from './api';
import { IncidentSteps } from './IncidentsPage';
import { timeline } from './timeline';
import './styles.css';

export function IncidentPage() {
  const { id } = useParams();
  const incident = useIncident(id);
  return (
    <section className="incident">
      <p>
        <Link to="/incidents">← Incidents</Link>
      </p>
      <QueryView query={incident} what="Loading the incident">
        {(data) => <IncidentDetail incident={data} />}
      </QueryView>
    </section>
  );
}

function IncidentDetail({ incident }: { incident: Incident }) {
  const operator = useCan('operator');
  const hostName = useHostNames();
  const ack = useIncidentStep('ack');
  const resolve = useIncidentStep('resolve');
  return (
    <>
      <h1>
        Incident {incident.id}: <span className={`sev-${incident.severity}`}>{incident.severity}</span>
      </h1>
      <p className="incident-message">{incident.message}</p>
      {operator && <IncidentSteps incident={incident} ack={ack} resolve={resolve} />}
      {ack.error && <ErrorBox error={ack.error} />}
      {resolve.error && <ErrorBox error={resolve.error} />}
      <dl className="fields">
        <dt>Host</dt>
        <dd>
          <Link to={`/hosts/${incident.host_id}`}>{hostName(incident.host_id)}</Link>
        </dd>
        <dt>State</dt>
        <dd>{incident.state}</dd>
        <dt>Kind</dt>
        <dd>{incident.kind}</dd>
        <dt>Subject</dt>
        <dd>{incident.subject}</dd>
        <dt>Key</dt>
        <dd>
          <code>{incident.key}</code>
        </dd>
        <dt>First seen</dt>
        <dd>
          <Time at={incident.first_seen} seconds />
        </dd>
        <dt>Last seen</dt>
        <dd>
          <Time at={incident.last_seen} seconds />
        </dd>
        <dt>Occurrences</dt>
        <dd>{incident.occurrences}</dd>
        <dt>Acknowledged by</dt>
        <dd>{incident.acknowledged_by ?? '—'}</dd>
        <dt>Resolved</dt>
        <dd>
          <Time at={incident.resolved_at} seconds /> {incident.resolved_by ? `by ${incident.resolved_by}` : ''}
        </dd>
        <dt>Action</dt>
        <dd>
          {incident.action_id ? (
            <Link to={`/actions?action=${encodeURIComponent(incident.action_id)}`}>{incident.action_status ?? 'action'}</Link>
          ) : (
            '—'
          )}
        </dd>
        <dt>Remediated</dt>
        <dd>
          <Time at={incident.remediated_at} seconds />
        </dd>
        <dt>Recovery time</dt>
        <dd>{duration(incident.recovery_seconds)}</dd>
      </dl>
      <h2>Timeline</h2>
      <Timeline incident={incident} />
    </>
  );
}

function Timeline({ incident }: { incident: Incident }) {
  const action = useAction(incident.action_id);
  if (incident.action_id && action.isPending) return <Loading what="Loading the timeline" />;
  const entries = timeline(incident, action.data, action.data?.trail);
  return (
    <>
      {action.error && <ErrorBox error={action.error} />}
      <ol className="incident-timeline" aria-label="Timeline">
        {entries.map((entry, index) => (
          <li key={index}>
            <span className="timeline-at">{entry.at ? <Time at={entry.at} seconds /> : ''}</span>{' '}
            <strong>{entry.what}</strong>
            {entry.by && <span className="muted"> by {entry.by}</span>}
            {entry.detail && <span className="timeline-detail"> — {entry.detail}</span>}
          </li>
        ))}
      </ol>
    </>
  );
}
