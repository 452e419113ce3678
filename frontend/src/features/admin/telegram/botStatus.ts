// How the bot's last report (GET settings/telegram → status) reads in words.
import type { BotStatus, EnvOverride } from './telegramForm';

/** A report older than this means the bot is probably not running. */
export const STALE_AFTER_MS = 2 * 60 * 1000;

export const ENV_VARIABLES: Record<EnvOverride, { variable: string; field: string }> = {
  token: { variable: 'VIGIL_TELEGRAM_TOKEN', field: 'the bot token' },
  chats: { variable: 'VIGIL_TELEGRAM_CHATS', field: 'the notification chats' },
  users: { variable: 'VIGIL_TELEGRAM_USERS', field: 'the allowed users' },
};

export const CONFLICT_WARNING = 'Another bot instance is polling this token (Telegram answered 409)';

export function stateWords(status: BotStatus | null): string {
  if (!status) return 'No report from the bot yet';
  switch (status.state) {
    case 'running':
      return status.bot_username ? `Connected as @${status.bot_username.replace(/^@/, '')}` : 'Connected';
    case 'waiting_for_token':
      return 'Waiting for a bot token';
    case 'conflict':
      return 'Conflict: another bot instance';
    case 'error':
      return 'Error';
    case 'stopped':
      return 'Stopped';
    case 'standby':
      return 'Standing by: another bot instance holds the poller lease';
    default:
      return `Unknown state “${String(status.state)}”`;
  }
}

/** How long ago the bot last reported, in ms, when that is longer than STALE_AFTER_MS; otherwise undefined. */
export function staleFor(status: BotStatus | null, now: number): number | undefined {
  if (!status?.reported_at) return undefined;
  const at = new Date(status.reported_at).getTime();
  if (Number.isNaN(at)) return undefined;
  const age = now - at;
  return age > STALE_AFTER_MS ? age : undefined;
}

export function overrideNote(o: EnvOverride): string {
  const known = ENV_VARIABLES[o];
  return known
    ? `The environment variable ${known.variable} overrides ${known.field} set here.`
    : `An environment variable overrides “${String(o)}”.`;
}
