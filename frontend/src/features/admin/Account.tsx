import { useState, type FormEvent } from 'react';
import { FormFeedback } from '../../components/States';
import { useMe } from '../../lib/auth';
import { useChangePassword } from './api';
import { SessionsTable } from './Sessions';

/** Every role's own page: password and sessions. */
export function AccountPage() {
  const me = useMe();
  return (
    <section>
      <h1>Your account</h1>
      <p>
        {me.name}, role <strong>{me.role}</strong>
        {me.via === 'token' && ' (an API token: it has no password or sessions)'}
      </p>
      {me.via === 'session' && <PasswordForm />}
      <h2>Your sessions</h2>
      <SessionsTable all={false} />
    </section>
  );
}

function PasswordForm() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [done, setDone] = useState(false);
  const change = useChangePassword();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setDone(false);
    change.mutate(
      { current_password: current, new_password: next },
      {
        onSuccess: () => {
          setCurrent('');
          setNext('');
          setDone(true);
        },
      },
    );
  };
  return (
    <form className="admin-form card" aria-label="Change password" onSubmit={submit}>
      <h2>Change password</h2>
      <label>
        Current password
        <input type="password" autoComplete="current-password" required value={current} onChange={(e) => setCurrent(e.target.value)} />
      </label>
      <label>
        New password
        <input type="password" autoComplete="new-password" required value={next} onChange={(e) => setNext(e.target.value)} />
      </label>
      <FormFeedback error={change.error} done={done && 'Password changed. Your other sessions have ended.'} />
      <div>
        <button type="submit" className="primary" disabled={change.isPending}>
          Change password
        </button>
      </div>
    </form>
  );
}
