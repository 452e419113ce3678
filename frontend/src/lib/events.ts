// One shared Server-Sent Events subscription (/api/v1/events) for the whole page. EventSource resumes by itself
// with Last-Event-ID after a dropped connection; a `reset` (the server no longer has what we missed) or an
// `overflow` (we fell behind) tells every listener to reload what it shows.

export type ServerEvent = { id: string; type: string; data: Record<string, unknown> };
type Listener = (event: ServerEvent) => void;

export const EVENT_TYPES = [
  'samples',
  'incident_opened',
  'incident_updated',
  'incident_resolved',
  'action_proposed',
  'action_approved',
  'action_rejected',
  'action_dispatched',
  'action_finished',
  'host_up',
  'host_down',
  'rules_reloaded',
  'settings_changed',
  'telegram_changed',
  'telegram_status',
  'reset',
  'overflow',
  'server_stopping',
] as const;

/** Anything that can deliver named events, such as EventSource (a stand-in in tests). */
export interface EventSourceLike {
  addEventListener(type: string, listener: (event: MessageEvent) => void): void;
  close(): void;
  onerror: ((event: Event) => void) | null;
  onopen: ((event: Event) => void) | null;
}

export class EventHub {
  private source: EventSourceLike | undefined;
  private readonly listeners = new Set<Listener>();
  private readonly statusListeners = new Set<(connected: boolean) => void>();
  lastEventId: string | undefined;

  constructor(private readonly open: () => EventSourceLike) {}

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    this.connect();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.disconnect();
    };
  }

  onStatus(listener: (connected: boolean) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  private connect() {
    if (this.source) return;
    const source = this.open();
    this.source = source;
    source.onopen = () => this.statusListeners.forEach((l) => l(true));
    source.onerror = () => this.statusListeners.forEach((l) => l(false));
    for (const type of EVENT_TYPES) {
      source.addEventListener(type, (message) => this.deliver(type, message));
    }
  }

  private deliver(type: string, message: MessageEvent) {
    if (message.lastEventId) this.lastEventId = message.lastEventId;
    let data: Record<string, unknown> = {};
    try {
      data = JSON.parse(String(message.data)) as Record<string, unknown>;
    } catch {
      // a malformed event is dropped; the next one carries on
    }
    const event = { id: message.lastEventId, type, data };
    this.listeners.forEach((listener) => listener(event));
    if (type === 'overflow') {
      // the server closed a stream that fell behind: open a new one, which resumes after lastEventId
      this.disconnect();
      if (this.listeners.size > 0) this.connect();
    }
  }

  private disconnect() {
    this.source?.close();
    this.source = undefined;
  }
}

/**
 * The browser's hub. EventSource sends Last-Event-ID itself on its automatic reconnects; a stream reopened after an
 * overflow starts from now, so listeners treat `overflow` like `reset`: reload what they show.
 */
export const events = new EventHub(() => new EventSource('/api/v1/events', { withCredentials: true }));
