// The fleet cache kept current from the event stream: `samples` events patch the ['fleet'] query's data in
// place, host_up/host_down set a status. Patches are batched and applied at most every 250 ms, so 100 events
// a second cost four renders a second, not a hundred.
import { useEffect, useMemo, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useServerEvents } from '../../lib/live';
import type { ServerEvent } from '../../lib/events';
import type { FleetEntry, HostStatus } from './api';

export const SPARK_LENGTH = 30;
export const FLUSH_MS = 250;
export const FRESH_MS = 8_000;

export type Sample = {
  host_id: number;
  at: string | null;
  cpu: number | null;
  memory: number | null;
  disk: number | null;
  load1: number | null;
};

export type Patch = { kind: 'sample'; sample: Sample } | { kind: 'status'; host_id: number; status: HostStatus };

/** The patches one server event carries (none for other events or malformed bodies). */
export function patchesOf(event: ServerEvent): Patch[] {
  if (event.type === 'samples') {
    const samples = event.data.samples;
    if (!Array.isArray(samples)) return [];
    return samples
      .filter((s): s is Sample => !!s && typeof s === 'object' && typeof (s as Sample).host_id === 'number')
      .map((sample) => ({ kind: 'sample', sample }));
  }
  if (event.type === 'host_up' || event.type === 'host_down') {
    const id = event.data.host_id;
    if (typeof id !== 'number') return [];
    return [{ kind: 'status', host_id: id, status: event.type === 'host_up' ? 'up' : 'down' }];
  }
  return [];
}

const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

/**
 * The fleet after the patches, and which hosts changed status. Hosts the cache does not hold are ignored (a new
 * host appears with the next load of the list); the spark keeps the last 30 CPU values; an older sample than
 * the one shown changes nothing. Returns the same array when nothing changed.
 */
export function applyPatches(
  fleet: FleetEntry[] | undefined,
  patches: Patch[],
): { fleet: FleetEntry[] | undefined; changed: number[] } {
  if (!fleet || patches.length === 0) return { fleet, changed: [] };
  const index = new Map(fleet.map((entry, i) => [entry.host_id, i]));
  let next: FleetEntry[] | undefined;
  const changed = new Set<number>();
  for (const patch of patches) {
    const id = patch.kind === 'sample' ? patch.sample.host_id : patch.host_id;
    const i = index.get(id);
    if (i === undefined) continue;
    next ??= [...fleet];
    const entry = next[i];
    if (patch.kind === 'status') {
      if (entry.status !== patch.status) {
        changed.add(id);
        next[i] = { ...entry, status: patch.status };
      }
      continue;
    }
    const s = patch.sample;
    if (s.at && entry.at && Date.parse(s.at) < Date.parse(entry.at)) continue;
    const cpu = num(s.cpu);
    if (entry.status !== 'up') changed.add(id);
    next[i] = {
      ...entry,
      status: 'up', // a sample is a poll that got an answer
      at: s.at ?? entry.at,
      cpu,
      memory: num(s.memory),
      disk: num(s.disk),
      load1: num(s.load1),
      spark: cpu === null ? entry.spark : [...entry.spark, cpu].slice(-SPARK_LENGTH),
    };
  }
  return { fleet: next ?? fleet, changed: [...changed] };
}

/**
 * Applies the live patches to the ['fleet'] cache and returns the hosts whose status changed in the last few
 * seconds (their rows get the `fresh` class).
 */
export function useFleetLive(): ReadonlySet<number> {
  const client = useQueryClient();
  const pending = useRef<Patch[]>([]);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const [fresh, setFresh] = useState<ReadonlyMap<number, number>>(new Map());

  const flush = () => {
    timer.current = undefined;
    const batch = pending.current;
    pending.current = [];
    let changed: number[] = [];
    client.setQueryData<FleetEntry[]>(['fleet'], (old) => {
      const result = applyPatches(old, batch);
      changed = result.changed;
      return result.fleet;
    });
    if (changed.length > 0) {
      const until = Date.now() + FRESH_MS;
      setFresh((old) => {
        const next = new Map(old);
        changed.forEach((id) => next.set(id, until));
        return next;
      });
    }
  };

  useServerEvents((event) => {
    const patches = patchesOf(event);
    if (patches.length === 0) return;
    pending.current.push(...patches);
    // a timer, not requestAnimationFrame: a hidden tab gets no frames and would pile the events up
    timer.current ??= setTimeout(flush, FLUSH_MS);
  });

  useEffect(() => () => clearTimeout(timer.current), []);

  // forget the marks once their time is over
  useEffect(() => {
    if (fresh.size === 0) return;
    const soonest = Math.min(...fresh.values());
    const id = setTimeout(
      () => setFresh((old) => new Map([...old].filter(([, until]) => until > Date.now()))),
      Math.max(50, soonest - Date.now()),
    );
    return () => clearTimeout(id);
  }, [fresh]);

  return useMemo(() => new Set(fresh.keys()), [fresh]);
}
