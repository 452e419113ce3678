import { useEffect, useState, type ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { NavLink, useNavigate } from 'react-router-dom';
import { Can, useMe } from '../lib/auth';
import { events } from '../lib/events';
import { authApi } from '../features/auth/api';
import { statsQuery } from '../features/fleet/api';

function DryRunBanner() {
  const stats = useQuery(statsQuery);
  if (!stats.data?.dry_run) return null;
  return (
    <div className="banner banner-dry-run" role="status">
      Global dry run is on: rules decide and record actions, nothing is run on hosts.
    </div>
  );
}

function ConnectionState() {
  const [connected, setConnected] = useState(true);
  useEffect(() => events.onStatus(setConnected), []);
  return connected ? null : (
    <span className="live-state" role="status">
      reconnecting…
    </span>
  );
}

/** "/" focuses the page's search box, as in most consoles. */
function useSearchShortcut() {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement;
      if (event.key !== '/' || target.closest('input, textarea, [contenteditable="true"]')) return;
      const search = document.querySelector<HTMLInputElement>('[data-search]');
      if (search) {
        event.preventDefault();
        search.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

export function Layout({ children }: { children: ReactNode }) {
  const me = useMe();
  const client = useQueryClient();
  const navigate = useNavigate();
  useSearchShortcut();
  const logout = async () => {
    await authApi.logout().catch(() => undefined);
    client.clear();
    navigate('/login', { replace: true });
  };
  return (
    <div className="shell">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <NavLink to="/" className="brand">
          Vigil
        </NavLink>
        <nav aria-label="Main">
          <NavLink to="/" end>
            Fleet
          </NavLink>
          <NavLink to="/incidents">Incidents</NavLink>
          <NavLink to="/actions">Actions</NavLink>
          <NavLink to="/rules">Rules</NavLink>
          <NavLink to="/reports">Reports</NavLink>
          <Can least="admin">
            <NavLink to="/admin">Admin</NavLink>
          </Can>
        </nav>
        <ConnectionState />
        <div className="who">
          <NavLink to="/admin/account" title="Your account">
            {me.name} <span className="role">{me.role}</span>
          </NavLink>
          <button type="button" onClick={logout}>
            Log out
          </button>
        </div>
      </header>
      <DryRunBanner />
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
