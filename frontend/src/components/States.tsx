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

/**
 * What a form says after a submit: a problem found before sending, the server's refusal, or what was done.
 * A problem may be a list, hence a div.
 */
export function FormFeedback({ problem, error, done }: { problem?: ReactNode; error?: unknown; done?: ReactNode }) {
  return (
    <>
      {problem && (
        <div className="state state-error" role="alert">
          {problem}
        </div>
      )}
      {error ? <ErrorBox error={error} /> : null}
      {done && <p role="status">{done}</p>}
    </>
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
