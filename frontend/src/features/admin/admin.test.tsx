import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { MeProvider, type Role } from '../../lib/auth';
import AdminPage from './index';
import { draftOf, EMPTY_HOST, hostBody, parseLabels, parseList, type Host } from './hostForm';
import { SettingsForm } from './Settings';
import { reasonRequired, settingsBody, type Settings } from './settingsForm';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('host form → API body', () => {
  it('parses k=v label lines and comma or line separated lists', () => {
    expect(parseLabels(' env = prod \n\nrole=web=edge\n')).toEqual({ env: 'prod', role: 'web=edge' });
    expect(() => parseLabels('env=prod\nbroken')).toThrow(/line 2/);
    expect(() => parseLabels('=x')).toThrow();
    expect(parseList('nginx.service, sshd.service\n cron.service,,\nnginx.service')).toEqual([
      'nginx.service',
      'sshd.service',
      'cron.service',
    ]);
    expect(parseList('  ')).toEqual([]);
  });

  it('builds the body with policy, and leaves blank tokens out', () => {
    const body = hostBody(
      {
        ...EMPTY_HOST,
        name: ' web-1 ',
        url: 'http://web-1:9130',
        token: '',
        actionToken: '',
        interval: '30',
        group: 'web',
        labels: 'env=prod',
        allowedServices: 'nginx.service\nphp-fpm.service',
        killableProcesses: 'java, python3',
        autoReboot: true,
        requireApproval: true,
      },
      false,
    );
    expect(body).toEqual({
      name: 'web-1',
      url: 'http://web-1:9130',
      interval_seconds: 30,
      group: 'web',
      labels: { env: 'prod' },
      policy: {
        allowed_services: ['nginx.service', 'php-fpm.service'],
        killable_processes: ['java', 'python3'],
        auto_reboot: true,
        dry_run: false,
        require_approval: true,
      },
    });
    expect('token' in body).toBe(false);
    expect('action_token' in body).toBe(false);
    const withTokens = hostBody({ ...EMPTY_HOST, name: 'a', url: 'http://a', token: 't1', actionToken: 't2' }, true);
    expect(withTokens).toMatchObject({ token: 't1', action_token: 't2' });
    expect(withTokens).not.toHaveProperty('group');
  });

  it('needs the read token for a new host only, and a sane interval', () => {
    expect(() => hostBody({ ...EMPTY_HOST, name: 'a', url: 'http://a' }, true)).toThrow(/Token/);
    expect(() => hostBody({ ...EMPTY_HOST, name: 'a', url: 'http://a' }, false)).not.toThrow();
    expect(() => hostBody({ ...EMPTY_HOST, name: 'a', url: 'http://a', interval: '2' }, false)).toThrow(/Interval/);
  });

  it('fills the form from a stored host without its tokens', () => {
    const host: Host = {
      id: 1,
      name: 'db-1',
      url: 'https://db-1:9130',
      interval_seconds: 15,
      effective_interval_seconds: 15,
      labels: { env: 'prod', tier: 'db' },
      policy: {
        allowed_services: ['mariadb.service'],
        killable_processes: [],
        auto_reboot: false,
        dry_run: true,
        require_approval: true,
      },
      has_action_token: true,
      created_at: '2026-01-01T00:00:00Z',
      updated_at: '2026-01-01T00:00:00Z',
      group: null,
      status: 'up',
    };
    const draft = draftOf(host);
    expect(draft).toMatchObject({ labels: 'env=prod\ntier=db', allowedServices: 'mariadb.service', token: '', actionToken: '', dryRun: true, requireApproval: true });
    expect(hostBody(draft, false)).toEqual({
      name: 'db-1',
      url: 'https://db-1:9130',
      interval_seconds: 15,
      labels: { env: 'prod', tier: 'db' },
      policy: {
        allowed_services: ['mariadb.service'],
        killable_processes: [],
        auto_reboot: false,
        dry_run: true,
        require_approval: true,
      },
    });
    // unchecked is sent too, so that saving the form can turn approval off
    expect(hostBody({ ...draft, requireApproval: false }, false).policy.require_approval).toBe(false);
    expect(hostBody({ ...EMPTY_HOST, name: 'a', url: 'http://a' }, false).policy).toHaveProperty('require_approval', false);
  });
});

