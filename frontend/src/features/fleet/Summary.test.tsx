import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import type { Stats } from './api';
import { SummaryCards } from './Summary';

const stats: Stats = {
  generated_at: '2026-01-01T00:00:00Z',
  dry_run: false,
  hosts: { total: 10, up: 6, down: 2, unknown: 1, maintenance: 1 },
  worst: { cpu: { host_id: 3, host: 'web-3', value: 97.5 }, memory: null, disk: { host_id: 4, host: 'db-1', value: 91, mount: '/var' }, load: null },
  incidents: { critical: 3, warning: 5 },
  pending_approvals: 2,
  actions_24h: { by_outcome: { succeeded: 7, failed: 1 }, median_recovery_seconds: 125 },
};

afterEach(cleanup);

describe('the fleet summary', () => {
  it('links each count to the list it counts', () => {
    render(
      <MemoryRouter initialEntries={['/?q=web&sort=cpu&dir=desc']}>
        <SummaryCards stats={stats} />
      </MemoryRouter>,
    );
    const href = (name: string | RegExp) => screen.getByRole('link', { name }).getAttribute('href');
    expect(href('2 down')).toBe('/?sort=cpu&dir=desc&state=down');
    expect(href('1 in maintenance')).toBe('/?sort=cpu&dir=desc&state=maintenance');
    expect(href('3 critical')).toBe('/incidents?state=open&severity=critical');
    expect(href('5 warning')).toBe('/incidents?state=open&severity=warning');
    expect(href('2 pending approval')).toBe('/actions?status=pending_approval');
    expect(href('web-3')).toBe('/hosts/3');
    expect(screen.getByText(/91\.0% \(\/var\)/)).toBeTruthy();
    expect(screen.getByText('median recovery 2 min 5 s')).toBeTruthy();
  });
});
