import type { ReactNode } from 'react';
import { ApiError } from '../lib/api';

export function Loading({ what = 'Loading' }: { what?: string }) {
  return (
    <p className="state state-loading" role="status" aria-live="polite">
      {what}…
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="state state-empty">{children}</p>;
}

export function ErrorBox({ error }: { error: unknown }) {
  const message =
    error instanceof ApiError ? error.message : error instanceof Error ? error.message : 'Something went wrong.';
  return (
    <p className="state state-error" role="alert">
      {message}
    </p>
  );
}

/** Loading, error or the content of one query. */
export function QueryView<T>({
  query,
  children,
  what,
}: {
  query: { data: T | undefined; error: unknown; isPending: boolean };
  children: (data: T) => ReactNode;
  what?: string;
}) {
  if (query.isPending) return <Loading what={what} />;
  if (query.error) return <ErrorBox error={query.error} />;
  return <>{children(query.data as T)}</>;
}
