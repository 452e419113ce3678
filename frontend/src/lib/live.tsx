import { useEffect, useRef } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { events, type ServerEvent } from './events';

/** Runs the handler for every server event while the component is mounted. */
export function useServerEvents(handler: (event: ServerEvent) => void) {
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => events.subscribe((event) => latest.current(event)), []);
}

/** Which cached queries (by their first key) an event makes stale. */
export function staleQueries(type: string): string[] | 'all' {
  if (type === 'reset' || type === 'overflow') return 'all';
  if (type.startsWith('incident_')) return ['incidents', 'warnings', 'stats', 'host-timeline'];
  if (type.startsWith('action_')) return ['actions', 'stats', 'host-timeline', 'incidents'];
  if (type === 'host_up' || type === 'host_down') return ['hosts', 'stats'];
  if (type === 'rules_reloaded') return ['rules'];
  if (type === 'settings_changed') return ['settings', 'stats'];
  if (type === 'telegram_changed' || type === 'telegram_status') return ['telegram'];
  return [];
}

/** Keeps the cached server state fresh from the event stream: the one place events turn into refetches. */
export function LiveQueries() {
  const client = useQueryClient();
  useServerEvents((event) => {
    const stale = staleQueries(event.type);
    if (stale === 'all') {
      void client.invalidateQueries();
    } else {
      for (const key of stale) void client.invalidateQueries({ queryKey: [key] });
    }
  });
  return null;
}
