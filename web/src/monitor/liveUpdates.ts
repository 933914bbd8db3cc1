// Live updates for the chair board and a session's monitor view. The server's event stream
// (Server-Sent Events, GET /api/v1/events?topics=monitor) says only "something changed"; the
// page then fetches again through the ordinary, permission-checked GET. Refetches are throttled
// to at most one per `throttleMs`. When the stream fails the page polls every `pollMs` and says
// live updates are paused, until the stream opens again (the browser reconnects by itself; a
// stream the server refused is reopened after `reconnectMs`). No timers outside this file.

export type LiveStatus = 'connecting' | 'live' | 'polling';

/** The part of the browser's EventSource this controller uses (a fake in tests). */
export interface EventSourceLike {
  readonly readyState: number;
  addEventListener(type: string, listener: (event: Event) => void): void;
  close(): void;
}

export interface LiveUpdateOptions {
  url: string;
  /** The SSE event name that means "fetch again", e.g. "monitor". */
  topic: string;
  refresh: () => void;
  onStatus?: (status: LiveStatus) => void;
  /** Makes the stream; null means the browser has none (poll only). */
  openStream?: ((url: string) => EventSourceLike) | null;
  throttleMs?: number;
  pollMs?: number;
  reconnectMs?: number;
}

export interface LiveUpdates {
  status(): LiveStatus;
  /** Asks for a refetch through the throttle (e.g. after the user acknowledged an alarm). */
  requestRefresh(): void;
  stop(): void;
}

const CLOSED = 2;

function browserStream(): ((url: string) => EventSourceLike) | null {
  if (typeof EventSource === 'undefined') return null;
  return (url) => new EventSource(url, { withCredentials: true });
}

export function startLiveUpdates(options: LiveUpdateOptions): LiveUpdates {
  const throttleMs = options.throttleMs ?? 1000;
  const pollMs = options.pollMs ?? 5000;
  const reconnectMs = options.reconnectMs ?? 30_000;
  const openStream = options.openStream === undefined ? browserStream() : options.openStream;

  let status: LiveStatus = 'connecting';
  let stopped = false;
  let lastRefresh = -Infinity;
  let trailing: ReturnType<typeof setTimeout> | null = null;
  let poll: ReturnType<typeof setInterval> | null = null;
  let reconnect: ReturnType<typeof setTimeout> | null = null;
  let stream: EventSourceLike | null = null;

  const setStatus = (next: LiveStatus) => {
    if (next === status) return;
    status = next;
    options.onStatus?.(next);
  };

  const runRefresh = () => {
    trailing = null;
    if (stopped) return;
    lastRefresh = Date.now();
    options.refresh();
  };

  const requestRefresh = () => {
    if (stopped || trailing !== null) return;
    const wait = lastRefresh + throttleMs - Date.now();
    if (wait <= 0) runRefresh();
    else trailing = setTimeout(runRefresh, wait);
  };

  const startPolling = () => {
    setStatus('polling');
    if (poll === null) poll = setInterval(requestRefresh, pollMs);
  };

  const stopPolling = () => {
    if (poll !== null) clearInterval(poll);
    poll = null;
  };

  const connect = () => {
    reconnect = null;
    if (stopped || !openStream) return;
    let opened: EventSourceLike;
    try {
      opened = openStream(options.url);
    } catch {
      startPolling();
      reconnect = setTimeout(connect, reconnectMs);
      return;
    }
    stream = opened;
    opened.addEventListener('open', () => {
      if (stopped || stream !== opened) return;
      const wasPaused = status === 'polling';
      stopPolling();
      setStatus('live');
      // Changes may have happened while the stream was down.
      if (wasPaused) requestRefresh();
    });
    opened.addEventListener(options.topic, () => {
      if (stream === opened) requestRefresh();
    });
    opened.addEventListener('error', () => {
      if (stopped || stream !== opened) return;
      startPolling();
      if (opened.readyState === CLOSED) {
        // The browser gives up on a refused stream (not 200, not text/event-stream): try later.
        opened.close();
        stream = null;
        if (reconnect === null) reconnect = setTimeout(connect, reconnectMs);
      }
    });
  };

  requestRefresh();
  if (openStream) connect();
  else startPolling();

  return {
    status: () => status,
    requestRefresh,
    stop() {
      stopped = true;
      stopPolling();
      if (trailing !== null) clearTimeout(trailing);
      if (reconnect !== null) clearTimeout(reconnect);
      stream?.close();
      stream = null;
    },
  };
}
