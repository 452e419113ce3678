import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter } from 'react-router-dom';
import { MeProvider, type Role } from '../../lib/auth';
import type { Host } from './api';
import { HostHeader } from './HostHeader';

const host: Host = {
  id: 7,
  name: 'db-1',
  url: 'http://db-1:9130',
  interval_seconds: 10,
  effective_interval_seconds: 10,
  group: 'db',
  labels: { env: 'prod' },
  policy: { allowed_services: [], killable_processes: [], auto_reboot: false, dry_run: false, require_approval: false },
  has_action_token: true,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
  status: 'up',
};

const requests: { method: string; url: string; body: unknown }[] = [];

beforeEach(() => {
  requests.length = 0;
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    requests.push({ method: init.method ?? 'GET', url, body: init.body ? JSON.parse(String(init.body)) : undefined });
    const json = (status: number, body: unknown) =>
      new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
    if (url === '/api/v1/maintenance') return json(200, []);
    if (url === '/api/v1/actions') {
      return json(201, { id: 'u-1', host_id: 7, type: 'reboot', target: 'db-1', status: 'pending_approval', detail: 'a reboot waits for an admin\'s approval' });
    }
    return json(404, { error: 'not_found', message: 'no' });
  });
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function renderAs(role: Role) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <MeProvider me={{ name: 'alice', role, via: 'session' }}>
        <MemoryRouter>
          <HostHeader host={host} latest={undefined} lastSample="2026-01-01T00:00:00Z" />
        </MemoryRouter>
      </MeProvider>
    </QueryClientProvider>,
  );
}

describe('host page controls by role', () => {
  it('shows a viewer the host but no Refresh, Maintenance or Reboot button', async () => {
    renderAs('viewer');
    expect(screen.getByRole('heading', { name: 'db-1' })).toBeTruthy();
    expect(screen.getByText('env=prod')).toBeTruthy();
    await new Promise((r) => setTimeout(r, 20));
    expect(screen.queryByRole('button', { name: /refresh now/i })).toBeNull();
    expect(screen.queryByRole('button', { name: /maintenance/i })).toBeNull();
    expect(screen.queryByRole('button', { name: /reboot/i })).toBeNull();
  });

  it('gives an operator the controls', async () => {
    renderAs('operator');
    expect(screen.getByRole('button', { name: 'Refresh now' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Request reboot' })).toBeTruthy();
    await waitFor(() => expect((screen.getByRole('button', { name: 'Start maintenance' }) as HTMLButtonElement).disabled).toBe(false));
  });

  it('requests a reboot only after the host name is typed, and shows the resulting status', async () => {
    renderAs('admin');
    fireEvent.click(screen.getByRole('button', { name: 'Request reboot' }));
    const confirm = screen.getByRole('button', { name: 'Request reboot' }) as HTMLButtonElement;
    expect(confirm.disabled).toBe(true);
    fireEvent.change(screen.getByRole('textbox', { name: /Type db-1 to/ }), { target: { value: 'db-1' } });
    expect(confirm.disabled).toBe(false);
    fireEvent.click(confirm);
    await screen.findByText('pending approval');
    const post = requests.find((r) => r.method === 'POST');
    expect(post).toEqual({
      method: 'POST',
      url: '/api/v1/actions',
      body: { host_id: 7, type: 'reboot', target: 'db-1', reason: 'manual reboot requested by alice' },
    });
    expect(screen.getByRole('link', { name: 'see actions' }).getAttribute('href')).toBe('/actions?status=pending_approval');
  });
});
