import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, onSessionEnd } from './api';

function answer(status: number, body: unknown = {}) {
  return Promise.resolve(new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } }));
}

describe('session end', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('is told only when a page that had a session gets a 401, once', async () => {
    const ended = vi.fn();
    const stop = onSessionEnd(ended);
    const fetch = vi.fn();
    vi.stubGlobal('fetch', fetch);

    fetch.mockReturnValueOnce(answer(401, { error: 'unauthorized', message: 'log in' }));
    await expect(api.get('/api/v1/stats')).rejects.toMatchObject({ status: 401, message: 'log in' });
    expect(ended).not.toHaveBeenCalled(); // before any session: the login check decides where to go

    fetch.mockReturnValueOnce(answer(200, { name: 'ada', role: 'viewer', via: 'session' }));
    await api.get('/api/v1/auth/me');
    fetch.mockReturnValueOnce(answer(401)).mockReturnValueOnce(answer(401));
    await expect(api.get('/api/v1/stats')).rejects.toMatchObject({ status: 401 });
    await expect(api.get('/api/v1/fleet')).rejects.toMatchObject({ status: 401 });
    expect(ended).toHaveBeenCalledTimes(1);
    stop();
  });
});
