import { Link } from 'react-router-dom';
import { Empty, QueryView } from '../../components/States';
import { Time } from '../../components/Time';
import { mergeTimeline, type Action, type Incident } from './timeline';

export function Timeline({
  query,
}: {
  query: { data: { incidents: Incident[]; actions: Action[] } | undefined; error: unknown; isPending: boolean };
}) {
  return (
    <QueryView query={query} what="Loading incidents and actions">
      {(data) => {
        const items = mergeTimeline(data.incidents, data.actions);
        if (items.length === 0) return <Empty>No incident or action in this range.</Empty>;
        return (
          <ol className="host-timeline">
            {items.map((item) =>
              item.kind === 'incident' ? (
                <li key={item.key} className="tl-incident">
                  <Time at={item.at} />{' '}
                  <span className={`sev-${item.incident.severity}`}>{item.incident.severity}</span>{' '}
                  <Link to={`/incidents/${item.incident.id}`}>
                    Incident #{item.incident.id}: {item.incident.message}
                  </Link>{' '}
                  <span className="muted">{item.incident.state}</span>
                </li>
              ) : (
                <li key={item.key} className="tl-action">
                  <Time at={item.at} /> <span className="tl-kind">action</span>{' '}
                  <Link to={`/actions?action=${encodeURIComponent(item.action.id)}`}>
                    {item.action.type.replace(/_/g, ' ')} {item.action.target}
                  </Link>{' '}
                  <span className="muted">
                    {item.action.status.replace(/_/g, ' ')} — {item.action.requested_by}
                  </span>
                </li>
              ),
            )}
          </ol>
        );
      }}
    </QueryView>
  );
}
