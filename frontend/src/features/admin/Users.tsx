import { useState, type FormEvent } from 'react';
import { Empty, ErrorBox, QueryView } from '../../components/States';
import { Time } from '../../components/Time';
import { TypedConfirm } from '../../components/TypedConfirm';
import { useMe, type Role } from '../../lib/auth';
import { useCreateUser, useDeleteUser, useUpdateUser, useUsers, type User } from './api';
import { SessionsTable } from './Sessions';

export const ROLES: Role[] = ['viewer', 'operator', 'admin'];

export function UsersPage() {
  const users = useUsers();
  return (
    <section>
      <h1>Users</h1>
      <CreateUser />
      <QueryView query={users} what="Loading users">
        {(list) => (list.length === 0 ? <Empty>No users.</Empty> : <UsersTable users={list} />)}
      </QueryView>
      <h2>Sessions of all users</h2>
      <SessionsTable all />
    </section>
  );
}

function CreateUser() {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [created, setCreated] = useState<string>();
  const create = useCreateUser();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setCreated(undefined);
    create.mutate(
      { username: username.trim(), password, role },
      {
        onSuccess: (user) => {
          setCreated(`${user.username} (${user.role}) created.`);
          setUsername('');
          setPassword('');
          setRole('viewer');
        },
      },
    );
  };
  return (
    <form className="admin-form card inline-form" aria-label="New user" onSubmit={submit}>
      <label>
        Username
        <input required autoComplete="off" value={username} onChange={(e) => setUsername(e.target.value)} />
      </label>
      <label>
        Password
        <input type="password" autoComplete="new-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
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
        Create user
      </button>
      {create.error && <ErrorBox error={create.error} />}
      {created && <p role="status">{created}</p>}
    </form>
  );
}

type Editing = { id: number; what: 'role' | 'password' | 'delete' } | undefined;

function UsersTable({ users }: { users: User[] }) {
  const me = useMe();
  const [editing, setEditing] = useState<Editing>();
  const update = useUpdateUser();
  const remove = useDeleteUser();
  const [done, setDone] = useState<string>();
  const finish = (message: string) => {
    setEditing(undefined);
    setDone(message);
  };
  return (
    <>
      {update.error && <ErrorBox error={update.error} />}
      {remove.error && <ErrorBox error={remove.error} />}
      {done && <p role="status">{done}</p>}
      <div className="table-wrap">
        <table aria-label="Users">
          <thead>
            <tr>
              <th>Username</th>
              <th>Role</th>
              <th>Created</th>
              <th>Password changed</th>
              <th>Manage</th>
            </tr>
          </thead>
          <tbody>
            {users.map((user) => {
              const open = editing?.id === user.id ? editing.what : undefined;
              return (
                <tr key={user.id}>
                  <td>
                    {user.username}
                    {user.username === me.name && <span className="muted"> (you)</span>}
                  </td>
                  <td>
                    {open === 'role' ? (
                      <RoleEditor
                        user={user}
                        busy={update.isPending}
                        onSave={(role) =>
                          update.mutate({ id: user.id, role }, { onSuccess: () => finish(`${user.username} is now ${role}; their sessions ended.`) })
                        }
                        onCancel={() => setEditing(undefined)}
                      />
                    ) : (
                      user.role
                    )}
                  </td>
                  <td>
                    <Time at={user.created_at} />
                  </td>
                  <td>
                    <Time at={user.password_changed_at} />
                  </td>
                  <td>
                    {open === 'password' ? (
                      <PasswordReset
                        user={user}
                        busy={update.isPending}
                        onSave={(password) =>
                          update.mutate({ id: user.id, password }, { onSuccess: () => finish(`Password of ${user.username} set; their sessions ended.`) })
                        }
                        onCancel={() => setEditing(undefined)}
                      />
                    ) : open === 'delete' ? (
                      <TypedConfirm
                        word={user.username}
                        label="Delete user"
                        busy={remove.isPending}
                        onConfirm={() => remove.mutate(user.id, { onSuccess: () => finish(`${user.username} deleted.`) })}
                        onCancel={() => setEditing(undefined)}
                      />
                    ) : (
                      <span className="step-buttons">
                        <button type="button" aria-label={`Change role of ${user.username}`} onClick={() => setEditing({ id: user.id, what: 'role' })}>
                          Change role
                        </button>
                        <button type="button" aria-label={`Reset password of ${user.username}`} onClick={() => setEditing({ id: user.id, what: 'password' })}>
                          Reset password
                        </button>
                        <button type="button" className="danger" aria-label={`Delete ${user.username}`} onClick={() => setEditing({ id: user.id, what: 'delete' })}>
                          Delete
                        </button>
                      </span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}

function RoleEditor({ user, busy, onSave, onCancel }: { user: User; busy: boolean; onSave: (role: Role) => void; onCancel: () => void }) {
  const [role, setRole] = useState<Role>(user.role);
  return (
    <span className="step-buttons">
      <select aria-label={`Role of ${user.username}`} value={role} onChange={(e) => setRole(e.target.value as Role)} autoFocus>
        {ROLES.map((r) => (
          <option key={r}>{r}</option>
        ))}
      </select>
      <button type="button" className="primary" disabled={busy || role === user.role} onClick={() => onSave(role)}>
        Save role
      </button>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
    </span>
  );
}

function PasswordReset({ user, busy, onSave, onCancel }: { user: User; busy: boolean; onSave: (password: string) => void; onCancel: () => void }) {
  const [password, setPassword] = useState('');
  return (
    <form
      className="step-buttons"
      onSubmit={(e) => {
        e.preventDefault();
        if (password) onSave(password);
      }}
    >
      <input
        type="password"
        autoComplete="new-password"
        aria-label={`New password for ${user.username}`}
        required
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        autoFocus
      />
      <button type="submit" className="primary" disabled={busy || !password}>
        Set password
      </button>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
    </form>
  );
}
