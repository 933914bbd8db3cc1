// The live chair board (monitor.read): every chair of the clinic as a tile with its patient,
// phase timer, latest vitals, 30-minute sparklines and open alarms. It fetches the board again
// whenever the server's event stream says the monitor data changed (at most once a second), and
// polls every 5 s while the stream is down. Chairs with open alarms come first, critical before
// warning before advisory; otherwise the chairs keep the server's order.
import { useCallback, useMemo, useRef, useState } from 'preact/hooks';
import { getChairBoard, type Alarm, type ChairBoard } from '../api/monitor';
import { useSession } from '../auth/SessionContext';
import { hasPermission } from '../auth/permissions';
import { ApiErrorView, Loading } from '../components/Status';
import { useTitle } from '../lib/useTitle';
import { href } from '../router';
import { useNow } from '../sessions/useNow';
import { AcknowledgeDialog } from './AcknowledgeDialog';
import { byHighestOpenTier, openAlarms, tierLabel } from './alarmTiers';
import { ChairTile } from './ChairTile';
import { LiveNote } from './LiveNote';
import { useLiveUpdates } from './useLiveUpdates';
import './monitor.css';

function AlarmCount({ board }: { board: ChairBoard }) {
  const open = openAlarms(board.chairs.flatMap((c) => c.alarms));
  if (open.length === 0) return <p class="board-summary">No open alarms.</p>;
  const counts = (['critical', 'warning', 'advisory'] as const)
    .map((tier) => ({ tier, n: open.filter((a) => a.tier === tier).length }))
    .filter((c) => c.n > 0)
    .map((c) => `${c.n} ${tierLabel(c.tier)}`);
  return (
    <p class="board-summary board-summary--alarms">
      {open.length} open {open.length === 1 ? 'alarm' : 'alarms'}: {counts.join(', ')}
    </p>
  );
}

export function ChairBoardPage() {
  useTitle('Chairs');
  const { session } = useSession();
  const canAcknowledge = hasPermission(session.permissions, 'session.record');
  const canSetUp = hasPermission(session.permissions, 'monitor.setup');
  const [board, setBoard] = useState<ChairBoard | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [refreshError, setRefreshError] = useState<string | null>(null);
  const [acknowledging, setAcknowledging] = useState<Alarm | null>(null);
  // The server's clock minus the browser's, so timers and reading ages follow the server.
  const [clockOffset, setClockOffset] = useState(0);
  const loaded = useRef(false);
  const latestRequest = useRef(0);
  const browserNow = useNow(1000);
  const now = browserNow + clockOffset;

  const load = useCallback(() => {
    const request = ++latestRequest.current;
    getChairBoard()
      .then((b) => {
        if (request !== latestRequest.current) return; // a newer answer is on its way
        const generated = Date.parse(b.generated_at);
        if (!Number.isNaN(generated)) setClockOffset(generated - Date.now());
        loaded.current = true;
        setBoard(b);
        setError(null);
        setRefreshError(null);
      })
      .catch((e: unknown) => {
        if (request !== latestRequest.current) return;
        if (loaded.current) setRefreshError(e instanceof Error ? e.message : String(e));
        else setError(e);
      });
  }, []);
  const live = useLiveUpdates('monitor', load);

  const chairs = useMemo(() => (board ? byHighestOpenTier(board.chairs) : []), [board]);
  const windowEnd = board ? Date.parse(board.generated_at) || now : now;

  return (
    <section aria-labelledby="chairs-title" class="chair-board-page">
      <div class="page-header">
        <h1 id="chairs-title" tabIndex={-1}>
          Chairs
        </h1>
        <p class="page-links">
          <a href={href({ name: 'monitor-unassigned' })}>Unassigned vitals</a>
          {canSetUp ? (
            <>
              {' · '}
              <a href={href({ name: 'monitor-devices' })}>Monitor devices</a>
            </>
          ) : null}
        </p>
      </div>
      <LiveNote status={live.status} />
      {refreshError ? (
        <p class="alert alert--warning" role="status">
          Could not refresh the board: {refreshError}
        </p>
      ) : null}
      {error ? (
        <ApiErrorView error={error} what="Chair board" />
      ) : !board ? (
        <Loading what="the chair board" />
      ) : board.chairs.length === 0 ? (
        <p role="status" class="empty-state">
          No chairs are set up in this clinic yet. An administrator adds chairs under Schedule set-up.
        </p>
      ) : (
        <>
          <AlarmCount board={board} />
          <ul class="chair-tiles" aria-label="Chairs">
            {chairs.map((entry) => (
              <ChairTile
                key={entry.chair.id}
                entry={entry}
                now={now}
                windowEnd={windowEnd}
                canAcknowledge={canAcknowledge}
                onAcknowledge={(alarm, chairName) => setAcknowledging({ ...alarm, chair: alarm.chair ?? chairName, patient: alarm.patient ?? entry.session?.patient })}
              />
            ))}
          </ul>
        </>
      )}
      {acknowledging ? (
        <AcknowledgeDialog
          alarm={acknowledging}
          onClose={() => setAcknowledging(null)}
          onAcknowledged={() => live.refreshSoon()}
        />
      ) : null}
    </section>
  );
}
