import { describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { afterEach } from 'vitest';
import { MeProvider, type Role } from '../../lib/auth';
import type { Action } from './api';
import { actionBody } from './form';
import { decisions } from './gating';
import { NewActionForm } from './NewActionForm';
import { PendingItem } from './Pending';

function action(type: string, status = 'pending_approval'): Action {
  return {
    id: '00000000-0000-0000-0000-000000000001',
    host_id: 1,
    type,
    target: type === 'reboot' ? 'web-1' : 'nginx.service',
    reason: 'r',
    status,
    detail: '',
    requested_by: 'rules',
    created_at: '2026-01-01T10:00:00Z',
    updated_at: '2026-01-01T10:00:00Z',
    pid: null,
    create_time: null,
    decided_by: null,
    incident_id: null,
    attempts: 0,
    dispatched_at: null,
    finished_at: null,
  };
}

describe('pending approval gating', () => {
  it('lets an operator approve restarts but not reboots, an admin both, a viewer neither', () => {
    expect(decisions('operator', action('restart_service'))).toMatchObject({ approve: true, reject: true });
    expect(decisions('operator', action('reboot'))).toMatchObject({ approve: false, reject: true });
    expect(decisions('admin', action('reboot'))).toMatchObject({ approve: true, reject: true, typedConfirm: true });
    expect(decisions('viewer', action('kill_process'))).toMatchObject({ approve: false, reject: false });
    expect(decisions('admin', action('restart_service', 'succeeded'))).toMatchObject({ approve: false, reject: false });
  });

  afterEach(cleanup);
  function show(role: Role, a: Action) {
    const client = new QueryClient();
    client.setQueryData(['hosts'], [{ id: 1, name: 'web-1', url: 'http://x', group: null }]);
    render(
      <QueryClientProvider client={client}>
        <MeProvider me={{ name: 'u', role, via: 'session' }}>
          <PendingItem action={a} />
        </MeProvider>
      </QueryClientProvider>,
    );
  }

  it('shows a viewer no buttons', () => {
    show('viewer', action('restart_service'));
    expect(screen.queryByRole('button')).toBeNull();
  });

  it('shows an operator Reject but no Approve on a reboot', () => {
    show('operator', action('reboot'));
    expect(screen.queryByRole('button', { name: 'Approve' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Reject' })).toBeTruthy();
  });

  it('asks an admin to type the host name before approving a reboot', () => {
    show('admin', action('reboot'));
    fireEvent.click(screen.getByRole('button', { name: 'Approve' }));
    const confirm = screen.getByRole('button', { name: 'Approve reboot' }) as HTMLButtonElement;
    expect(confirm.disabled).toBe(true);
    fireEvent.change(screen.getByRole('textbox', { name: /Type web-1/ }), { target: { value: 'web-1' } });
    expect(confirm.disabled).toBe(false);
  });
});

describe('new action body', () => {
  const processes = [{ pid: 4321, name: 'java', create_time: 1763800100.5 }];
  it('takes a kill\'s start time from the reported processes, and refuses an unknown PID', () => {
    const draft = { host: '2', type: 'kill_process' as const, target: '', pid: '4321', reason: 'leak' };
    expect(actionBody(draft, processes)).toEqual({
      body: { host_id: 2, type: 'kill_process', target: 'java', pid: 4321, create_time: 1763800100.5, reason: 'leak' },
    });
    expect(actionBody({ ...draft, pid: '99' }, processes)).toHaveProperty('error');
    expect(actionBody({ ...draft, pid: '1' }, processes)).toHaveProperty('error');
  });
  it('targets a reboot at the host and a restart at its unit', () => {
    expect(actionBody({ host: '2', type: 'reboot', target: '', pid: '', reason: 'stuck' }, [], 'web-2')).toEqual({
      body: { host_id: 2, type: 'reboot', target: 'web-2', reason: 'stuck' },
    });
    expect(actionBody({ host: '2', type: 'restart_service', target: ' ', pid: '', reason: 'x' }, [])).toHaveProperty('error');
    expect(actionBody({ host: '', type: 'restart_service', target: 'a', pid: '', reason: 'x' }, [])).toHaveProperty('error');
  });
});

describe('new action form', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('says when the hosts cannot be listed instead of offering an empty picker', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify({ error: 'unavailable', message: 'store down' }), { status: 503 })));
    render(
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <NewActionForm onDone={() => {}} />
      </QueryClientProvider>,
    );
    expect(screen.getByRole('option', { name: 'Loading hosts…' })).toBeTruthy();
    expect((await screen.findByRole('alert')).textContent).toContain('store down');
  });
});
