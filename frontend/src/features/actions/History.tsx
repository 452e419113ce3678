import { Fragment, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { Empty, QueryView } from '../../components/States';
import { Time } from '../../components/Time';
import { useHostNames } from '../../lib/hosts';
import { FilterBar, HostFilter, SelectFilter, TimeRangeFilter } from '../../components/Filters';
import { ACTION_STATUSES, ACTION_TYPES, actionFilters, useActions, type Action } from './api';
import { AuditTrail } from './AuditTrail';

const STATUS_OPTIONS: [string, string][] = [['', 'All statuses'], ...ACTION_STATUSES.map((s): [string, string] => [s, s.replace(/_/g, ' ')])];
const TYPE_OPTIONS: [string, string][] = [['', 'All types'], ...ACTION_TYPES.map((t): [string, string] => [t, t.replace(/_/g, ' ')])];

export function History() {
  const [params] = useSearchParams();
  const filters = useMemo(() => actionFilters(params), [params]);
  const actions = useActions(filters);
  return (
    <section aria-labelledby="history-heading">
      <h2 id="history-heading">History</h2>
      <FilterBar label="Action filters">
        <SelectFilter name="status" label="Status" options={STATUS_OPTIONS} />
        <SelectFilter name="type" label="Type" options={TYPE_OPTIONS} />
        <HostFilter />
        <TimeRangeFilter />
      </FilterBar>
      <QueryView query={actions} what="Loading actions">
        {(list) => (list.length === 0 ? <Empty>No actions match these filters.</Empty> : <ActionsTable actions={list} />)}
      </QueryView>
    </section>
  );
}

const COLUMNS = 11;

function ActionsTable({ actions }: { actions: Action[] }) {
  const hostName = useHostNames();
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const flip = (id: string) =>
    setOpen((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  return (
    <div className="table-wrap">
      <table aria-label="Actions">
        <thead>
          <tr>
            <th>Created</th>
            <th>Host</th>
            <th>Type</th>
            <th>Target</th>
            <th>Outcome</th>
            <th>Detail</th>
            <th>Requested by</th>
            <th>Decided by</th>
            <th>Dispatched</th>
            <th>Finished</th>
            <th>Audit</th>
          </tr>
        </thead>
        <tbody>
          {actions.map((action) => (
            <Fragment key={action.id}>
              <tr>
                <td>
                  <Time at={action.created_at} />
                </td>
                <td>
                  <Link to={`/hosts/${action.host_id}`}>{hostName(action.host_id)}</Link>
                </td>
                <td>{action.type}</td>
                <td>
                  <code>{action.target}</code>
                  {action.pid !== null && <span className="muted"> PID {action.pid}</span>}
                </td>
                <td className={`outcome outcome-${action.status}`}>{action.status.replace(/_/g, ' ')}</td>
                <td className="detail">{action.detail || '—'}</td>
                <td>{action.requested_by}</td>
                <td>{action.decided_by ?? '—'}</td>
                <td>
                  <Time at={action.dispatched_at} />
                </td>
                <td>
                  <Time at={action.finished_at} />
                </td>
                <td>
                  <button
                    type="button"
                    aria-expanded={open.has(action.id)}
                    aria-controls={`trail-${action.id}`}
                    onClick={() => flip(action.id)}
                  >
                    Details
                  </button>
                </td>
              </tr>
              {open.has(action.id) && (
                <tr id={`trail-${action.id}`} className="trail-row">
                  <td colSpan={COLUMNS}>
                    <p className="muted">
                      {action.reason} · attempts {action.attempts} · id <code>{action.id}</code>
                      {action.incident_id !== null && (
                        <>
                          {' '}
                          · <Link to={`/incidents/${action.incident_id}`}>incident {action.incident_id}</Link>
                        </>
                      )}
                    </p>
                    <AuditTrail actionId={action.id} />
                  </td>
                </tr>
              )}
            </Fragment>
          ))}
        </tbody>
      </table>
    </div>
  );
}
