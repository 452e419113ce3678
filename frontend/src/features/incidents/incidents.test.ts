import { describe, expect, it } from 'vitest';
import type { Incident } from './api';
import { incidentsPath } from './api';
import { incidentFilters } from './filters';
import { eventIncidentId, FRESH_MS, markFresh, prune } from './fresh';
import { bulkTargets, toggle, toggleAll } from './selection';
import { timeline } from './timeline';

function incident(id: number, state: Incident['state'], extra: Partial<Incident> = {}): Incident {
  return {
    id,
    host_id: 1,
    key: `k${id}`,
    kind: 'cpu',
    subject: 'cpu',
    severity: 'warning',
    message: `m${id}`,
    state,
    occurrences: 1,
    first_seen: '2026-01-01T10:00:00Z',
    last_seen: '2026-01-01T10:00:00Z',
    acknowledged_by: null,
    resolved_at: null,
    resolved_by: null,
    action_id: null,
    action_status: null,
    remediated_at: null,
    recovery_seconds: null,
    ...extra,
  };
}

describe('bulk acknowledge selection', () => {
  const shown = [incident(1, 'open'), incident(2, 'acknowledged'), incident(3, 'open'), incident(4, 'resolved')];

  it('toggles one incident in and out', () => {
    const one = toggle(new Set(), 3);
    expect([...one]).toEqual([3]);
    expect([...toggle(one, 3)]).toEqual([]);
  });

  it('selects all the open incidents shown, then none', () => {
    const all = toggleAll(new Set(), shown);
    expect([...all].sort()).toEqual([1, 3]);
    expect([...toggleAll(all, shown)]).toEqual([]);
  });

  it('acknowledges only selected incidents that are still shown and still open', () => {
    // 9 is no longer shown (filter changed), 2 was acknowledged meanwhile by someone else
    expect(bulkTargets(new Set([1, 2, 9]), shown)).toEqual([1]);
    expect(bulkTargets(new Set([3, 1]), shown)).toEqual([1, 3]);
    expect(bulkTargets(new Set(), shown)).toEqual([]);
  });
});

describe('incident filters', () => {
  it('reads the URL with open as the default state', () => {
    expect(incidentFilters(new URLSearchParams('')).state).toBe('open');
    expect(incidentFilters(new URLSearchParams('state=bogus')).state).toBe('open');
    expect(incidentFilters(new URLSearchParams('state=all&host=3&severity=critical'))).toMatchObject({
      state: 'all',
      host: '3',
      severity: 'critical',
    });
  });

  it('asks the server only for what it filters on (no severity, no state for all), times in UTC', () => {
    const path = incidentsPath({ state: 'all', severity: 'critical', host: '3', from: '2026-01-01T00:00:00Z', to: '' });
    expect(path).toBe('/api/v1/incidents?host=3&from=2026-01-01T00%3A00%3A00.000Z');
    expect(incidentsPath({ state: 'open', severity: '', host: '', from: '', to: '' })).toBe('/api/v1/incidents?state=open');
  });
});

describe('fresh incidents', () => {
  it('stays fresh for a while, then not', () => {
    const fresh = markFresh(new Map(), 7, 1000);
    expect(fresh.has(7)).toBe(true);
    expect(prune(fresh, 1000 + FRESH_MS - 1).has(7)).toBe(true);
    expect(prune(fresh, 1000 + FRESH_MS).has(7)).toBe(false);
    expect(eventIncidentId({ id: 7 })).toBe(7);
    expect(eventIncidentId({})).toBeUndefined();
  });
});

describe('incident timeline', () => {
  it('tells opened, updated, the action steps from the audit, and resolved with the recovery time, in order', () => {
    const i = incident(5, 'resolved', {
      occurrences: 3,
      last_seen: '2026-01-01T10:05:00Z',
      action_id: 'a',
      resolved_at: '2026-01-01T10:09:00Z',
      resolved_by: 'rules',
      recovery_seconds: 540,
    });
    const entries = timeline(i, undefined, undefined);
    expect(entries.map((e) => e.what)).toEqual(['Opened', 'Last updated', 'Resolved']);
    const trail = [
      { id: 2, at: '2026-01-01T10:06:00Z', actor: 'dispatcher', event: 'action_dispatched', subject: 'action a', detail: 'sent', address: null, result: null },
      { id: 1, at: '2026-01-01T10:01:00Z', actor: 'rules', event: 'action_proposed', subject: 'action a', detail: '', address: null, result: null },
      { id: 3, at: '2026-01-01T10:07:00Z', actor: 'agent', event: 'action_succeeded', subject: 'action a', detail: 'ok', address: null, result: null },
    ];
    const action = { id: 'a' } as never;
    const withAction = timeline(i, action, trail);
    expect(withAction.map((e) => e.what)).toEqual([
      'Opened',
      'Action proposed',
      'Last updated',
      'Action dispatched',
      'Action finished: succeeded',
      'Resolved',
    ]);
    expect(withAction.at(-1)!.detail).toBe('recovered in 9 min');
  });
});
