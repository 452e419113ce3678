import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createMemoryRouter, RouterProvider } from 'react-router-dom';
import { MeProvider, type Role } from '../../lib/auth';
import RulesPage from './index';

vi.mock('uplot', () => ({
  default: class {
    setData() {}
    setSize() {}
    destroy() {}
  },
}));

// jsdom lays nothing out: CodeMirror measures text ranges, which jsdom's Range cannot
const emptyRect = { x: 0, y: 0, top: 0, left: 0, bottom: 0, right: 0, width: 0, height: 0, toJSON: () => ({}) };
Range.prototype.getClientRects = () => Object.assign([], { item: () => null }) as unknown as DOMRectList;
Range.prototype.getBoundingClientRect = () => emptyRect as DOMRect;

const FILE = 'package vigil.rules\n\nrule "a"\nwhen\n    Sample( )\nthen\nend\n';

type Call = { method: string; url: string; body: unknown };
let calls: Call[];
let responses: Record<string, () => Response>;

function json(body: unknown, status = 200) {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

beforeEach(() => {
  if (!document.querySelector('meta[name=csp-nonce]')) {
    const meta = document.createElement('meta');
    meta.setAttribute('name', 'csp-nonce');
    meta.setAttribute('content', 'n0nce');
    document.head.append(meta);
  }
  calls = [];
  responses = {
    'GET /api/v1/rules/cpu.drl': () => json({ name: 'cpu.drl', content: FILE, status: 'loaded', problems: [] }),
    'GET /api/v1/hosts': () => json([{ id: 3, name: 'web-1', group: null }]),
    'GET /api/v1/rules': () =>
      json({
        folder: '/rules',
        loaded_at: '2026-01-01T00:00:00Z',
        status: 'error',
        files: [
          { name: 'cpu.drl', status: 'loaded', problems: [] },
          { name: 'disk.drl', status: 'error', problems: [{ file: 'disk.drl', line: 4, column: 2, message: 'bad' }] },
        ],
        problems: [],
        rules: ['a'],
      }),
  };
  vi.stubGlobal(
    'ResizeObserver',
    class {
      observe() {}
      disconnect() {}
    },
  );
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init?: RequestInit) => {
      const method = init?.method ?? 'GET';
      calls.push({ method, url, body: init?.body ? JSON.parse(String(init.body)) : undefined });
      const answer = responses[`${method} ${url.split('?')[0]}`];
      return answer ? answer() : json({ error: 'not_found', message: `no ${url}` }, 404);
    }),
  );
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function renderAt(path: string, role: Role) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const router = createMemoryRouter([{ path: '/rules/*', element: <RulesPage /> }], { initialEntries: [path] });
  render(
    <QueryClientProvider client={client}>
      <MeProvider me={{ name: 'x', role, via: 'session' }}>
        <RouterProvider router={router} />
      </MeProvider>
    </QueryClientProvider>,
  );
  return router;
}

