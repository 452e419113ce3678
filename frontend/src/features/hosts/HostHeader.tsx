import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { ErrorBox } from '../../components/States';
import { Time } from '../../components/Time';
import { TypedConfirm } from '../../components/TypedConfirm';
import { useCan, useMe } from '../../lib/auth';
import {
  useMaintenanceWindows,
  useRefresh,
  useRequestReboot,
  useStartMaintenance,
  useStopMaintenance,
  type Host,
  type Latest,
  type MaintenanceWindow,
} from './api';

export function HostHeader({ host, latest, lastSample }: { host: Host; latest: Latest | undefined; lastSample: string | null }) {
  const operator = useCan('operator');
  const windows = useMaintenanceWindows();
  const own = windows.data?.find((w) => w.host_id === host.id);
  const viaGroup = windows.data?.find((w) => w.host_id === null && host.group !== null && w.group === host.group);
  const status = latest?.status ?? host.status;
  const labels = Object.entries(host.labels ?? {});
  return (
    <header className="host-header">
      <div className="host-title">
        <h1>{host.name}</h1>
        <span className={`status status-${status}`}>
          <span aria-hidden="true" className="dot" />
          {status}
        </span>
        {(own || viaGroup) && <MaintenanceBadge window={(own ?? viaGroup)!} viaGroup={!own} />}
      </div>
      <dl className="host-facts">
        <div>
          <dt>URL</dt>
          <dd>
            <code>{host.url}</code>
          </dd>
        </div>
        <div>
          <dt>Group</dt>
          <dd>{host.group ?? '—'}</dd>
        </div>
        <div>
          <dt>Labels</dt>
          <dd>
            {labels.length === 0
              ? '—'
              : labels.map(([k, v]) => (
                  <span key={k} className="label-chip">
                    {k}={v}
                  </span>
                ))}
          </dd>
        </div>
        <div>
          <dt>Last sample</dt>
          <dd>
            <Time at={lastSample} seconds />
          </dd>
        </div>
        {latest?.last_poll && latest.last_poll.outcome !== 'ok' && (
          <div>
            <dt>Last poll</dt>
            <dd className="status-down">
              {latest.last_poll.outcome}: {latest.last_poll.detail}
            </dd>
          </div>
        )}
      </dl>
      {operator && (
        <div className="host-controls">
          <RefreshButton host={host} />
          <MaintenanceControl host={host} own={own} loading={windows.isPending} />
          <RebootControl host={host} />
        </div>
      )}
    </header>
  );
}

function MaintenanceBadge({ window, viaGroup }: { window: MaintenanceWindow; viaGroup: boolean }) {
  return (
    <span className="maint-badge" title={window.reason}>
      in maintenance{viaGroup ? ` (group ${window.group})` : ''} until <Time at={window.ends_at} />
    </span>
  );
}

function RefreshButton({ host }: { host: Host }) {
  const refresh = useRefresh(host.id);
  return (
    <div className="control">
      <button type="button" onClick={() => refresh.mutate()} disabled={refresh.isPending}>
        {refresh.isPending ? 'Refreshing…' : 'Refresh now'}
      </button>
      <span role="status" className="outcome">
        {refresh.data && (
          <>
            Poll {refresh.data.outcome === 'ok' ? 'ok' : <strong className="status-down">{refresh.data.outcome}</strong>} in{' '}
            {refresh.data.latency_ms} ms
          </>
        )}
      </span>
      {refresh.error && <ErrorBox error={refresh.error} />}
    </div>
  );
}

const DURATIONS = [
  { minutes: 30, label: '30 min' },
  { minutes: 60, label: '1 h' },
  { minutes: 120, label: '2 h' },
  { minutes: 240, label: '4 h' },
  { minutes: 480, label: '8 h' },
  { minutes: 1440, label: '24 h' },
  { minutes: 10080, label: '7 d' },
];

function MaintenanceControl({ host, own, loading }: { host: Host; own: MaintenanceWindow | undefined; loading: boolean }) {
  const start = useStartMaintenance(host.id);
  const stop = useStopMaintenance();
  const [open, setOpen] = useState(false);
  const [minutes, setMinutes] = useState(60);
  const [reason, setReason] = useState('');
  if (own) {
    return (
      <div className="control">
        <button type="button" onClick={() => stop.mutate(own.id)} disabled={stop.isPending}>
          Stop maintenance
        </button>
        {stop.error && <ErrorBox error={stop.error} />}
      </div>
    );
  }
  const submit = (event: FormEvent) => {
    event.preventDefault();
    start.mutate({ minutes, reason: reason.trim() }, { onSuccess: () => setOpen(false) });
  };
  return (
    <div className="control">
      {!open ? (
        <button type="button" onClick={() => setOpen(true)} disabled={loading}>
          Start maintenance
        </button>
      ) : (
        <form className="maint-form" onSubmit={submit} aria-label="Start maintenance">
          <label>
            Duration
            <select value={minutes} onChange={(e) => setMinutes(Number(e.target.value))}>
              {DURATIONS.map((d) => (
                <option key={d.minutes} value={d.minutes}>
                  {d.label}
                </option>
              ))}
            </select>
          </label>
          <label>
            Reason
            <input value={reason} onChange={(e) => setReason(e.target.value)} required maxLength={500} autoFocus />
          </label>
          <button type="submit" className="primary" disabled={!reason.trim() || start.isPending}>
            Start
          </button>
          <button type="button" onClick={() => setOpen(false)}>
            Cancel
          </button>
        </form>
      )}
      {start.error && <ErrorBox error={start.error} />}
    </div>
  );
}

function RebootControl({ host }: { host: Host }) {
  const me = useMe();
  const reboot = useRequestReboot(host);
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState(`manual reboot requested by ${me.name}`);
  return (
    <div className="control">
      {!open ? (
        <button type="button" className="danger" onClick={() => { reboot.reset(); setOpen(true); }}>
          Request reboot
        </button>
      ) : (
        <div className="reboot-confirm">
          <label>
            Reason for the reboot
            <input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={1000} />
          </label>
          <TypedConfirm
            word={host.name}
            label="Request reboot"
            busy={reboot.isPending || !reason.trim()}
            onCancel={() => setOpen(false)}
            onConfirm={() => reboot.mutate(reason.trim(), { onSuccess: () => setOpen(false) })}
          />
        </div>
      )}
      {reboot.data && (
        <p role="status" className="outcome">
          Reboot action <strong>{reboot.data.status.replace(/_/g, ' ')}</strong>
          {reboot.data.detail ? `: ${reboot.data.detail}` : ''} —{' '}
          <Link to={reboot.data.status === 'pending_approval' ? '/actions?status=pending_approval' : '/actions'}>see actions</Link>
        </p>
      )}
      {reboot.error && <ErrorBox error={reboot.error} />}
    </div>
  );
}
