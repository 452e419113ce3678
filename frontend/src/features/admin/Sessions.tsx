import { Empty, ErrorBox, QueryView } from '../../components/States';
import { Time } from '../../components/Time';
import { useRevokeSession, useSessions } from './api';

/** Browser sessions: your own, or (admin) everyone's; each can be revoked, except the one you are using. */
export function SessionsTable({ all }: { all: boolean }) {
  const sessions = useSessions(all);
  const revoke = useRevokeSession();
  return (
    <QueryView query={sessions} what="Loading sessions">
      {(list) =>
        list.length === 0 ? (
          <Empty>No sessions.</Empty>
        ) : (
          <>
            {revoke.error && <ErrorBox error={revoke.error} />}
            <div className="table-wrap">
              <table aria-label={all ? 'All sessions' : 'Your sessions'}>
                <thead>
                  <tr>
                    {all && <th>User</th>}
                    <th>Address</th>
                    <th>Started</th>
                    <th>Last seen</th>
                    <th>Expires</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {list.map((s) => (
                    <tr key={s.id}>
                      {all && <td>{s.username}</td>}
                      <td>{s.address}</td>
                      <td>
                        <Time at={s.created_at} />
                      </td>
                      <td>
                        <Time at={s.last_seen} />
                      </td>
                      <td>
                        <Time at={s.expires_at} />
                      </td>
                      <td>
                        {s.current ? (
                          <span className="muted">this session</span>
                        ) : (
                          <button
                            type="button"
                            aria-label={`Revoke session ${s.id}${all ? ` of ${s.username}` : ''}`}
                            disabled={revoke.isPending}
                            onClick={() => revoke.mutate(s.id)}
                          >
                            Revoke
                          </button>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )
      }
    </QueryView>
  );
}
