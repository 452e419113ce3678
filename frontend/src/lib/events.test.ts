import { describe, expect, it } from 'vitest';
import { EventHub, type EventSourceLike, type ServerEvent } from './events';

class FakeSource implements EventSourceLike {
  readonly handlers = new Map<string, (event: MessageEvent) => void>();
  closed = false;
  onerror: ((event: Event) => void) | null = null;
  onopen: ((event: Event) => void) | null = null;
  addEventListener(type: string, listener: (event: MessageEvent) => void) {
    this.handlers.set(type, listener);
  }
  close() {
    this.closed = true;
  }
  emit(type: string, id: string, data: string) {
    this.handlers.get(type)!(new MessageEvent(type, { data, lastEventId: id }));
  }
}

describe('the shared event subscription', () => {
  it('opens one stream for all listeners and closes it with the last', () => {
    const opened: FakeSource[] = [];
    const hub = new EventHub(() => {
      const source = new FakeSource();
      opened.push(source);
      return source;
    });
    const seen: ServerEvent[] = [];
    const stopA = hub.subscribe((e) => seen.push(e));
    const stopB = hub.subscribe(() => undefined);
    expect(opened).toHaveLength(1);
    opened[0].emit('incident_opened', '17000', '{"id":4}');
    expect(seen).toEqual([{ id: '17000', type: 'incident_opened', data: { id: 4 } }]);
    expect(hub.lastEventId).toBe('17000');
    stopA();
    expect(opened[0].closed).toBe(false);
    stopB();
    expect(opened[0].closed).toBe(true);
  });

  it('reopens the stream after an overflow and keeps the last id it delivered', () => {
    const opened: FakeSource[] = [];
    const hub = new EventHub(() => {
      const source = new FakeSource();
      opened.push(source);
      return source;
    });
    const types: string[] = [];
    hub.subscribe((e) => types.push(e.type));
    opened[0].emit('samples', '5', '{}');
    opened[0].emit('overflow', '', '{"error":"behind"}');
    expect(opened).toHaveLength(2);
    expect(opened[0].closed).toBe(true);
    expect(types).toEqual(['samples', 'overflow']);
    expect(hub.lastEventId).toBe('5');
  });

  it('drops a malformed event body without breaking the stream', () => {
    const source = new FakeSource();
    const hub = new EventHub(() => source);
    const seen: ServerEvent[] = [];
    hub.subscribe((e) => seen.push(e));
    source.emit('host_down', '9', 'not json');
    source.emit('host_up', '10', '{"host_id":1}');
    expect(seen.map((e) => e.data)).toEqual([{}, { host_id: 1 }]);
  });

  it('reports connection state changes', () => {
    const source = new FakeSource();
    const hub = new EventHub(() => source);
    const states: boolean[] = [];
    hub.onStatus((s) => states.push(s));
    hub.subscribe(() => undefined);
    source.onerror!(new Event('error'));
    source.onopen!(new Event('open'));
    expect(states).toEqual([false, true]);
  });
});
