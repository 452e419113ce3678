import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { EVENT_TYPES } from '../../../lib/events';
import { staleQueries } from '../../../lib/live';
import { MeProvider, type Role } from '../../../lib/auth';
import AdminPage from '../index';
import { BotStatusBox } from './BotStatusBox';
import { SendNow } from './SendNow';
import { TelegramSettingsForm } from './SettingsForm';
import { TokenForm } from './TokenForm';
import {
  draftOfTelegram,
  parseChats,
  parseUsers,
  telegramBody,
  tokenBody,
  tokenLine,
  wholeNumber,
  type BotStatus,
  type ChatRow,
  type TelegramSettings,
  type UserRow,
} from './telegramForm';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const SETTINGS: TelegramSettings = {
  token_set: true,
  token_hint: '…ab12',
  chats: [
    { chat_id: -1001234567890, topic_id: 42 },
    { chat_id: 123456, topic_id: null },
  ],
  users: [{ user_id: 11111, role: 'operator' }],
  min_severity: 'warning',
  quiet_non_critical: true,
  updated_at: '2026-11-30T10:00:00Z',
  updated_by: 'admin',
  status: null,
};
const NOW = Date.parse('2026-11-30T12:00:00Z');
const STATUS: BotStatus = {
  state: 'running',
  bot_username: 'vigil_bot',
  last_update_at: '2026-11-30T11:59:30Z',
  last_error: null,
  last_error_at: null,
  outbox_pending: 3,
  sent_total: 120,
  env_overrides: [],
  reported_at: '2026-11-30T11:59:40Z',
};

const chat = (chatId: string, topicId = ''): ChatRow => ({ key: 0, chatId, topicId });
const user = (userId: string, role: UserRow['role'] = 'viewer'): UserRow => ({ key: 0, userId, role });

function json(body: unknown, status = 200) {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}
function withClient(ui: ReactNode) {
  return render(<QueryClientProvider client={new QueryClient()}>{ui}</QueryClientProvider>);
}
function calls(fetch: ReturnType<typeof vi.fn>) {
  return fetch.mock.calls.map((c) => {
    const [path, init] = c as unknown as [string, RequestInit | undefined];
    return { path, method: init?.method, body: init?.body === undefined ? undefined : JSON.parse(String(init.body)) };
  });
}

describe('ids typed in the Telegram form', () => {
  it('accepts whole numbers only', () => {
    expect(wholeNumber(' -1001234567890 ')).toBe(-1001234567890);
    expect(wholeNumber('42')).toBe(42);
    for (const bad of ['', ' ', '1.5', '2.0', '1e3', '0x10', 'abc', '--1', '12 34', '99999999999999999999']) {
      expect(wholeNumber(bad)).toBeUndefined();
    }
  });

  it('checks chats: nonzero chat id, optional topic 1..2^31-1, no duplicates', () => {
    expect(parseChats([chat('-1001234567890', '42'), chat('123456')])).toEqual({
      chats: [
        { chat_id: -1001234567890, topic_id: 42 },
        { chat_id: 123456, topic_id: null },
      ],
      problems: [],
    });
    for (const bad of ['0', '-0', '1.5', 'abc', '', '1000000000000000']) {
      const { problems } = parseChats([chat('5'), chat(bad)]);
      expect(problems).toEqual([expect.objectContaining({ list: 'chats', row: 1, field: 'chat_id' })]);
      expect(problems[0].message).toMatch(/Chat 2: Chat id must be a nonzero whole number/);
    }
    for (const bad of ['0', '-3', '2.5', '2147483648']) {
      expect(parseChats([chat('5', bad)]).problems).toEqual([expect.objectContaining({ field: 'topic_id', row: 0 })]);
    }
    expect(parseChats([chat('5', '2147483647')]).problems).toEqual([]);
    // the same chat with another topic is fine; the same pair twice is not
    expect(parseChats([chat('5', '1'), chat('5', '2'), chat('5')]).problems).toEqual([]);
    expect(parseChats([chat('5', '1'), chat(' 5 ', '1')]).problems[0].message).toMatch(/listed twice/);
    expect(parseChats(Array.from({ length: 101 }, (_, i) => chat(String(i + 1)))).problems[0].message).toMatch(/At most 100/);
  });

  it('checks users: positive whole ids, no duplicates', () => {
    expect(parseUsers([user('11111', 'admin')])).toEqual({ users: [{ user_id: 11111, role: 'admin' }], problems: [] });
    for (const bad of ['0', '-5', '2.0', '', 'x']) {
      expect(parseUsers([user(bad)]).problems[0].message).toMatch(/User 1: Telegram user id must be a positive whole number/);
    }
    expect(parseUsers([user('7'), user('7', 'admin')]).problems[0].message).toMatch(/User 2: .*twice/);
  });
});

