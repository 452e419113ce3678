// The host's incidents and actions as one list, newest first.

export type Incident = {
  id: number;
  host_id: number;
  kind: string;
  subject: string;
  severity: string;
  message: string;
  state: string;
  first_seen: string;
  last_seen: string;
  resolved_at: string | null;
};

export type Action = {
  id: string;
  host_id: number;
  type: string;
  target: string;
  reason: string;
  status: string;
  detail: string;
  requested_by: string;
  created_at: string;
  updated_at: string;
  finished_at?: string | null;
};

export type TimelineItem =
  | { kind: 'incident'; key: string; at: string; incident: Incident }
  | { kind: 'action'; key: string; at: string; action: Action };

/** Incidents by when they were first seen, actions by when they were requested; newest first. */
export function mergeTimeline(incidents: Incident[] = [], actions: Action[] = []): TimelineItem[] {
  const items: TimelineItem[] = [
    ...incidents.map((incident) => ({ kind: 'incident' as const, key: `i${incident.id}`, at: incident.first_seen, incident })),
    ...actions.map((action) => ({ kind: 'action' as const, key: `a${action.id}`, at: action.created_at, action })),
  ];
  return items.sort((a, b) => Date.parse(b.at) - Date.parse(a.at) || a.key.localeCompare(b.key));
}
