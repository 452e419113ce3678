import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter } from 'react-router-dom';
import { MeProvider } from '../../lib/auth';
import { ActionsPage } from './ActionsPage';

class SilentSource {
  onerror = null;
  onopen = null;
  addEventListener() {}
  close() {}
}

const restart = {
  id: 'a1', host_id: 1, type: 'restart_service', target: 'nginx.service', reason: 'down', status: 'pending_approval',
  detail: '', requested_by: 'rules', created_at: '2026-01-01T10:00:00Z', updated_at: '2026-01-01T10:00:00Z', pid: null,
  create_time: null, decided_by: null, incident_id: null, attempts: 0, dispatched_at: null, finished_at: null,
};
const done = { ...restart, id: 'a2', status: 'succeeded', decided_by: 'alice', type: 'kill_process', target: 'java' };
const entry = { id: 9, at: '2026-01-01T10:00:01Z', actor: 'gate', event: 'action_succeeded', subject: 'action a2', detail: 'restarted', address: null, result: null };

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function json(body: unknown, status = 200) {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

describe('actions page', () => {
  it('lists pending and past actions, filters by type on the page, and shows an audit trail', async () => {
    const fetch = vi.fn(async (path: string) => {
      if (path === '/api/v1/actions?status=pending_approval') return json([restart]);
      if (path === '/api/v1/actions') return json([restart, done]);
      if (path === '/api/v1/hosts') return json([{ id: 1, name: 'web-1' }]);
      // the trail comes with the action: there is no /actions/{id}/audit
      if (path === '/api/v1/actions/a2') return json({ ...done, trail: [entry] });
      return json({}, 404);
    });
    vi.stubGlobal('fetch', fetch);
    vi.stubGlobal('EventSource', SilentSource);
    render(
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <MeProvider me={{ name: 'op', role: 'operator', via: 'session' }}>
          <MemoryRouter initialEntries={['/actions']}>
            <ActionsPage />
          </MemoryRouter>
        </MeProvider>
      </QueryClientProvider>,
    );
    expect(screen.getByRole('heading', { level: 2, name: 'Pending approval' })).toBeTruthy();
    const pending = await screen.findByRole('list', { name: 'Pending approval' });
    expect(within(pending).getByRole('button', { name: 'Approve' })).toBeTruthy();
    const table = await screen.findByRole('table', { name: 'Actions' });
    expect(within(table).getAllByRole('row')).toHaveLength(3);
    fireEvent.change(screen.getByRole('combobox', { name: 'Type' }), { target: { value: 'kill_process' } });
    expect(within(table).getAllByRole('row')).toHaveLength(2);
    const details = within(table).getByRole('button', { name: 'Details' });
    expect(details.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(details);
    expect(details.getAttribute('aria-expanded')).toBe('true');
    const trail = await screen.findByRole('list', { name: 'Audit trail' });
    expect(within(trail).getByText('action_succeeded')).toBeTruthy();
    expect(within(trail).getByText(/restarted/)).toBeTruthy();
    expect(fetch.mock.calls.map(([path]) => path).filter((path) => path.includes('/audit'))).toEqual([]);
  });
});