describe('rule editor role gating', () => {
  it('shows a viewer the file read-only, without Validate, Save or the backtest', async () => {
    renderAt('/rules/cpu.drl', 'viewer');
    const content = await screen.findByLabelText('Rule editor');
    expect(content.textContent).toContain('rule "a"');
    expect(content.getAttribute('aria-readonly')).toBe('true');
    expect(screen.queryByRole('button', { name: 'Validate' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Save' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Run backtest' })).toBeNull();
    // CodeMirror's injected styles carry the page's CSP nonce
    const styles = [...document.querySelectorAll('style')];
    expect(styles.length).toBeGreaterThan(0);
    expect(styles.every((style) => style.getAttribute('nonce') === 'n0nce')).toBe(true);
  });

  it('lets an operator validate and backtest but not save', async () => {
    renderAt('/rules/cpu.drl', 'operator');
    await screen.findByLabelText('Rule editor');
    expect(screen.getByRole('button', { name: 'Validate' })).toBeTruthy();
    expect(await screen.findByRole('button', { name: 'Run backtest' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Save' })).toBeNull();
  });

  it('lets an admin save, and shows the refusal problems as clickable lines', async () => {
    responses['PUT /api/v1/rules/cpu.drl'] = () =>
      json(
        {
          error: 'invalid_rules',
          message: 'does not compile',
          problems: [{ file: 'cpu.drl', line: 5, column: 5, message: 'Unable to resolve ObjectType' }],
        },
        400,
      );
    renderAt('/rules/cpu.drl', 'admin');
    await screen.findByLabelText('Rule editor');
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    const problems = await screen.findByRole('list', { name: 'Problems' });
    expect(within(problems).getByRole('button').textContent).toBe('line 5, column 5: Unable to resolve ObjectType');
    expect(calls.find((c) => c.method === 'PUT')?.body).toEqual({ content: FILE });
    expect(screen.getByText('Not saved: 1 problem')).toBeTruthy();
  });

  it('says "No problems" after a clean validation, and saves with Ctrl-S', async () => {
    responses['POST /api/v1/rules/validate'] = () => json({ valid: true, problems: [] });
    responses['PUT /api/v1/rules/cpu.drl'] = () => json({ name: 'cpu.drl', status: 'loaded', problems: [] });
    renderAt('/rules/cpu.drl', 'admin');
    await screen.findByLabelText('Rule editor');
    fireEvent.keyDown(window, { key: 'Enter', ctrlKey: true });
    expect(await screen.findByText('No problems')).toBeTruthy();
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ name: 'cpu.drl', content: FILE });
    fireEvent.keyDown(window, { key: 's', ctrlKey: true });
    expect(await screen.findByText('Saved; the server reloaded the rules')).toBeTruthy();
  });
});

describe('backtest', () => {
  it('replays the editor content on the chosen host and lists what would have fired, oldest first', async () => {
    responses['POST /api/v1/rules/backtest'] = () =>
      json({
        host_id: 3,
        from: '2026-01-01T00:00:00Z',
        to: '2026-01-02T00:00:00Z',
        rules: 'candidate',
        samples: 1440,
        unreadable_samples: 0,
        incidents: [
          {
            key: 'cpu', kind: 'cpu', subject: '', severity: 'warning', message: 'CPU at 95%',
            opened_at: '2026-01-01T10:00:00Z', resolved_at: null, changes: 1,
          },
        ],
        actions: [
          { at: '2026-01-01T09:00:00Z', type: 'restart_service', target: 'nginx.service', reason: 'failed',
            status: 'dry_run', detail: '' },
        ],
      });
    responses['GET /api/v1/hosts/3/metrics'] = () =>
      json({ host_id: 3, from: '', to: '', step_seconds: 60, points: [{ t: '2026-01-01T09:00:00Z', samples: 1, cpu: { avg: 50, max: 60 } }] });
    renderAt('/rules/cpu.drl', 'operator');
    await screen.findByLabelText('Rule editor');
    const host = await screen.findByLabelText('Host');
    fireEvent.change(host, { target: { value: '3' } });
    fireEvent.click(screen.getByRole('button', { name: 'Run backtest' }));
    const list = await screen.findByRole('list', { name: 'Backtest firings' });
    const items = within(list).getAllByRole('listitem').map((li) => li.textContent ?? '');
    expect(items[0]).toContain('restart_service nginx.service → dry_run');
    expect(items[1]).toContain('warning incident cpu');
    expect(items[1]).toContain('still open at the end');
    const body = calls.find((c) => c.url === '/api/v1/rules/backtest')?.body as Record<string, unknown>;
    expect(body.host).toBe(3);
    expect(body.rules).toEqual({ 'cpu.drl': FILE });
    expect(Date.parse(String(body.to)) - Date.parse(String(body.from))).toBe(24 * 3600 * 1000);
    expect(await screen.findByRole('figure', { name: /CPU of the host with 2 firings/ })).toBeTruthy();
    expect(calls.some((c) => c.url.startsWith('/api/v1/hosts/3/metrics?from='))).toBe(true);
  });
});

describe('rule files list', () => {
  it('links every file to its editor and offers a new file to admins only', async () => {
    renderAt('/rules', 'viewer');
    const table = await screen.findByRole('table', { name: 'Rule files' });
    expect(within(table).getByRole('link', { name: 'disk.drl' }).getAttribute('href')).toBe('/rules/disk.drl');
    expect(within(table).getByText('line 4, column 2: bad')).toBeTruthy();
    expect(screen.queryByLabelText('File name')).toBeNull();
  });

  it('opens a new file on the template, refusing a name without .drl', async () => {
    const router = renderAt('/rules', 'admin');
    const name = await screen.findByLabelText('File name');
    fireEvent.change(name, { target: { value: 'mine.txt' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create' }));
    expect((await screen.findByRole('alert')).textContent).toContain('.drl');
    fireEvent.change(name, { target: { value: 'mine.drl' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/rules/mine.drl'));
    const content = await screen.findByLabelText('Rule editor');
    expect(content.textContent).toContain('package vigil.rules');
    expect(screen.getByText('unsaved changes')).toBeTruthy();
    // leaving in the app asks first (once the page's blocker is registered, a render after mounting)
    await act(() => new Promise((resolve) => setTimeout(resolve, 20)));
    void router.navigate('/rules');
    const ask = await screen.findByRole('alertdialog');
    fireEvent.click(within(ask).getByRole('button', { name: 'Stay' }));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
    expect(router.state.location.pathname).toBe('/rules/mine.drl');
    void router.navigate('/rules');
    fireEvent.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Leave' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/rules'));
  });
});
