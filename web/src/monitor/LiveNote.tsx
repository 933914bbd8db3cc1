// The small note a live page shows when its event stream is down and it is polling instead.
import type { LiveStatus } from './liveUpdates';

export function LiveNote({ status, pollSeconds = 5 }: { status: LiveStatus; pollSeconds?: number }) {
  return (
    <p class="live-note" role="status" data-live={status}>
      {status === 'polling' ? `Live updates paused: checking every ${pollSeconds} seconds.` : status === 'live' ? 'Live' : ''}
    </p>
  );
}
