export type Settings = { retention_days: number; dry_run: boolean; poll_interval_seconds: number };
export type SettingsDraft = { retentionDays: string; dryRun: boolean; pollInterval: string; reason: string };
export type SettingsBody = Partial<Settings> & { reason?: string };

export function draftOfSettings(s: Settings): SettingsDraft {
  return { retentionDays: String(s.retention_days), dryRun: s.dry_run, pollInterval: String(s.poll_interval_seconds), reason: '' };
}

/** Switching the global dry run off makes actions run on hosts: it needs a reason. */
export function reasonRequired(current: Settings, draft: SettingsDraft): boolean {
  return current.dry_run && !draft.dryRun;
}

/** What `PUT /settings` gets: only the changed fields, plus the reason; or what is wrong. */
export function settingsBody(current: Settings, draft: SettingsDraft): { body: SettingsBody } | { error: string } {
  const body: SettingsBody = {};
  const retention = Number(draft.retentionDays);
  if (!Number.isInteger(retention) || retention < 1 || retention > 90) {
    return { error: 'Retention days must be a whole number from 1 to 90.' };
  }
  const poll = Number(draft.pollInterval);
  if (!Number.isInteger(poll) || poll < 1) return { error: 'Poll interval (s) must be a whole number of seconds.' };
  if (retention !== current.retention_days) body.retention_days = retention;
  if (poll !== current.poll_interval_seconds) body.poll_interval_seconds = poll;
  if (draft.dryRun !== current.dry_run) body.dry_run = draft.dryRun;
  if (reasonRequired(current, draft)) {
    const reason = draft.reason.trim();
    if (!reason) return { error: 'Give a reason for switching the global dry run off.' };
    body.reason = reason;
  }
  if (Object.keys(body).length === 0) return { error: 'Nothing changed.' };
  return { body };
}