describe('the PUT body of the Telegram settings', () => {
  it('sends only the fields that changed, and says so when nothing did', () => {
    const draft = draftOfTelegram(SETTINGS);
    expect(telegramBody(SETTINGS, draft)).toEqual({ problems: [expect.objectContaining({ message: 'Nothing changed.' })] });
    expect(telegramBody(SETTINGS, { ...draft, minSeverity: 'critical' })).toEqual({ body: { min_severity: 'critical' } });
    expect(telegramBody(SETTINGS, { ...draft, quiet: false })).toEqual({ body: { quiet_non_critical: false } });
    expect(telegramBody(SETTINGS, { ...draft, chats: [...draft.chats, chat('-42', ' 7 ')] })).toEqual({
      body: { chats: [...SETTINGS.chats, { chat_id: -42, topic_id: 7 }] },
    });
    expect(telegramBody(SETTINGS, { ...draft, chats: [draft.chats[0]], users: [] })).toEqual({
      body: { chats: [SETTINGS.chats[0]], users: [] },
    });
    const roleChanged = { ...draft, users: [{ ...draft.users[0], role: 'admin' as const }] };
    expect(telegramBody(SETTINGS, roleChanged)).toEqual({ body: { users: [{ user_id: 11111, role: 'admin' }] } });
    // a retyped but equal id is no change
    expect(telegramBody(SETTINGS, { ...draft, users: [{ ...draft.users[0], userId: ' 11111 ' }] })).toHaveProperty('problems');
    // never a token from this form
    expect(telegramBody(SETTINGS, { ...draft, quiet: false })).not.toHaveProperty('body.token');
  });

  it('refuses to build a body from a bad row', () => {
    const draft = draftOfTelegram(SETTINGS);
    const result = telegramBody(SETTINGS, { ...draft, chats: [...draft.chats, chat('1.5')], minSeverity: 'info' });
    expect(result).not.toHaveProperty('body');
    expect(result).toEqual({ problems: [expect.objectContaining({ list: 'chats', row: 2 })] });
  });
});

