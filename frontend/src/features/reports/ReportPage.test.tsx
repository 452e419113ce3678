import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createMemoryRouter, RouterProvider } from 'react-router-dom';
import { MeProvider } from '../../lib/auth';
import ReportsPage from './index';

vi.mock('uplot', () => ({
  default: class {
    setData() {}
    setSize() {}
    destroy() {}
  },
}));

const urls: string[] = [];

beforeEach(() => {
  urls.length = 0;
  vi.stubGlobal(
    'ResizeObserver',
    class {
      observe() {}
      disconnect() {}
    },
  );
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string) => {
      urls.push(url);
      const body = url.startsWith('/api/v1/hosts')
        ? [{ id: 3, name: 'web-1', group: 'web' }]
        : {
            report: 'incidents',
            from: '2026-01-01T00:00:00Z',
            to: '2026-01-08T00:00:00Z',
            filters: {},
            tables: {
              by_host: [
                { host: 'web-1', incidents: 1200, median_recovery_seconds: 125 },
                { host: 'db-1', incidents: 3, median_recovery_seconds: null },
              ],
              empty_one: [],
            },
            series: { per_day: [{ day: '2026-01-01', opened: 2 }] },
          };
      return new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } });
    }),
  );
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function renderAt(path: string) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const router = createMemoryRouter([{ path: '/reports/*', element: <ReportsPage /> }], { initialEntries: [path] });
  render(
    <QueryClientProvider client={client}>
      <MeProvider me={{ name: 'v', role: 'viewer', via: 'session' }}>
        <RouterProvider router={router} />
      </MeProvider>
    </QueryClientProvider>,
  );
  return router;
}

describe('reports page', () => {
  it('renders every table generically, with a heading each, numbers right-aligned and durations formatted', async () => {
    renderAt('/reports/incidents?range=30d');
    const table = await screen.findByRole('table', { name: 'By host' });
    expect(screen.getByRole('heading', { level: 2, name: 'By host' })).toBeTruthy();
    expect(screen.getByRole('heading', { level: 2, name: 'Empty one' })).toBeTruthy();
    expect(screen.getByRole('heading', { level: 2, name: 'Per day' })).toBeTruthy();
    const headers = within(table).getAllByRole('columnheader').map((h) => h.textContent);
    expect(headers).toEqual(['Host', 'Incidents', 'Median recovery seconds']);
    const cells = within(table).getAllByRole('cell');
    expect(cells[2].textContent).toBe('2 min 5 s');
    expect(cells[2].className).toBe('num');
    expect(cells[0].className).toBe('');
    expect(cells[5].textContent).toBe('—');
    expect(screen.getByText('No rows in this range.')).toBeTruthy();
  });

  it('asks for the range of the URL and links the downloads with the same filters', async () => {
    renderAt('/reports/incidents?range=30d&host=3');
    await screen.findByRole('table', { name: 'By host' });
    const request = new URL(urls.find((u) => u.startsWith('/api/v1/reports/'))!, 'http://x');
    expect(request.pathname).toBe('/api/v1/reports/incidents');
    expect(request.searchParams.get('format')).toBe('json');
    expect(request.searchParams.get('host')).toBe('3');
    const days = (Date.parse(request.searchParams.get('to')!) - Date.parse(request.searchParams.get('from')!)) / 86400_000;
    expect(days).toBe(30);
    const csv = screen.getByRole('link', { name: 'Download CSV' });
    expect(csv.getAttribute('href')).toContain('format=csv');
    expect(csv.getAttribute('href')).toContain('host=3');
    expect(csv.hasAttribute('download')).toBe(true);
    expect(screen.getByRole('link', { name: 'Download JSON' }).getAttribute('href')).toContain('format=json');
    expect(screen.getByRole('button', { name: '30 d' }).getAttribute('aria-pressed')).toBe('true');
  });

  it('switches range in the URL and keeps it across the report tabs', async () => {
    const router = renderAt('/reports');
    await screen.findByRole('table', { name: 'By host' });
    expect(router.state.location.pathname).toBe('/reports/overview');
    fireEvent.click(screen.getByRole('button', { name: '90 d' }));
    expect(router.state.location.search).toBe('?range=90d');
    const actions = within(screen.getByRole('navigation', { name: 'Reports' })).getByRole('link', { name: 'Actions' });
    expect(actions.getAttribute('href')).toBe('/reports/actions?range=90d');
  });
});
