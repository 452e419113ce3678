import { Empty, QueryView } from '../../components/States';
import { Time } from '../../components/Time';
import { useActionTrail } from './api';

/** An action's steps from the audit log: time, actor, event, detail. */
export function AuditTrail({ actionId }: { actionId: string }) {
  const trail = useActionTrail(actionId);
  return (
    <QueryView query={trail} what="Loading the audit trail">
      {(entries) =>
        entries.length === 0 ? (
          <Empty>No audit entries for this action.</Empty>
        ) : (
          <ol className="audit-trail" aria-label="Audit trail">
            {entries.map((entry) => (
              <li key={entry.id}>
                <Time at={entry.at} seconds /> <span className="actor">{entry.actor}</span>{' '}
                <code className="event">{entry.event}</code>
                {entry.detail && <span className="detail"> — {entry.detail}</span>}
                {entry.result && <span className="muted"> ({entry.result})</span>}
              </li>
            ))}
          </ol>
        )
      }
    </QueryView>
  );
}