describe('the bot token is write-only', () => {
  it('shows only whether a token is set and its last 4 characters', () => {
    expect(tokenLine({ token_set: false, token_hint: null })).toBe('Token: not set');
    expect(tokenLine({ token_set: true, token_hint: '…ab12' })).toBe('Token: set (…ab12)');
    expect(tokenLine({ token_set: true, token_hint: 'ab12' })).toBe('Token: set (…ab12)');
    expect(tokenLine({ token_set: true, token_hint: '123456:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAab12' })).toBe('Token: set (…ab12)');
    expect(tokenLine({ token_set: true, token_hint: null })).toBe('Token: set');
  });

  it('checks the token format before sending', () => {
    expect(tokenBody('  ')).toHaveProperty('error');
    expect(tokenBody('not a token')).toHaveProperty('error');
    expect(tokenBody('123:short')).toHaveProperty('error');
    const good = `123456789:${'A'.repeat(30)}_-x`;
    expect(tokenBody(` ${good} `)).toEqual({ body: { token: good } });
  });

  it('sends a new token once, empties the field and never shows it', async () => {
    const token = `123456789:${'Zq'.repeat(16)}ab12`;
    const fetch = vi.fn(async () => json({ ...SETTINGS, token_set: true, token_hint: '…ab12' }));
    vi.stubGlobal('fetch', fetch);
    withClient(<TokenForm current={{ token_set: false, token_hint: null }} />);
    expect(screen.getByText('Token: not set')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Clear token' })).toBeNull();
    const input = screen.getByLabelText('New bot token') as HTMLInputElement;
    expect(input.type).toBe('password');
    expect(input.value).toBe('');
    fireEvent.change(input, { target: { value: 'nonsense' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save token' }));
    expect(screen.getByRole('alert').textContent).toMatch(/does not look like a bot token/);
    expect(fetch).not.toHaveBeenCalled();
    fireEvent.change(input, { target: { value: token } });
    fireEvent.click(screen.getByRole('button', { name: 'Save token' }));
    await screen.findByText('Token saved.');
    expect(calls(fetch)).toEqual([{ path: '/api/v1/settings/telegram', method: 'PUT', body: { token } }]);
    expect(input.value).toBe('');
    expect(document.body.innerHTML).not.toContain(token);
    expect(document.body.innerHTML).not.toContain('Zq'.repeat(16));
  });

  it('clears the token only after a confirmation', async () => {
    const fetch = vi.fn(async () => json({ ...SETTINGS, token_set: false, token_hint: null }));
    vi.stubGlobal('fetch', fetch);
    withClient(<TokenForm current={{ token_set: true, token_hint: '…ab12' }} />);
    expect(screen.getByText('Token: set (…ab12)')).toBeTruthy();
    expect((screen.getByLabelText('New bot token') as HTMLInputElement).value).toBe('');
    fireEvent.click(screen.getByRole('button', { name: 'Clear token' }));
    expect(fetch).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('button', { name: 'Confirm clear token' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Clear token' }));
    fireEvent.click(screen.getByRole('button', { name: 'Confirm clear token' }));
    await screen.findByText('Token cleared.');
    expect(calls(fetch)).toEqual([{ path: '/api/v1/settings/telegram', method: 'PUT', body: { token: '' } }]);
  });
});

describe('the Telegram settings form', () => {
  it('edits rows, refuses bad ids client-side, and saves only what changed', async () => {
    const fetch = vi.fn(async (_path: string, init?: RequestInit) =>
      json({ ...SETTINGS, ...JSON.parse(String(init?.body)), updated_at: '2026-11-30T12:00:00Z' }),
    );
    vi.stubGlobal('fetch', fetch);
    withClient(<TelegramSettingsForm current={SETTINGS} />);
    const first = screen.getByRole('group', { name: 'Chat 1' });
    expect((within(first).getByLabelText('Chat id') as HTMLInputElement).value).toBe('-1001234567890');
    expect((within(first).getByLabelText('Topic id') as HTMLInputElement).value).toBe('42');
    expect((within(screen.getByRole('group', { name: 'User 1' })).getByLabelText('Role') as HTMLSelectElement).value).toBe('operator');

    fireEvent.click(screen.getByRole('button', { name: 'Save Telegram settings' }));
    expect(screen.getByRole('alert').textContent).toBe('Nothing changed.');

    fireEvent.click(screen.getByRole('button', { name: 'Add chat' }));
    const added = screen.getByRole('group', { name: 'Chat 3' });
    const chatId = within(added).getByLabelText('Chat id') as HTMLInputElement;
    expect(document.activeElement).toBe(chatId);
    fireEvent.change(chatId, { target: { value: '0' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save Telegram settings' }));
    expect(screen.getByRole('alert').textContent).toMatch(/Chat 3: Chat id must be a nonzero whole number/);
    expect(chatId.getAttribute('aria-invalid')).toBe('true');
    expect(fetch).not.toHaveBeenCalled();

    fireEvent.change(chatId, { target: { value: '-77' } });
    fireEvent.click(within(screen.getByRole('group', { name: 'Chat 2' })).getByRole('button', { name: 'Remove' }));
    fireEvent.click(screen.getByRole('button', { name: 'Add user' }));
    const newUser = screen.getByRole('group', { name: 'User 2' });
    fireEvent.change(within(newUser).getByLabelText('Telegram user id'), { target: { value: '22222' } });
    fireEvent.change(within(newUser).getByLabelText('Role'), { target: { value: 'admin' } });
    fireEvent.change(screen.getByLabelText('Least severity notified'), { target: { value: 'critical' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save Telegram settings' }));
    await screen.findByText('Telegram settings saved.');
    expect(calls(fetch)).toEqual([
      {
        path: '/api/v1/settings/telegram',
        method: 'PUT',
        body: {
          chats: [
            { chat_id: -1001234567890, topic_id: 42 },
            { chat_id: -77, topic_id: null },
          ],
          users: [
            { user_id: 11111, role: 'operator' },
            { user_id: 22222, role: 'admin' },
          ],
          min_severity: 'critical',
        },
      },
    ]);
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it("follows another admin's change while untouched, and says so once edited", () => {
    vi.stubGlobal('fetch', vi.fn());
    const client = new QueryClient();
    const view = (current: TelegramSettings) => (
      <QueryClientProvider client={client}>
        <TelegramSettingsForm current={current} />
      </QueryClientProvider>
    );
    const { rerender } = render(view(SETTINGS));
    const other = { ...SETTINGS, chats: [{ chat_id: 999, topic_id: null }], updated_at: '2026-11-30T11:00:00Z', updated_by: 'anna' };
    rerender(view(other));
    expect(screen.queryByRole('group', { name: 'Chat 2' })).toBeNull();
    expect((within(screen.getByRole('group', { name: 'Chat 1' })).getByLabelText('Chat id') as HTMLInputElement).value).toBe('999');
    fireEvent.change(screen.getByLabelText('Least severity notified'), { target: { value: 'info' } });
    // a token change (same form fields) is not another admin's edit of this form
    rerender(view({ ...other, token_set: false, token_hint: null, updated_at: '2026-11-30T11:30:00Z' }));
    expect(screen.queryByText(/while you were editing/)).toBeNull();
    rerender(view({ ...other, users: [], updated_at: '2026-11-30T11:45:00Z' }));
    expect(screen.getByText(/anna changed these settings/)).toBeTruthy();
    expect((screen.getByLabelText('Least severity notified') as HTMLSelectElement).value).toBe('info');
    fireEvent.click(screen.getByRole('button', { name: 'Discard my changes' }));
    expect(screen.queryByRole('group', { name: 'User 1' })).toBeNull();
    expect((screen.getByLabelText('Least severity notified') as HTMLSelectElement).value).toBe('warning');
    expect(screen.queryByText(/while you were editing/)).toBeNull();
  });

  it("shows the server's 400 message next to the form", async () => {
    const fetch = vi.fn(async () => json({ error: 'bad_request', message: 'chats[0].chat_id: not a chat the bot knows' }, 400));
    vi.stubGlobal('fetch', fetch);
    withClient(<TelegramSettingsForm current={SETTINGS} />);
    fireEvent.click(screen.getByLabelText('Quiet delivery for non-critical'));
    fireEvent.click(screen.getByRole('button', { name: 'Save Telegram settings' }));
    expect((await screen.findByRole('alert')).textContent).toBe('chats[0].chat_id: not a chat the bot knows');
    expect(calls(fetch)[0].body).toEqual({ quiet_non_critical: false });
    expect(screen.queryByText('Telegram settings saved.')).toBeNull();
  });
});

describe('the bot status box', () => {
  const box = (status: BotStatus | null) => render(<BotStatusBox status={status} now={NOW} />);

  it('says when the bot never reported', () => {
    box(null);
    expect(screen.getByText('No report from the bot yet')).toBeTruthy();
    expect(screen.queryByText(/has not reported/)).toBeNull();
  });

  it('shows a running bot with its facts', () => {
    box(STATUS);
    expect(screen.getByText('Connected as @vigil_bot')).toBeTruthy();
    expect(screen.getByText('Last update').nextElementSibling?.querySelector('time')?.getAttribute('datetime')).toBe(
      STATUS.last_update_at,
    );
    expect(screen.getByText('Outbox pending').nextElementSibling?.textContent).toBe('3');
    expect(screen.getByText('Last error').nextElementSibling?.textContent).toBe('none');
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.queryByText(/has not reported/)).toBeNull();
  });

  it('names every other state in words', () => {
    const cases: [BotStatus['state'], string][] = [
      ['waiting_for_token', 'Waiting for a bot token'],
      ['error', 'Error'],
      ['stopped', 'Stopped'],
      ['standby', 'Standing by: another bot instance holds the poller lease'],
    ];
    for (const [state, words] of cases) {
      box({ ...STATUS, state });
      expect(screen.getByText(words)).toBeTruthy();
      expect(screen.queryByText(/Connected/)).toBeNull();
      cleanup();
    }
  });

  it('warns prominently about a second bot polling the same token', () => {
    box({ ...STATUS, state: 'conflict', last_error: 'Conflict: terminated by other getUpdates request', last_error_at: '2026-11-30T11:58:00Z' });
    expect(screen.getByRole('alert').textContent).toMatch(/Another bot instance is polling this token \(Telegram answered 409\)/);
    const error = screen.getByText('Last error').nextElementSibling!;
    expect(error.textContent).toMatch(/terminated by other getUpdates request/);
    expect(error.querySelector('time')?.getAttribute('datetime')).toBe('2026-11-30T11:58:00Z');
  });

  it('says when the last report is older than 2 minutes', () => {
    box({ ...STATUS, reported_at: '2026-11-30T11:58:30Z' });
    expect(screen.queryByText(/has not reported/)).toBeNull();
    cleanup();
    box({ ...STATUS, reported_at: '2026-11-30T11:55:00Z' });
    expect(screen.getByText(/The bot has not reported for 5 min/)).toBeTruthy();
  });

  it('notes each field the environment overrides', () => {
    box({ ...STATUS, env_overrides: ['token', 'users'] });
    const notes = screen.getByRole('list', { name: 'Environment overrides' });
    expect(notes.textContent).toMatch(/VIGIL_TELEGRAM_TOKEN overrides the bot token/);
    expect(notes.textContent).toMatch(/VIGIL_TELEGRAM_USERS overrides the allowed users/);
    expect(notes.textContent).not.toMatch(/VIGIL_TELEGRAM_CHATS/);
    cleanup();
    box({ ...STATUS, env_overrides: ['chats'] });
    expect(screen.getByText(/VIGIL_TELEGRAM_CHATS overrides the notification chats/)).toBeTruthy();
    cleanup();
    box(STATUS);
    expect(screen.queryByRole('list', { name: 'Environment overrides' })).toBeNull();
  });
});

describe('send now', () => {
  it('posts the request kind, is disabled while pending and says Requested', async () => {
    let answer: (r: Response) => void = () => undefined;
    const fetch = vi.fn(() => new Promise<Response>((resolve) => (answer = resolve)));
    vi.stubGlobal('fetch', fetch);
    withClient(<SendNow chats={2} />);
    fireEvent.click(screen.getByRole('button', { name: 'Send /warn now' }));
    await waitFor(() => expect((screen.getByRole('button', { name: 'Send test message' }) as HTMLButtonElement).disabled).toBe(true));
    expect((screen.getByRole('button', { name: 'Send /stats now' }) as HTMLButtonElement).disabled).toBe(true);
    expect(calls(fetch)).toEqual([{ path: '/api/v1/telegram/requests', method: 'POST', body: { kind: 'warn' } }]);
    answer(json({ request_id: 'c0ffee' }, 202));
    expect((await screen.findByText(/^Requested/)).textContent).toMatch(/\/warn/);
    expect((screen.getByRole('button', { name: 'Send /stats now' }) as HTMLButtonElement).disabled).toBe(false);
  });
});

describe('Telegram in Admin', () => {
  function at(role: Role, fetch = vi.fn(async () => json(SETTINGS))) {
    vi.stubGlobal('fetch', fetch);
    render(
      <QueryClientProvider client={new QueryClient()}>
        <MeProvider me={{ name: 'u', role, via: 'session' }}>
          <MemoryRouter initialEntries={['/admin/telegram']}>
            <Routes>
              <Route path="/admin/*" element={<AdminPage />} />
            </Routes>
          </MemoryRouter>
        </MeProvider>
      </QueryClientProvider>,
    );
    return fetch;
  }

  it('gives an admin the panel', async () => {
    const fetch = at('admin');
    expect(screen.getByRole('link', { name: 'Telegram' })).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Telegram' })).toBeTruthy();
    expect(await screen.findByText('Token: set (…ab12)')).toBeTruthy();
    expect(screen.getByText('No report from the bot yet')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Send /stats now' })).toBeTruthy();
    expect(calls(fetch)[0]).toEqual({ path: '/api/v1/settings/telegram', method: 'GET', body: undefined });
  });

  it('gives anyone else no controls', () => {
    const fetch = at('operator');
    expect(screen.getByText(/needs the admin role/)).toBeTruthy();
    expect(screen.queryByRole('link', { name: 'Telegram' })).toBeNull();
    expect(screen.queryByLabelText('New bot token')).toBeNull();
    expect(fetch).not.toHaveBeenCalled();
  });

  it('is refreshed live by the bot events', () => {
    expect(EVENT_TYPES).toContain('telegram_changed');
    expect(EVENT_TYPES).toContain('telegram_status');
    expect(staleQueries('telegram_changed')).toEqual(['telegram']);
    expect(staleQueries('telegram_status')).toEqual(['telegram']);
  });
});
