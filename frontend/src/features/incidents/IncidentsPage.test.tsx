import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter } from 'react-router-dom';
import { MeProvider, type Role } from '../../lib/auth';
import { IncidentsPage } from './IncidentsPage';

class SilentSource {
  onerror = null;
  onopen = null;
  addEventListener() {}
  close() {}
}

const base = {
  host_id: 1, key: 'k', kind: 'cpu', subject: 'cpu', severity: 'warning', occurrences: 1,
  first_seen: '2026-01-01T10:00:00Z', last_seen: '2026-01-01T10:00:00Z', acknowledged_by: null, resolved_at: null,
  resolved_by: null, action_id: null, action_status: null, remediated_at: null, recovery_seconds: null,
};
const incidents = [
  { ...base, id: 1, message: 'cpu high', state: 'open' },
  { ...base, id: 2, message: 'disk full', state: 'open', severity: 'critical' },
  { ...base, id: 3, message: 'mem', state: 'acknowledged' },
];

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function show(role: Role, url = '/incidents?state=all') {
  const fetch = vi.fn(async (path: string, _init?: RequestInit) => {
    const body = path.split('?')[0] === '/api/v1/incidents' ? incidents : path === '/api/v1/hosts' ? [{ id: 1, name: 'web-1' }] : {};
    return new Response(JSON.stringify(body), { headers: { 'Content-Type': 'application/json' } });
  });
  vi.stubGlobal('fetch', fetch);
  vi.stubGlobal('EventSource', SilentSource);
  render(
    <QueryClientProvider client={new QueryClient()}>
      <MeProvider me={{ name: 'u', role, via: 'session' }}>
        <MemoryRouter initialEntries={[url]}>
          <IncidentsPage />
        </MemoryRouter>
      </MeProvider>
    </QueryClientProvider>,
  );
  return fetch;
}

describe('incidents page', () => {
  it('acknowledges the selected open incidents in bulk', async () => {
    const fetch = show('operator');
    const table = await screen.findByRole('table', { name: 'Incidents' });
    expect(within(table).getAllByRole('row')).toHaveLength(4);
    expect((screen.getByLabelText('Select incident 3') as HTMLInputElement).disabled).toBe(true);
    const bulk = screen.getByRole('button', { name: /Acknowledge selected/ }) as HTMLButtonElement;
    expect(bulk.disabled).toBe(true);
    fireEvent.click(screen.getByLabelText('Select incident 1'));
    fireEvent.click(screen.getByLabelText('Select incident 2'));
    fireEvent.change(screen.getByLabelText('Comment'), { target: { value: ' restarting the batch job ' } });
    fireEvent.click(bulk);
    await waitFor(() => {
      const posts = fetch.mock.calls.filter(([, init]) => (init as RequestInit | undefined)?.method === 'POST');
      expect(posts.map(([path]) => path)).toEqual(['/api/v1/incidents/1/ack', '/api/v1/incidents/2/ack']);
      expect(posts.map(([, init]) => init?.body)).toEqual(Array(2).fill('{"comment":"restarting the batch job"}'));
    });
  });

  it('acknowledges one incident with a comment typed after pressing Acknowledge', async () => {
    const fetch = show('operator');
    const table = await screen.findByRole('table', { name: 'Incidents' });
    const row = within(table).getByText('cpu high').closest('tr')!;
    fireEvent.click(within(row).getByRole('button', { name: 'Acknowledge' }));
    fireEvent.change(within(row).getByLabelText('Comment'), { target: { value: 'on it' } });
    fireEvent.click(within(row).getByRole('button', { name: 'Acknowledge' }));
    await waitFor(() => {
      const post = fetch.mock.calls.find(([, init]) => (init as RequestInit | undefined)?.method === 'POST');
      expect(post?.[0]).toBe('/api/v1/incidents/1/ack');
      expect(post?.[1]?.body).toBe('{"comment":"on it"}');
    });
  });

  it('filters by severity on the page and shows a viewer no controls', async () => {
    const fetch = show('viewer', '/incidents?state=all&severity=critical');
    const table = await screen.findByRole('table', { name: 'Incidents' });
    expect(within(table).getAllByRole('row')).toHaveLength(2);
    expect(within(table).getByText('disk full')).toBeTruthy();
    expect(screen.queryByRole('checkbox')).toBeNull();
    expect(screen.queryByRole('button', { name: /Acknowledge/ })).toBeNull();
    expect(fetch.mock.calls.map(([p]) => p)).toContain('/api/v1/incidents');
  });
});
