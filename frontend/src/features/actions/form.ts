import type { ActionType, NewAction, ReportedProcess } from './api';

export type ActionDraft = {
  host: string;
  type: ActionType;
  target: string;
  pid: string;
  reason: string;
};

/**
 * The body of `POST /actions` from the form, or the reason it cannot be sent. A kill needs the process's start
 * time besides its PID (so that a reused PID is never killed): it is taken from what the agent last reported.
 */
export function actionBody(
  draft: ActionDraft,
  processes: readonly ReportedProcess[],
  hostName?: string,
): { body: NewAction } | { error: string } {
  const hostId = Number(draft.host);
  if (!draft.host || !Number.isInteger(hostId) || hostId < 1) return { error: 'Choose a host.' };
  const reason = draft.reason.trim();
  if (!reason) return { error: 'Give a reason.' };
  let target = draft.target.trim();
  if (draft.type !== 'kill_process') {
    // a reboot's target is the host's name (as the rules write it)
    if (draft.type === 'reboot') target = hostName ?? target;
    if (!target) return { error: 'Give the service (unit) to restart.' };
    return { body: { host_id: hostId, type: draft.type, target, reason } };
  }
  const pid = Number(draft.pid);
  if (!Number.isInteger(pid) || pid < 2) return { error: 'Give the PID (above 1) of the process to kill.' };
  const process = processes.find((p) => p.pid === pid);
  if (!process) {
    return { error: `PID ${pid} is not among the processes the agent last reported; its start time is needed.` };
  }
  return {
    body: {
      host_id: hostId,
      type: 'kill_process',
      target: target || process.name,
      pid,
      create_time: process.create_time,
      reason,
    },
  };
}
