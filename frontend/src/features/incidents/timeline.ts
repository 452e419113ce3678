import { duration } from '../../lib/format';
import type { Action, AuditEntry } from '../actions/api';
import type { Incident } from './api';

export type TimelineEntry = { at: string | null; what: string; detail?: string; by?: string };

const ACTION_EVENTS: Record<string, string> = {
  action_proposed: 'Action proposed',
  action_pending_approval: 'Action waits for approval',
  action_approved: 'Action approved',
  action_rejected: 'Action rejected',
  action_suppressed: 'Action suppressed',
  action_dry_run: 'Action recorded (dry run)',
  action_dispatched: 'Action dispatched',
  action_succeeded: 'Action finished: succeeded',
  action_failed: 'Action finished: failed',
  action_refused: 'Action finished: refused',
};

/**
 * An incident's story, oldest first: opened, updated, the action's steps (from its audit trail, or from the
 * action's own times when the trail is not there), acknowledged, resolved with the recovery time.
 */
export function timeline(incident: Incident, action?: Action, trail?: readonly AuditEntry[]): TimelineEntry[] {
  const entries: TimelineEntry[] = [{ at: incident.first_seen, what: 'Opened', detail: incident.message }];
  if (incident.occurrences > 1 || incident.last_seen !== incident.first_seen) {
    entries.push({
      at: incident.last_seen,
      what: 'Last updated',
      detail: `${incident.occurrences} occurrence${incident.occurrences === 1 ? '' : 's'}`,
    });
  }
  if (action) {
    const steps = (trail ?? []).filter((e) => e.event.startsWith('action_'));
    if (steps.length > 0) {
      for (const e of steps) {
        entries.push({ at: e.at, what: ACTION_EVENTS[e.event] ?? e.event.replace(/_/g, ' '), detail: e.detail, by: e.actor });
      }
    } else {
      entries.push({ at: action.created_at, what: 'Action proposed', detail: `${action.type} ${action.target}`, by: action.requested_by });
      if (action.decided_by) entries.push({ at: null, what: `Action ${action.status === 'rejected' ? 'rejected' : 'approved'}`, by: action.decided_by });
      if (action.dispatched_at) entries.push({ at: action.dispatched_at, what: 'Action dispatched' });
      if (action.finished_at) entries.push({ at: action.finished_at, what: `Action finished: ${action.status}`, detail: action.detail });
    }
  }
  if (incident.acknowledged_by) entries.push({ at: null, what: 'Acknowledged', by: incident.acknowledged_by });
  if (incident.resolved_at) {
    entries.push({
      at: incident.resolved_at,
      what: 'Resolved',
      by: incident.resolved_by ?? undefined,
      detail: incident.recovery_seconds !== null ? `recovered in ${duration(incident.recovery_seconds)}` : undefined,
    });
  }
  // by time; an entry without one (acknowledged, decided) sorts with the entry before it
  let previous = 0;
  return entries
    .map((entry, index) => {
      const t = entry.at ? new Date(entry.at).getTime() : Number.NaN;
      if (!Number.isNaN(t)) previous = t;
      return { entry, index, key: Number.isNaN(t) ? previous : t };
    })
    .sort((a, b) => a.key - b.key || a.index - b.index)
    .map((x) => x.entry);
}
