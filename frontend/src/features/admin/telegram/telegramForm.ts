// The Telegram panel's data: the shapes of GET/PUT /api/v1/settings/telegram, the editable draft, and the
// client-side checks that mirror the server's (the server has the last word: its 400 is shown as well).
import type { Role } from '../../../lib/auth';

export type Severity = 'info' | 'warning' | 'critical';
export const SEVERITIES: Severity[] = ['info', 'warning', 'critical'];
export const TG_ROLES: Role[] = ['viewer', 'operator', 'admin'];

export type TelegramChat = { chat_id: number; topic_id: number | null };
export type TelegramUser = { user_id: number; role: Role };
export type BotState = 'running' | 'waiting_for_token' | 'conflict' | 'error' | 'stopped' | 'standby';
export type EnvOverride = 'token' | 'chats' | 'users';
export type BotStatus = {
  state: BotState;
  bot_username: string | null;
  last_update_at: string | null;
  last_error: string | null;
  last_error_at: string | null;
  outbox_pending: number;
  sent_total?: number;
  env_overrides: EnvOverride[];
  reported_at: string;
};
export type TelegramSettings = {
  token_set: boolean;
  token_hint: string | null;
  chats: TelegramChat[];
  users: TelegramUser[];
  min_severity: Severity;
  quiet_non_critical: boolean;
  updated_at: string | null;
  updated_by: string | null;
  status: BotStatus | null;
};
/** What PUT accepts: any subset. `token: ""` clears the token. */
export type TelegramBody = Partial<{
  token: string;
  chats: TelegramChat[];
  users: TelegramUser[];
  min_severity: Severity;
  quiet_non_critical: boolean;
}>;
export type RequestKind = 'stats' | 'warn' | 'test';

// The draft keeps what the user typed (strings), rows carry a stable key for React.
export type ChatRow = { key: number; chatId: string; topicId: string };
export type UserRow = { key: number; userId: string; role: Role };
export type TelegramDraft = { chats: ChatRow[]; users: UserRow[]; minSeverity: Severity; quiet: boolean };

let nextKey = 1;
export const rowKey = () => nextKey++;
export const emptyChat = (): ChatRow => ({ key: rowKey(), chatId: '', topicId: '' });
export const emptyUser = (): UserRow => ({ key: rowKey(), userId: '', role: 'viewer' });

export function draftOfTelegram(s: TelegramSettings): TelegramDraft {
  return {
    chats: s.chats.map((c) => ({ key: rowKey(), chatId: String(c.chat_id), topicId: c.topic_id === null ? '' : String(c.topic_id) })),
    users: s.users.map((u) => ({ key: rowKey(), userId: String(u.user_id), role: u.role })),
    minSeverity: s.min_severity,
    quiet: s.quiet_non_critical,
  };
}

export const MAX_CHATS = 100;
export const MAX_USERS = 1000;
const ID_LIMIT = 1e15;
const TOPIC_MAX = 2 ** 31 - 1;
const WHOLE = /^-?\d+$/;
export const TOKEN_PATTERN = /^[0-9]{1,20}:[A-Za-z0-9_-]{30,100}$/;

/** One thing wrong with the draft: which row and field (for aria-invalid), and what to say. */
export type Problem = { list: 'chats' | 'users' | 'form'; row: number; field: string; message: string };

/** A whole number typed by the user, or undefined when it is not one (decimals, exponents, blanks, junk). */
export function wholeNumber(text: string): number | undefined {
  const t = text.trim();
  if (!WHOLE.test(t)) return undefined;
  const n = Number(t);
  return Number.isSafeInteger(n) ? n : undefined;
}