const current: Settings = { retention_days: 30, dry_run: true, poll_interval_seconds: 10 };

describe('settings: switching dry run off needs a reason', () => {
  it('requires the reason only when dry run goes from on to off, and sends only what changed', () => {
    const draft = { retentionDays: '30', dryRun: false, pollInterval: '10', reason: '' };
    expect(reasonRequired(current, draft)).toBe(true);
    expect(settingsBody(current, draft)).toEqual({ error: expect.stringMatching(/reason/i) });
    expect(settingsBody(current, { ...draft, reason: ' go live ' })).toEqual({ body: { dry_run: false, reason: 'go live' } });
    const on = { ...current, dry_run: false };
    expect(reasonRequired(on, { ...draft, dryRun: true })).toBe(false);
    expect(settingsBody(on, { ...draft, dryRun: true })).toEqual({ body: { dry_run: true } });
    expect(settingsBody(current, { ...draft, dryRun: true, retentionDays: '91' })).toHaveProperty('error');
    expect(settingsBody(current, { ...draft, dryRun: true, retentionDays: '7' })).toEqual({ body: { retention_days: 7 } });
  });

  it('reveals a required Reason field with a warning, and does not save without it', async () => {
    const fetch = vi.fn(async () => new Response(JSON.stringify({ ...current, dry_run: false }), { headers: { 'Content-Type': 'application/json' } }));
    vi.stubGlobal('fetch', fetch);
    render(
      <QueryClientProvider client={new QueryClient()}>
        <SettingsForm current={current} />
      </QueryClientProvider>,
    );
    expect(screen.queryByLabelText('Reason')).toBeNull();
    fireEvent.click(screen.getByLabelText('Global dry run'));
    const reason = screen.getByLabelText('Reason') as HTMLInputElement;
    expect(reason.required).toBe(true);
    expect(screen.getByText(/for real/)).toBeTruthy();
    fireEvent.submit(screen.getByRole('form', { name: 'Settings' }));
    expect(screen.getByText(/Give a reason/)).toBeTruthy();
    expect(fetch).not.toHaveBeenCalled();
    fireEvent.change(reason, { target: { value: 'maintenance over' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    await waitFor(() => expect(fetch).toHaveBeenCalledTimes(1));
    const [path, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(path).toBe('/api/v1/settings');
    expect(init.method).toBe('PUT');
    expect(JSON.parse(String(init.body))).toEqual({ dry_run: false, reason: 'maintenance over' });
    expect(await screen.findByText('Settings saved.')).toBeTruthy();
  });
});

describe('admin routes', () => {
  function at(path: string, role: Role) {
    vi.stubGlobal('fetch', vi.fn(async () => new Response('[]', { headers: { 'Content-Type': 'application/json' } })));
    render(
      <QueryClientProvider client={new QueryClient()}>
        <MeProvider me={{ name: 'u', role, via: 'session' }}>
          <MemoryRouter initialEntries={[path]}>
            <Routes>
              <Route path="/admin/*" element={<AdminPage />} />
            </Routes>
          </MemoryRouter>
        </MeProvider>
      </QueryClientProvider>,
    );
  }
  it('gives a viewer the account page but not the admin controls', () => {
    at('/admin/account', 'viewer');
    expect(screen.getByLabelText('Current password')).toBeTruthy();
    cleanup();
    at('/admin/users', 'operator');
    expect(screen.getByText(/needs the admin role/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Create user' })).toBeNull();
  });
  it('gives an admin the user form', () => {
    at('/admin/users', 'admin');
    expect(screen.getByRole('button', { name: 'Create user' })).toBeTruthy();
  });
});
