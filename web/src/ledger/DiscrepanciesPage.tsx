// Discrepancy cases: opened by a count that differs from the ledger or by a theft/loss
// report; a prescriber or nurse resolves each with a written reason (kept in the ledger).
import { useCallback, useEffect, useState } from 'preact/hooks';
import { listDiscrepancies, resolveDiscrepancy, type Discrepancy } from '../api/ledger';
import { useSession } from '../auth/SessionContext';
import { hasPermission } from '../auth/permissions';
import { TextAreaField, fieldId } from '../components/Field';
import { ApiErrorView, ErrorAlert, Loading } from '../components/Status';
import { dateTime } from '../lib/format';
import { useTitle } from '../lib/useTitle';

function ResolveForm({ item, onResolved }: { item: Discrepancy; onResolved: () => void }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    if (reason.trim().length < 3) {
      setError('Write the reason for closing this case');
      return;
    }
    try {
      await resolveDiscrepancy(item.id, reason.trim());
      onResolved();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <form onSubmit={submit} noValidate aria-label={`Resolve case ${item.id}`}>
      <TextAreaField id={fieldId(`reason-${item.id}`)} label="Reason" value={reason} onValue={setReason} error={error ?? undefined} rows={2} />
      <button type="submit" class="button button--small">
        Resolve case {item.id}
      </button>
    </form>
  );
}

export function DiscrepanciesPage() {
  useTitle('Discrepancy cases');
  const { session } = useSession();
  const canRecord = hasPermission(session.permissions, 'ledger.record');
  const [status, setStatus] = useState<'open' | 'all'>('open');
  const [items, setItems] = useState<Discrepancy[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(() => {
    setItems(null);
    listDiscrepancies(status)
      .then((r) => setItems(r.items))
      .catch((e: unknown) => setError(e));
  }, [status]);
  useEffect(load, [load]);

  return (
    <section aria-labelledby="discrepancies-title">
      <h1 id="discrepancies-title" tabIndex={-1}>
        Discrepancy cases
      </h1>
      <p>
        <label>
          <input type="checkbox" checked={status === 'all'} onChange={(e) => setStatus((e.currentTarget as HTMLInputElement).checked ? 'all' : 'open')} />{' '}
          Show resolved cases too
        </label>
      </p>
      {error ? (
        <ApiErrorView error={error} what="Discrepancy cases" />
      ) : !items ? (
        <Loading what="discrepancy cases" />
      ) : items.length === 0 ? (
        <p>No {status === 'open' ? 'open ' : ''}discrepancy cases.</p>
      ) : (
        <ul class="cards">
          {items.map((d) => (
            <li key={d.id} class="card">
              <h2>
                Case {d.id}: {d.cause === 'loss' ? 'theft or loss' : 'count mismatch'} ({d.status})
              </h2>
              <p>
                Lot {d.lot_number} at {d.location}: expected {d.expected_mg} mg, found {d.counted_mg} mg (difference{' '}
                {d.difference_mg} mg). Opened {dateTime(d.opened_at)} by entry #{d.opened_by_sequence}.
              </p>
              {d.cause === 'loss' ? (
                <ErrorAlert message="Theft or significant loss: written notice to the DEA within one business day, then DEA Form 106." />
              ) : null}
              {d.status === 'resolved' ? <p>Resolution: {d.resolution_reason}</p> : canRecord ? <ResolveForm item={d} onResolved={load} /> : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