export function parseChats(rows: ChatRow[]): { chats: TelegramChat[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const chats: TelegramChat[] = [];
  const seen = new Set<string>();
  if (rows.length > MAX_CHATS) problems.push({ list: 'chats', row: -1, field: '', message: `At most ${MAX_CHATS} notification chats.` });
  rows.forEach((row, i) => {
    const where = `Chat ${i + 1}`;
    const chatId = wholeNumber(row.chatId);
    if (chatId === undefined || chatId === 0 || Math.abs(chatId) >= ID_LIMIT) {
      problems.push({ list: 'chats', row: i, field: 'chat_id', message: `${where}: Chat id must be a nonzero whole number (it may be negative).` });
      return;
    }
    let topicId: number | null = null;
    if (row.topicId.trim() !== '') {
      const topic = wholeNumber(row.topicId);
      if (topic === undefined || topic < 1 || topic > TOPIC_MAX) {
        problems.push({ list: 'chats', row: i, field: 'topic_id', message: `${where}: Topic id must be empty or a whole number from 1 to ${TOPIC_MAX}.` });
        return;
      }
      topicId = topic;
    }
    const id = `${chatId}/${topicId ?? ''}`;
    if (seen.has(id)) {
      problems.push({ list: 'chats', row: i, field: 'chat_id', message: `${where}: this chat${topicId === null ? '' : ' and topic'} is listed twice.` });
      return;
    }
    seen.add(id);
    chats.push({ chat_id: chatId, topic_id: topicId });
  });
  return { chats, problems };
}

export function parseUsers(rows: UserRow[]): { users: TelegramUser[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const users: TelegramUser[] = [];
  const seen = new Set<number>();
  if (rows.length > MAX_USERS) problems.push({ list: 'users', row: -1, field: '', message: `At most ${MAX_USERS} allowed users.` });
  rows.forEach((row, i) => {
    const where = `User ${i + 1}`;
    const userId = wholeNumber(row.userId);
    if (userId === undefined || userId < 1 || userId > ID_LIMIT) {
      problems.push({ list: 'users', row: i, field: 'user_id', message: `${where}: Telegram user id must be a positive whole number.` });
      return;
    }
    if (!TG_ROLES.includes(row.role)) {
      problems.push({ list: 'users', row: i, field: 'role', message: `${where}: choose a role.` });
      return;
    }
    if (seen.has(userId)) {
      problems.push({ list: 'users', row: i, field: 'user_id', message: `${where}: this user is listed twice.` });
      return;
    }
    seen.add(userId);
    users.push({ user_id: userId, role: row.role });
  });
  return { users, problems };
}

const sameChats = (a: TelegramChat[], b: TelegramChat[]) =>
  a.length === b.length && a.every((c, i) => c.chat_id === b[i].chat_id && (c.topic_id ?? null) === (b[i].topic_id ?? null));
const sameUsers = (a: TelegramUser[], b: TelegramUser[]) =>
  a.length === b.length && a.every((u, i) => u.user_id === b[i].user_id && u.role === b[i].role);

/** Whether two server states have the same form fields (the token and the bot status aside). */
export function sameFormFields(a: TelegramSettings, b: TelegramSettings): boolean {
  return (
    sameChats(a.chats, b.chats) &&
    sameUsers(a.users, b.users) &&
    a.min_severity === b.min_severity &&
    a.quiet_non_critical === b.quiet_non_critical
  );
}

/** What `PUT /settings/telegram` gets from the settings form: only the changed fields (never the token); or what is wrong. */
export function telegramBody(current: TelegramSettings, draft: TelegramDraft): { body: TelegramBody } | { problems: Problem[] } {
  const { chats, problems: chatProblems } = parseChats(draft.chats);
  const { users, problems: userProblems } = parseUsers(draft.users);
  const problems = [...chatProblems, ...userProblems];
  if (problems.length > 0) return { problems };
  const body: TelegramBody = {};
  if (!sameChats(chats, current.chats)) body.chats = chats;
  if (!sameUsers(users, current.users)) body.users = users;
  if (draft.minSeverity !== current.min_severity) body.min_severity = draft.minSeverity;
  if (draft.quiet !== current.quiet_non_critical) body.quiet_non_critical = draft.quiet;
  if (Object.keys(body).length === 0) return { problems: [{ list: 'form', row: -1, field: '', message: 'Nothing changed.' }] };
  return { body };
}

/** The body that sets a new bot token; or what is wrong with it. The value is never kept anywhere else. */
export function tokenBody(typed: string): { body: { token: string } } | { error: string } {
  const token = typed.trim();
  if (!token) return { error: 'Enter the bot token BotFather gave you.' };
  if (!TOKEN_PATTERN.test(token)) return { error: 'That does not look like a bot token (digits, a colon, then 30 to 100 letters, digits, _ or -).' };
  return { body: { token } };
}

/**
 * "Token: set (…ab12)" from the server's hint (the token's last 4 characters). Only those 4 are ever shown, even if
 * a hint came back longer: the panel never displays a token.
 */
export function tokenLine(s: Pick<TelegramSettings, 'token_set' | 'token_hint'>): string {
  if (!s.token_set) return 'Token: not set';
  const tail = (s.token_hint ?? '').replace(/^…/, '').slice(-4);
  return tail ? `Token: set (…${tail})` : 'Token: set';
}
