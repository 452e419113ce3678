import { useState, type FormEvent } from 'react';
import { Empty, ErrorBox, QueryView } from '../../components/States';
import { Time } from '../../components/Time';
import type { Role } from '../../lib/auth';
import { useCreateToken, useRevokeToken, useTokens, type Token } from './api';
import { ROLES } from './Users';

export function TokensPage() {
  const tokens = useTokens();
  return (
    <section>
      <h1>API tokens</h1>
      <p className="muted">For the Telegram bot and automation: sent as “Authorization: Bearer …”.</p>
      <CreateToken />
      <QueryView query={tokens} what="Loading tokens">
        {(list) => (list.length === 0 ? <Empty>No API tokens.</Empty> : <TokensTable tokens={list} />)}
      </QueryView>
    </section>
  );
}

function CreateToken() {
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [issued, setIssued] = useState<Token & { token: string }>();
  const [copied, setCopied] = useState(false);
  const create = useCreateToken();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setIssued(undefined);
    setCopied(false);
    create.mutate(
      { name: name.trim(), role },
      {
        onSuccess: (token) => {
          setIssued(token);
          setName('');
        },
      },
    );
  };
  const copy = async () => {
    if (!issued) return;
    try {
      await navigator.clipboard.writeText(issued.token);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };
  return (
    <>
      <form className="admin-form card inline-form" aria-label="New token" onSubmit={submit}>
        <label>
          Token name
          <input required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" />
        </label>
        <label>
          Role
          <select value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {ROLES.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </label>
        <button type="submit" className="primary" disabled={create.isPending}>
          Create token
        </button>
        {create.error && <ErrorBox error={create.error} />}
      </form>
      {issued && (
        <div className="card issued" role="region" aria-label="New token value">
          <p className="warning" role="alert">
            Copy the token of “{issued.name}” now: it is shown only this once and cannot be read again.
          </p>
          <span className="step-buttons">
            <input
              readOnly
              aria-label="Token value"
              value={issued.token}
              size={Math.min(64, issued.token.length + 2)}
              onFocus={(e) => e.target.select()}
            />
            <button type="button" onClick={copy}>
              Copy
            </button>
            {copied && <span role="status">Copied.</span>}
            <button type="button" onClick={() => setIssued(undefined)}>
              Done
            </button>
          </span>
        </div>
      )}
    </>
  );
}

function TokensTable({ tokens }: { tokens: Token[] }) {
  const revoke = useRevokeToken();
  const [confirming, setConfirming] = useState<number>();
  return (
    <>
      {revoke.error && <ErrorBox error={revoke.error} />}
      <div className="table-wrap">
        <table aria-label="API tokens">
          <thead>
            <tr>
              <th>Name</th>
              <th>Role</th>
              <th>Created by</th>
              <th>Created</th>
              <th>Last used</th>
              <th>Revoked</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {tokens.map((t) => (
              <tr key={t.id}>
                <td>{t.name}</td>
                <td>{t.role}</td>
                <td>{t.created_by}</td>
                <td>
                  <Time at={t.created_at} />
                </td>
                <td>
                  <Time at={t.last_used_at} />
                </td>
                <td>
                  <Time at={t.revoked_at} />
                </td>
                <td>
                  {!t.revoked_at &&
                    (confirming === t.id ? (
                      <span className="step-buttons">
                        <button
                          type="button"
                          className="danger"
                          disabled={revoke.isPending}
                          onClick={() => revoke.mutate(t.id, { onSuccess: () => setConfirming(undefined) })}
                        >
                          Confirm revoke
                        </button>
                        <button type="button" onClick={() => setConfirming(undefined)}>
                          Cancel
                        </button>
                      </span>
                    ) : (
                      <button type="button" aria-label={`Revoke ${t.name}`} onClick={() => setConfirming(t.id)}>
                        Revoke
                      </button>
                    ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
