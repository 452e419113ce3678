import { useState } from 'react';
import { Empty, ErrorBox, QueryView } from '../../components/States';
import { Time } from '../../components/Time';
import { TypedConfirm } from '../../components/TypedConfirm';
import { useMe } from '../../lib/auth';
import { useHostNames } from '../../lib/hosts';
import { usePendingActions, useDecide, type Action } from './api';
import { decisions } from './gating';

/** Actions waiting for a decision, with Approve and Reject for whoever may decide them. */
export function PendingApprovals() {
  const pending = usePendingActions();
  return (
    <section aria-labelledby="pending-heading">
      <h2 id="pending-heading">Pending approval</h2>
      <QueryView query={pending} what="Loading pending actions">
        {(list) =>
          list.length === 0 ? (
            <Empty>Nothing waits for approval.</Empty>
          ) : (
            <ul className="pending" aria-label="Pending approval">
              {list.map((action) => (
                <PendingItem key={action.id} action={action} />
              ))}
            </ul>
          )
        }
      </QueryView>
    </section>
  );
}

export function PendingItem({ action }: { action: Action }) {
  const me = useMe();
  const hostName = useHostNames();
  const decide = useDecide();
  const [confirming, setConfirming] = useState(false);
  const can = decisions(me.role, action);
  const host = hostName(action.host_id);
  const approve = () => decide.mutate({ id: action.id, approve: true }, { onSuccess: () => setConfirming(false) });
  return (
    <li className="pending-item card">
      <div>
        <strong>{action.type}</strong> <code>{action.target}</code> on <strong>{host}</strong>
        {action.pid !== null && <span> (PID {action.pid})</span>}
      </div>
      <div className="muted">
        {action.reason} — requested by {action.requested_by}, <Time at={action.created_at} />
      </div>
      {action.detail && <div className="muted">{action.detail}</div>}
      {confirming ? (
        <TypedConfirm word={host} label="Approve reboot" busy={decide.isPending} onConfirm={approve} onCancel={() => setConfirming(false)} />
      ) : (
        (can.approve || can.reject) && (
          <div className="step-buttons">
            {can.approve && (
              <button
                type="button"
                className="primary"
                disabled={decide.isPending}
                onClick={() => (can.typedConfirm ? setConfirming(true) : approve())}
              >
                Approve
              </button>
            )}
            {can.reject && (
              <button type="button" disabled={decide.isPending} onClick={() => decide.mutate({ id: action.id, approve: false })}>
                Reject
              </button>
            )}
          </div>
        )
      )}
      {action.type === 'reboot' && can.reject && !can.approve && (
        <p className="muted">Approving a reboot needs the admin role.</p>
      )}
      {decide.error && <ErrorBox error={decide.error} />}
    </li>
  );
}
