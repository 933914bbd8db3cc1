// Preact hook over startLiveUpdates: calls `refresh` now, on every change notice of `topic`
// (throttled), and by polling when the stream is down; returns the status for the page's note
// and a function to ask for a refetch. `refresh` may change between renders.
import { useEffect, useRef, useState } from 'preact/hooks';
import { eventStreamUrl } from '../api/monitor';
import { startLiveUpdates, type LiveStatus, type LiveUpdates } from './liveUpdates';

export function useLiveUpdates(topic: string, refresh: () => void): { status: LiveStatus; refreshSoon: () => void } {
  const latest = useRef(refresh);
  latest.current = refresh;
  const controller = useRef<LiveUpdates | null>(null);
  const [status, setStatus] = useState<LiveStatus>('connecting');

  useEffect(() => {
    const live = startLiveUpdates({
      url: eventStreamUrl([topic]),
      topic,
      refresh: () => latest.current(),
      onStatus: setStatus,
    });
    controller.current = live;
    return () => {
      live.stop();
      controller.current = null;
    };
  }, [topic]);

  return { status, refreshSoon: () => controller.current?.requestRefresh() };
}
