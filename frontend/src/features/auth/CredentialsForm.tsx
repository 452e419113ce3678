import { useState, type FormEvent } from 'react';
import { ErrorBox } from '../../components/States';

/** The username/password form of login and first-run setup. */
export function CredentialsForm({
  title,
  intro,
  submitLabel,
  newPassword = false,
  onSubmit,
}: {
  title: string;
  intro?: string;
  submitLabel: string;
  newPassword?: boolean;
  onSubmit: (username: string, password: string) => Promise<unknown>;
}) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await onSubmit(username, password);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="login">
      <form onSubmit={submit} className="card">
        <h1>{title}</h1>
        {intro && <p>{intro}</p>}
        <label>
          Username
          <input name="username" autoComplete="username" required value={username} onChange={(e) => setUsername(e.target.value)} autoFocus />
        </label>
        <label>
          Password
          <input
            name="password"
            type="password"
            autoComplete={newPassword ? 'new-password' : 'current-password'}
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {error !== undefined && <ErrorBox error={error} />}
        <button type="submit" className="primary" disabled={busy}>
          {submitLabel}
        </button>
      </form>
    </main>
  );
}
