// The host form's text fields and the API's host body (HostJson): labels as `k=v` lines, lists comma or line
// separated, tokens write-only (a blank token field keeps the stored one).

import type { Host } from '../../lib/hosts';

export type { Host };
export type HostPolicy = Host['policy'];

export type HostDraft = {
  name: string;
  url: string;
  token: string;
  actionToken: string;
  interval: string;
  group: string;
  labels: string;
  allowedServices: string;
  killableProcesses: string;
  autoReboot: boolean;
  dryRun: boolean;
  requireApproval: boolean;
};

export type HostBody = {
  name: string;
  url: string;
  token?: string;
  action_token?: string;
  interval_seconds?: number;
  group?: string;
  labels: Record<string, string>;
  policy: HostPolicy;
};

export const EMPTY_HOST: HostDraft = {
  name: '',
  url: '',
  token: '',
  actionToken: '',
  interval: '10',
  group: '',
  labels: '',
  allowedServices: '',
  killableProcesses: '',
  autoReboot: false,
  dryRun: false,
  requireApproval: false,
};

/** `k=v` lines (blank lines skipped) → labels; a line without `=` or without a key is an error. */
export function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (!line) return;
    const eq = line.indexOf('=');
    const key = eq < 0 ? '' : line.slice(0, eq).trim();
    if (!key) throw new Error(`Labels, line ${index + 1}: write it as key=value`);
    labels[key] = line.slice(eq + 1).trim();
  });
  return labels;
}

/** Comma or line separated names, trimmed, blanks and repeats dropped. */
export function parseList(text: string): string[] {
  return [...new Set(text.split(/[,\n\r]+/).map((s) => s.trim()).filter(Boolean))];
}

/** The request body, or throws an Error saying what is wrong in the form's terms. */
export function hostBody(draft: HostDraft, creating: boolean): HostBody {
  const name = draft.name.trim();
  const url = draft.url.trim();
  if (!name) throw new Error('Name is required.');
  if (!url) throw new Error('URL is required.');
  if (creating && !draft.token) throw new Error("Token (the agent's read token) is required for a new host.");
  const body: HostBody = {
    name,
    url,
    labels: parseLabels(draft.labels),
    policy: {
      allowed_services: parseList(draft.allowedServices),
      killable_processes: parseList(draft.killableProcesses),
      auto_reboot: draft.autoReboot,
      dry_run: draft.dryRun,
      require_approval: draft.requireApproval,
    },
  };
  if (draft.token) body.token = draft.token;
  if (draft.actionToken) body.action_token = draft.actionToken;
  if (draft.interval.trim()) {
    const interval = Number(draft.interval);
    if (!Number.isInteger(interval) || interval < 5 || interval > 3600) {
      throw new Error('Interval (s) must be a whole number from 5 to 3600.');
    }
    body.interval_seconds = interval;
  }
  if (draft.group.trim()) body.group = draft.group.trim();
  return body;
}

/** The form filled from a stored host; its tokens are never shown, so their fields start blank. */
export function draftOf(host: Host): HostDraft {
  return {
    name: host.name,
    url: host.url,
    token: '',
    actionToken: '',
    interval: host.interval_seconds === null ? '' : String(host.interval_seconds),
    group: host.group ?? '',
    labels: Object.entries(host.labels)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n'),
    allowedServices: host.policy.allowed_services.join(', '),
    killableProcesses: host.policy.killable_processes.join(', '),
    autoReboot: host.policy.auto_reboot,
    dryRun: host.policy.dry_run,
    requireApproval: host.policy.require_approval,
  };
}
