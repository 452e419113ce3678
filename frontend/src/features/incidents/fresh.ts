/** How long a new or just-resolved incident stays highlighted. */
export const FRESH_MS = 15_000;

/** Incident ids with the time they became fresh; entries older than FRESH_MS are dropped. */
export function markFresh(fresh: ReadonlyMap<number, number>, id: number, now: number): Map<number, number> {
  const next = prune(fresh, now);
  next.set(id, now);
  return next;
}

export function prune(fresh: ReadonlyMap<number, number>, now: number): Map<number, number> {
  const next = new Map<number, number>();
  fresh.forEach((at, id) => {
    if (now - at < FRESH_MS) next.set(id, at);
  });
  return next;
}

/** The id of an incident event (`incident_opened`, `incident_resolved`), when it carries one. */
export function eventIncidentId(data: Record<string, unknown>): number | undefined {
  return typeof data.id === 'number' ? data.id : undefined;
}
