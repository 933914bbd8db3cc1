// Tests of the live-update controller with a fake EventSource and fake timers: a change notice
// refetches, bursts are throttled to one refetch a second (with a trailing one), a failed stream
// falls back to polling every 5 s with the "paused" status until it opens again, a refused
// stream is reopened later, and stop() ends everything.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startLiveUpdates, type EventSourceLike, type LiveStatus } from './liveUpdates';

class FakeEventSource implements EventSourceLike {
  static made: FakeEventSource[] = [];
  readyState = 0;
  closed = false;
  private listeners = new Map<string, ((event: Event) => void)[]>();
  constructor(readonly url: string) {
    FakeEventSource.made.push(this);
  }
  addEventListener(type: string, listener: (event: Event) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  close() {
    this.closed = true;
    this.readyState = 2;
  }
  emit(type: string) {
    if (type === 'open') this.readyState = 1;
    for (const l of this.listeners.get(type) ?? []) l(new Event(type));
  }
  /** A failed connection: 0 = the browser will retry, 2 = it gave up. */
  fail(readyState: 0 | 2) {
    this.readyState = readyState;
    this.emit('error');
  }
}

let refreshes: number;
let statuses: LiveStatus[];

function start() {
  return startLiveUpdates({
    url: '/api/v1/events?topics=monitor',
    topic: 'monitor',
    refresh: () => {
      refreshes += 1;
    },
    onStatus: (s) => statuses.push(s),
    openStream: (url) => new FakeEventSource(url),
  });
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(Date.parse('2026-12-02T10:00:00.000Z'));
  FakeEventSource.made = [];
  refreshes = 0;
  statuses = [];
});
afterEach(() => {
  vi.useRealTimers();
});

describe('startLiveUpdates', () => {
  it('fetches once at the start and again on each change notice', () => {
    const live = start();
    expect(refreshes).toBe(1);
    const stream = FakeEventSource.made[0]!;
    expect(stream.url).toBe('/api/v1/events?topics=monitor');
    stream.emit('open');
    expect(live.status()).toBe('live');
    expect(refreshes).toBe(1);
    vi.advanceTimersByTime(1500);
    stream.emit('monitor');
    expect(refreshes).toBe(2);
    stream.emit('message');
    expect(refreshes).toBe(2);
    live.stop();
  });

  it('throttles a burst of notices to one refetch a second, with a trailing one', () => {
    const live = start();
    const stream = FakeEventSource.made[0]!;
    stream.emit('open');
    for (let i = 0; i < 10; i += 1) stream.emit('monitor');
    expect(refreshes).toBe(1); // the start's fetch was just now
    vi.advanceTimersByTime(999);
    expect(refreshes).toBe(1);
    vi.advanceTimersByTime(1);
    expect(refreshes).toBe(2);
    vi.advanceTimersByTime(5000);
    expect(refreshes).toBe(2); // nothing more came in
    stream.emit('monitor');
    expect(refreshes).toBe(3);
    stream.emit('monitor');
    vi.advanceTimersByTime(1000);
    expect(refreshes).toBe(4);
    live.stop();
  });

  it('polls every 5 s while the stream is down and stops when it opens again', () => {
    const live = start();
    const stream = FakeEventSource.made[0]!;
    stream.emit('open');
    stream.fail(0);
    expect(live.status()).toBe('polling');
    expect(statuses).toEqual(['live', 'polling']);
    vi.advanceTimersByTime(5000);
    expect(refreshes).toBe(2);
    vi.advanceTimersByTime(10_000);
    expect(refreshes).toBe(4);
    // The browser reconnects: live again, one catch-up fetch (throttled: the poll just ran), no more polling.
    stream.emit('open');
    expect(live.status()).toBe('live');
    expect(refreshes).toBe(4);
    vi.advanceTimersByTime(1000);
    expect(refreshes).toBe(5);
    vi.advanceTimersByTime(20_000);
    expect(refreshes).toBe(5);
    expect(statuses).toEqual(['live', 'polling', 'live']);
    live.stop();
  });

  it('reopens a stream the server refused, polling meanwhile', () => {
    const live = start();
    const first = FakeEventSource.made[0]!;
    first.fail(2);
    expect(first.closed).toBe(true);
    expect(live.status()).toBe('polling');
    vi.advanceTimersByTime(29_999);
    expect(FakeEventSource.made).toHaveLength(1);
    expect(refreshes).toBe(1 + 5); // polled at 5, 10, 15, 20, 25 s
    vi.advanceTimersByTime(1);
    expect(FakeEventSource.made).toHaveLength(2);
    first.emit('monitor'); // the old stream is ignored
    const second = FakeEventSource.made[1]!;
    second.emit('open');
    expect(live.status()).toBe('live');
    live.stop();
  });

  it('polls from the start without EventSource', () => {
    const live = startLiveUpdates({ url: '/x', topic: 'monitor', refresh: () => (refreshes += 1), openStream: null });
    expect(live.status()).toBe('polling');
    vi.advanceTimersByTime(5000);
    expect(refreshes).toBe(2);
    live.stop();
  });

  it('stops refetching, polling and reconnecting after stop()', () => {
    const live = start();
    const stream = FakeEventSource.made[0]!;
    stream.emit('monitor'); // schedules a trailing refetch
    stream.fail(2);
    live.stop();
    vi.advanceTimersByTime(60_000);
    expect(refreshes).toBe(1);
    expect(FakeEventSource.made).toHaveLength(1);
    stream.emit('monitor');
    expect(refreshes).toBe(1);
  });

  it('lets the page ask for a refetch through the same throttle', () => {
    const live = start();
    live.requestRefresh();
    expect(refreshes).toBe(1);
    vi.advanceTimersByTime(1000);
    expect(refreshes).toBe(2);
    live.stop();
  });
});
