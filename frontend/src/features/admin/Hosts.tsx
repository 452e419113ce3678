import { Fragment, useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { Empty, ErrorBox, FormFeedback, QueryView } from '../../components/States';
import { Time } from '../../components/Time';
import { TypedConfirm } from '../../components/TypedConfirm';
import { useHosts } from '../../lib/hosts';
import { useDeleteHost, useHostProbes, useRefreshHost, useSaveHost, type Refresh } from './api';
import { draftOf, EMPTY_HOST, hostBody, type Host, type HostDraft } from './hostForm';

type Editing = { host?: Host } | undefined;

export function HostsAdmin() {
  const hosts = useHosts();
  const [editing, setEditing] = useState<Editing>();
  return (
    <section>
      <div className="page-head">
        <h1>Hosts</h1>
        {!editing && (
          <button type="button" className="primary" onClick={() => setEditing({})}>
            Add host
          </button>
        )}
      </div>
      {editing && <HostForm key={editing.host?.id ?? 'new'} host={editing.host} onDone={() => setEditing(undefined)} />}
      <QueryView query={hosts} what="Loading hosts">
        {(list) =>
          list.length === 0 ? (
            <Empty>No hosts yet: add the first agent.</Empty>
          ) : (
            <HostsTable hosts={list} onEdit={(host) => setEditing({ host })} />
          )
        }
      </QueryView>
    </section>
  );
}

function HostsTable({ hosts, onEdit }: { hosts: Host[]; onEdit: (host: Host) => void }) {
  const [open, setOpen] = useState<number>();
  const [removing, setRemoving] = useState<number>();
  const [tested, setTested] = useState<Record<number, Refresh | Error>>({});
  const remove = useDeleteHost();
  const refresh = useRefreshHost();
  const test = (id: number) =>
    refresh.mutate(id, {
      onSuccess: (result) => setTested((t) => ({ ...t, [id]: result })),
      onError: (error) => setTested((t) => ({ ...t, [id]: error })),
    });
  return (
    <>
      {remove.error && <ErrorBox error={remove.error} />}
      <div className="table-wrap">
        <table aria-label="Hosts">
          <thead>
            <tr>
              <th>Name</th>
              <th>URL</th>
              <th>Group</th>
              <th>Status</th>
              <th>Interval</th>
              <th>Policy</th>
              <th>Manage</th>
            </tr>
          </thead>
          <tbody>
            {hosts.map((host) => {
              const result = tested[host.id];
              return (
                <Fragment key={host.id}>
                  <tr>
                    <td>
                      <Link to={`/hosts/${host.id}`}>{host.name}</Link>
                    </td>
                    <td className="detail">{host.url}</td>
                    <td>{host.group ?? '—'}</td>
                    <td className={`status-${host.status}`}>{host.status}</td>
                    <td>{host.effective_interval_seconds} s{host.interval_seconds === null ? ' (default)' : ''}</td>
                    <td className="detail">{policySummary(host)}</td>
                    <td>
                      <span className="step-buttons">
                        <button type="button" aria-label={`Edit ${host.name}`} onClick={() => onEdit(host)}>
                          Edit
                        </button>
                        <button type="button" aria-label={`Test connection to ${host.name}`} disabled={refresh.isPending} onClick={() => test(host.id)}>
                          Test connection
                        </button>
                        <button
                          type="button"
                          aria-label={`Probes of ${host.name}`}
                          aria-expanded={open === host.id}
                          onClick={() => setOpen(open === host.id ? undefined : host.id)}
                        >
                          Probes
                        </button>
                        <button type="button" className="danger" aria-label={`Remove ${host.name}`} onClick={() => setRemoving(host.id)}>
                          Remove
                        </button>
                      </span>
                      {result && (
                        <p role="status" className={result instanceof Error || result.outcome !== 'ok' ? 'state-error' : 'state-ok'}>
                          {result instanceof Error
                            ? result.message
                            : `${result.outcome} in ${result.latency_ms} ms`}
                        </p>
                      )}
                    </td>
                  </tr>
                  {removing === host.id && (
                    <tr>
                      <td colSpan={7}>
                        <TypedConfirm
                          word={host.name}
                          label="Remove host"
                          busy={remove.isPending}
                          onConfirm={() => remove.mutate(host.id, { onSuccess: () => setRemoving(undefined) })}
                          onCancel={() => setRemoving(undefined)}
                        />
                      </td>
                    </tr>
                  )}
                  {open === host.id && (
                    <tr>
                      <td colSpan={7}>
                        <Probes host={host} />
                      </td>
                    </tr>
                  )}
                </Fragment>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}

function policySummary(host: Host): string {
  const p = host.policy;
  const parts = [
    p.allowed_services.length ? `services: ${p.allowed_services.join(', ')}` : 'no services',
    p.killable_processes.length ? `kills: ${p.killable_processes.join(', ')}` : 'no kills',
  ];
  if (p.auto_reboot) parts.push('automatic reboot');
  if (p.dry_run) parts.push('dry run');
  if (p.require_approval) parts.push('approval required');
  return parts.join(' · ');
}

/** The probes the agent reports (configured on the agent: read only here). */
function Probes({ host }: { host: Host }) {
  const probes = useHostProbes(host.id);
  return (
    <QueryView query={probes} what="Loading probes">
      {(list) =>
        !list || list.length === 0 ? (
          <Empty>{list ? 'The agent reports no probes.' : 'No snapshot from this agent yet.'}</Empty>
        ) : (
          <table aria-label={`Probes of ${host.name}`} className="inner">
            <thead>
              <tr>
                <th>Probe</th>
                <th>Target</th>
                <th>Unit</th>
                <th>State</th>
                <th>Latency</th>
                <th>Failures</th>
              </tr>
            </thead>
            <tbody>
              {list.map((p) => (
                <tr key={p.name}>
                  <td>{p.name}</td>
                  <td className="detail">{p.target ?? '—'}</td>
                  <td>{p.unit ?? '—'}</td>
                  <td className={p.ok ? 'status-up' : 'status-down'}>{p.ok ? 'ok' : `failing${p.error ? `: ${p.error}` : ''}`}</td>
                  <td>{p.latency_ms != null ? `${p.latency_ms} ms` : '—'}</td>
                  <td>{p.consecutive_failures ?? 0}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      }
    </QueryView>
  );
}

function HostForm({ host, onDone }: { host?: Host; onDone: () => void }) {
  const [draft, setDraft] = useState<HostDraft>(() => (host ? draftOf(host) : EMPTY_HOST));
  const [problem, setProblem] = useState<string>();
  const save = useSaveHost();
  const text = (field: keyof HostDraft) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [field]: e.target.value }));
  const flag = (field: keyof HostDraft) => (e: { target: { checked: boolean } }) => setDraft((d) => ({ ...d, [field]: e.target.checked }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    try {
      const body = hostBody(draft, !host);
      setProblem(undefined);
      save.mutate({ id: host?.id, body }, { onSuccess: onDone });
    } catch (e) {
      setProblem(e instanceof Error ? e.message : String(e));
    }
  };
  const keep = host ? 'leave blank to keep the stored one' : undefined;
  return (
    <form className="admin-form card host-form" aria-label={host ? `Edit ${host.name}` : 'New host'} onSubmit={submit}>
      <h2>{host ? `Edit ${host.name}` : 'New host'}</h2>
      <div className="grid">
        <label>
          Name
          <input required value={draft.name} onChange={text('name')} autoComplete="off" />
        </label>
        <label>
          URL
          <input required type="url" value={draft.url} onChange={text('url')} placeholder="http://web-1:9130" />
        </label>
        <label>
          Token
          <input type="password" autoComplete="new-password" required={!host} value={draft.token} onChange={text('token')} placeholder={keep} />
        </label>
        <label>
          Action token
          <input
            type="password"
            autoComplete="new-password"
            value={draft.actionToken}
            onChange={text('actionToken')}
            placeholder={host ? (host.has_action_token ? 'set — leave blank to keep' : 'none set') : 'optional'}
          />
        </label>
        <label>
          Interval (s)
          <input type="number" min={5} max={3600} step={1} value={draft.interval} onChange={text('interval')} />
        </label>
        <label>
          Group
          <input value={draft.group} onChange={text('group')} />
        </label>
        <label>
          Labels
          <textarea rows={3} value={draft.labels} onChange={text('labels')} placeholder={'env=prod\nrole=web'} />
        </label>
        <label>
          Allowed services
          <textarea rows={3} value={draft.allowedServices} onChange={text('allowedServices')} placeholder="nginx.service, sshd.service" />
        </label>
        <label>
          Killable processes
          <textarea rows={3} value={draft.killableProcesses} onChange={text('killableProcesses')} placeholder="java, python3" />
        </label>
      </div>
      <fieldset className="checks">
        <legend>Policy</legend>
        <label className="check">
          <input type="checkbox" checked={draft.autoReboot} onChange={flag('autoReboot')} />
          Automatic reboot
        </label>
        <label className="check">
          <input type="checkbox" checked={draft.dryRun} onChange={flag('dryRun')} />
          Dry run
        </label>
        <label className="check">
          <input type="checkbox" checked={draft.requireApproval} onChange={flag('requireApproval')} />
          Require approval
        </label>
      </fieldset>
      {host && <p className="muted">Tokens are never shown: leave them blank to keep the stored ones.</p>}
      <FormFeedback problem={problem} error={save.error} />
      <div className="step-buttons">
        <button type="submit" className="primary" disabled={save.isPending}>
          {host ? 'Save host' : 'Add host'}
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
      {host && (
        <p className="muted">
          Added <Time at={host.created_at} />, changed <Time at={host.updated_at} />
        </p>
      )}
    </form>
  );
}
