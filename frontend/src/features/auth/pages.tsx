import { useQueryClient } from '@tanstack/react-query';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { authApi } from './api';
import { CredentialsForm } from './CredentialsForm';

/** Where to go after logging in: the page the user came from, only ever a path of this site. */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

function useEnter() {
  const client = useQueryClient();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  return async () => {
    await client.invalidateQueries({ queryKey: ['me'] });
    navigate(safeNext(params.get('next')), { replace: true });
  };
}

export function LoginPage() {
  const enter = useEnter();
  return (
    <CredentialsForm
      title="Vigil"
      intro="Log in to the fleet console."
      submitLabel="Log in"
      onSubmit={async (username, password) => {
        await authApi.login(username, password);
        await enter();
      }}
    />
  );
}

export function SetupPage() {
  const enter = useEnter();
  return (
    <CredentialsForm
      title="Welcome to Vigil"
      intro="No account exists yet. Create the first administrator."
      submitLabel="Create admin and log in"
      newPassword
      onSubmit={async (username, password) => {
        await authApi.setup(username, password);
        await enter();
      }}
    />
  );
}
