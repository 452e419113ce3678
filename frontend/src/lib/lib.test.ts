import { describe, expect, it } from 'vitest';
import { query, xsrfToken } from './api';
import { allows } from './auth';
import { toIso, toLocalInput, withParam } from './filters';
import { ago, bytes, duration, percent, utcTitle } from './format';
import { staleQueries } from './live';
import { safeNext } from '../features/auth/pages';

describe('URL filters and time ranges', () => {
  it('sets or removes one param, keeping the others', () => {
    const params = new URLSearchParams('q=web&state=up');
    expect(withParam(params, 'state', 'down').toString()).toBe('q=web&state=down');
    expect(withParam(params, 'q', '').toString()).toBe('state=up');
    expect(params.toString()).toBe('q=web&state=up');
  });

  it('shows ISO text, epoch ms and Dates alike in a datetime-local input, in the browser zone, and back as UTC', () => {
    const at = new Date(2026, 0, 2, 3, 4, 59);
    expect(toLocalInput(at)).toBe('2026-01-02T03:04');
    expect(toLocalInput(at.getTime())).toBe('2026-01-02T03:04');
    expect(toLocalInput(at.toISOString())).toBe('2026-01-02T03:04');
    expect(toLocalInput('')).toBe('');
    expect(toLocalInput('nonsense')).toBe('');
    expect(toLocalInput(null)).toBe('');
    expect(toIso('2026-01-02T03:04')).toBe(new Date(2026, 0, 2, 3, 4).toISOString());
    expect(toIso('')).toBeUndefined();
    expect(toIso('nonsense')).toBeUndefined();
  });
});

describe('api helpers', () => {
  it('reads the XSRF cookie among others, decoded', () => {
    expect(xsrfToken('a=1; XSRF-TOKEN=abc%3D%3D; b=2')).toBe('abc==');
    expect(xsrfToken('a=1')).toBeUndefined();
  });
  it('builds a query string from defined values only', () => {
    expect(query({ host: 3, state: undefined, q: '', limit: 0, from: 'a b' })).toBe('?host=3&limit=0&from=a+b');
    expect(query({})).toBe('');
  });
});

describe('role gating', () => {
  it('lets a role do what its rank allows and no more', () => {
    expect(allows('viewer', 'viewer')).toBe(true);
    expect(allows('viewer', 'operator')).toBe(false);
    expect(allows('operator', 'operator')).toBe(true);
    expect(allows('operator', 'admin')).toBe(false);
    expect(allows('admin', 'operator')).toBe(true);
    expect(allows(undefined, 'viewer')).toBe(false);
  });
});

describe('formatting', () => {
  it('formats sizes, percentages and durations', () => {
    expect(bytes(0)).toBe('0 B');
    expect(bytes(1536)).toBe('1.5 KiB');
    expect(bytes(5 * 1024 ** 3)).toBe('5.0 GiB');
    expect(bytes(null)).toBe('—');
    expect(percent(12.345)).toBe('12.3%');
    expect(percent(Number.NaN)).toBe('—');
    expect(duration(42)).toBe('42 s');
    expect(duration(125)).toBe('2 min 5 s');
    expect(duration(7260)).toBe('2 h 1 min');
    expect(duration(90000)).toBe('1 d 1 h');
  });
  it('gives UTC on hover and ages from an injected now', () => {
    const now = Date.now();
    const iso = new Date(now - 90_000).toISOString();
    expect(ago(iso, now)).toBe('1 min 30 s ago');
    expect(ago(new Date(now).toISOString(), now)).toBe('just now');
    expect(utcTitle(new Date(Date.UTC(2010, 0, 2, 3, 4, 5)).toISOString())).toBe('2010-01-02 03:04:05 UTC');
    expect(utcTitle('not a time')).toBeUndefined();
  });
});

describe('live queries', () => {
  it('reloads everything after a reset or an overflow, and only what an event touches otherwise', () => {
    expect(staleQueries('reset')).toBe('all');
    expect(staleQueries('overflow')).toBe('all');
    expect(staleQueries('incident_opened')).toContain('incidents');
    expect(staleQueries('action_finished')).toContain('actions');
    expect(staleQueries('host_down')).toEqual(['hosts', 'stats']);
    expect(staleQueries('samples')).toEqual([]);
  });
});

describe('login redirect', () => {
  it('goes back only to a path of this site', () => {
    expect(safeNext('/hosts/3?range=24h')).toBe('/hosts/3?range=24h');
    expect(safeNext('//evil.example/')).toBe('/');
    expect(safeNext('https://evil.example/')).toBe('/');
    expect(safeNext(null)).toBe('/');
  });
});
