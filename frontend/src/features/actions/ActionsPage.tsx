import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { QueryView } from '../../components/States';
import { Time } from '../../components/Time';
import { Can } from '../../lib/auth';
import { useHostNames } from '../../lib/hosts';
import '../incidents/styles.css';
import { useAction } from './api';
import { AuditTrail } from './AuditTrail';
import { History } from './History';
import { NewActionForm } from './NewActionForm';
import { PendingApprovals } from './Pending';
import './styles.css';

export function ActionsPage() {
  const [params] = useSearchParams();
  const [creating, setCreating] = useState(false);
  const focus = params.get('action');
  return (
    <section className="actions">
      <div className="page-head">
        <h1>Actions</h1>
        <Can least="operator">
          <button type="button" aria-expanded={creating} onClick={() => setCreating((c) => !c)}>
            New action
          </button>
        </Can>
      </div>
      {creating && (
        <Can least="operator">
          <NewActionForm onDone={() => setCreating(false)} />
        </Can>
      )}
      {focus && <OneAction id={focus} />}
      <PendingApprovals />
      <History />
    </section>
  );
}

/** The action a link points at (`?action=<id>`, from an incident): its fields and its audit trail. */
function OneAction({ id }: { id: string }) {
  const action = useAction(id);
  const hostName = useHostNames();
  return (
    <section className="card one-action" aria-label={`Action ${id}`}>
      <QueryView query={action} what="Loading the action">
        {(a) => (
          <>
            <h2>
              {a.type} <code>{a.target}</code> on {hostName(a.host_id)}: {a.status.replace(/_/g, ' ')}
            </h2>
            <p className="muted">
              {a.reason} — requested by {a.requested_by} <Time at={a.created_at} />
              {a.decided_by && `, decided by ${a.decided_by}`}
            </p>
            <AuditTrail actionId={a.id} />
          </>
        )}
      </QueryView>
    </section>
  );
}
