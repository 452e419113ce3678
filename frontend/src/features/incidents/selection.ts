import type { Incident } from './api';

/** Only an open incident can be acknowledged (the server answers 409 otherwise). */
export function ackable(incident: Pick<Incident, 'state'>): boolean {
  return incident.state === 'open';
}

export function toggle(selected: ReadonlySet<number>, id: number): Set<number> {
  const next = new Set(selected);
  if (next.has(id)) next.delete(id);
  else next.add(id);
  return next;
}

/** All the ackable incidents shown, or none when they are all selected already. */
export function toggleAll(selected: ReadonlySet<number>, shown: readonly Incident[]): Set<number> {
  const ids = shown.filter(ackable).map((i) => i.id);
  const all = ids.length > 0 && ids.every((id) => selected.has(id));
  return all ? new Set() : new Set(ids);
}

/**
 * What a bulk acknowledge sends: the selected incidents still shown and still open — a selection made before a
 * filter change or before another operator acknowledged one does not act on what the user no longer sees.
 */
export function bulkTargets(selected: ReadonlySet<number>, shown: readonly Incident[]): number[] {
  return shown.filter((i) => selected.has(i.id) && ackable(i)).map((i) => i.id);
}
