import type { ReactNode } from 'react';
import { Navigate, NavLink, Route, Routes } from 'react-router-dom';
import { ErrorBox } from '../../components/States';
import { Can, useCan } from '../../lib/auth';
import '../incidents/styles.css';
import { AccountPage } from './Account';
import { AuditPage } from './Audit';
import { HostsAdmin } from './Hosts';
import { SettingsPage } from './Settings';
import { TelegramPage } from './telegram/TelegramPage';
import { TokensPage } from './Tokens';
import { UsersPage } from './Users';
import './styles.css';

/** Everything but the account page is the admin's: anyone else gets a message, never the controls. */
export function AdminOnly({ children }: { children: ReactNode }) {
  return useCan('admin') ? (
    <>{children}</>
  ) : (
    <p className="state state-error" role="alert">
      This page needs the admin role.
    </p>
  );
}

export default function AdminPage() {
  const admin = useCan('admin');
  return (
    <div className="admin">
      <nav className="subnav" aria-label="Admin">
        <NavLink to="/admin/account">Account</NavLink>
        <Can least="admin">
          <NavLink to="/admin/hosts">Hosts</NavLink>
          <NavLink to="/admin/users">Users</NavLink>
          <NavLink to="/admin/tokens">Tokens</NavLink>
          <NavLink to="/admin/settings">Settings</NavLink>
          <NavLink to="/admin/telegram">Telegram</NavLink>
          <NavLink to="/admin/audit">Audit</NavLink>
        </Can>
      </nav>
      <Routes>
        <Route index element={<Navigate to={admin ? 'hosts' : 'account'} replace />} />
        <Route path="account" element={<AccountPage />} />
        <Route path="hosts" element={<AdminOnly><HostsAdmin /></AdminOnly>} />
        <Route path="users" element={<AdminOnly><UsersPage /></AdminOnly>} />
        <Route path="tokens" element={<AdminOnly><TokensPage /></AdminOnly>} />
        <Route path="settings" element={<AdminOnly><SettingsPage /></AdminOnly>} />
        <Route path="telegram" element={<AdminOnly><TelegramPage /></AdminOnly>} />
        <Route path="audit" element={<AdminOnly><AuditPage /></AdminOnly>} />
        <Route path="*" element={<ErrorBox error={new Error('No such admin page.')} />} />
      </Routes>
    </div>
  );
}
