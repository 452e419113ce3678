import { useId, useState, type FormEvent } from 'react';
import { ErrorBox } from '../../components/States';
import { TypedConfirm } from '../../components/TypedConfirm';
import { useHosts } from '../../lib/hosts';
import { ACTION_TYPES, useCreateAction, useHostProcesses, type Action, type NewAction } from './api';
import { actionBody, type ActionDraft } from './form';

const EMPTY: ActionDraft = { host: '', type: 'restart_service', target: '', pid: '', reason: '' };

/** A manual action (operator): it goes through the same gate as the rules' ones. */
export function NewActionForm({ onDone }: { onDone: () => void }) {
  const hosts = useHosts();
  const [draft, setDraft] = useState<ActionDraft>(EMPTY);
  const [problem, setProblem] = useState<string>();
  const [confirm, setConfirm] = useState<NewAction>();
  const [created, setCreated] = useState<Action>();
  const create = useCreateAction();
  const hostId = draft.host ? Number(draft.host) : undefined;
  const processes = useHostProcesses(draft.type === 'kill_process' ? hostId : undefined);
  const hostName = hosts.data?.find((h) => h.id === hostId)?.name;
  const listId = useId();
  const set = (field: keyof ActionDraft) => (e: { target: { value: string } }) =>
    setDraft((d) => ({ ...d, [field]: e.target.value }));

  const send = (body: NewAction) =>
    create.mutate(body, {
      onSuccess: (action) => {
        setCreated(action);
        setConfirm(undefined);
        setDraft(EMPTY);
      },
    });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setCreated(undefined);
    const result = actionBody(draft, processes.data ?? [], hostName);
    if ('error' in result) {
      setProblem(result.error);
      return;
    }
    setProblem(undefined);
    if (result.body.type === 'reboot') setConfirm(result.body);
    else send(result.body);
  };

  return (
    <form className="new-action card" aria-label="New action" onSubmit={submit}>
      <label>
        Host
        <select value={draft.host} onChange={set('host')} required>
          <option value="">
            {hosts.isPending ? 'Loading hosts…' : hosts.data?.length === 0 ? 'No host is registered' : 'Choose a host'}
          </option>
          {(hosts.data ?? []).map((h) => (
            <option key={h.id} value={h.id}>
              {h.name}
            </option>
          ))}
        </select>
      </label>
      {hosts.error && <ErrorBox error={hosts.error} />}
      <label>
        Type
        <select value={draft.type} onChange={set('type')}>
          {ACTION_TYPES.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </label>
      {draft.type !== 'reboot' && (
        <label>
          Target
          <input
            value={draft.target}
            onChange={set('target')}
            placeholder={draft.type === 'restart_service' ? 'nginx.service' : 'process name (optional)'}
            required={draft.type === 'restart_service'}
          />
        </label>
      )}
      {draft.type === 'kill_process' && (
        <label>
          PID
          <input inputMode="numeric" list={listId} value={draft.pid} onChange={set('pid')} required />
          <datalist id={listId}>
            {(processes.data ?? []).map((p) => (
              <option key={p.pid} value={p.pid}>
                {p.name}
              </option>
            ))}
          </datalist>
        </label>
      )}
      <label className="wide">
        Reason
        <input value={draft.reason} onChange={set('reason')} required maxLength={1000} />
      </label>
      {problem && (
        <p className="state state-error" role="alert">
          {problem}
        </p>
      )}
      {create.error && <ErrorBox error={create.error} />}
      {confirm ? (
        <TypedConfirm
          word={hostName ?? ''}
          label="Request reboot"
          busy={create.isPending}
          onConfirm={() => send(confirm)}
          onCancel={() => setConfirm(undefined)}
        />
      ) : (
        <div className="step-buttons">
          <button type="submit" className="primary" disabled={create.isPending}>
            Create action
          </button>
          <button type="button" onClick={onDone}>
            Close
          </button>
        </div>
      )}
      {created && (
        <p role="status">
          Action {created.type} {created.target}: {created.status.replace(/_/g, ' ')}
          {created.detail ? ` — ${created.detail}` : ''}
        </p>
      )}
    </form>
  );
}
