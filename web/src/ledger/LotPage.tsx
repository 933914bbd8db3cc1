// One lot: its balance at each location and its ledger entries, newest first. Prescribers
// and nurses can waste the undelivered rest of an administration (a draw) or a partial-vial
// remainder in stock, each witnessed by a second user in the waste dialog.
import { useCallback, useEffect, useState } from 'preact/hooks';
import { getLot, micrograms, type LedgerEntry, type LedgerLot } from '../api/ledger';
import { useSession } from '../auth/SessionContext';
import { hasPermission } from '../auth/permissions';
import { ApiErrorView, Loading, Notice } from '../components/Status';
import { dateTime } from '../lib/format';
import { useTitle } from '../lib/useTitle';
import { WasteDialog, type WasteTarget } from './WasteDialog';

function entrySummary(e: LedgerEntry): string {
  switch (e.kind) {
    case 'administer':
      return `administered ${e.administered_mg} mg of ${e.drawn_mg} mg drawn (patient ${e.patient_id})`;
    case 'waste':
      return `wasted ${e.quantity_mg} mg${e.from_draw ? ` from draw #${e.related_sequence}` : ' (vial remainder)'}`;
    case 'transfer':
      return `moved ${e.quantity_mg} mg to ${e.to_location}`;
    case 'count':
      return `counted ${e.quantity_mg} mg${e.details['estimated'] ? ' (estimate)' : ''}`;
    case 'correction':
      return `reverses #${e.related_sequence} (${e.reverses_kind}): ${String(e.details['reason'] ?? '')}`;
    case 'resolution':
      return `discrepancy resolved: ${String(e.details['reason'] ?? '')}`;
    default:
      return `${e.kind} ${e.quantity_mg} mg`;
  }
}

export function LotPage({ id }: { id: string }) {
  const { session } = useSession();
  const canRecord = hasPermission(session.permissions, 'ledger.record');
  const [lot, setLot] = useState<LedgerLot | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [waste, setWaste] = useState<WasteTarget | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  useTitle(lot ? `Lot ${lot.lot_number}` : 'Lot');

  const load = useCallback(() => {
    getLot(id)
      .then(setLot)
      .catch((e: unknown) => setError(e));
  }, [id]);
  useEffect(load, [load]);

  if (error) return <ApiErrorView error={error} what="Lot" />;
  if (!lot) return <Loading what="lot" />;

  // Micrograms already wasted from each draw on this page (corrected wastes excluded); the
  // server enforces administered + wasted ≤ drawn, this only hides a button with nothing left.
  const wastedFromDraw = new Map<number, number>();
  for (const e of lot.entries.items) {
    if (e.kind === 'waste' && e.from_draw && e.related_sequence !== null && e.corrected_by_sequence === null) {
      wastedFromDraw.set(e.related_sequence, (wastedFromDraw.get(e.related_sequence) ?? 0) + micrograms(e.quantity_mg));
    }
  }
  const wastable = (e: LedgerEntry) =>
    canRecord &&
    e.kind === 'administer' &&
    e.corrected_by_sequence === null &&
    micrograms(e.administered_mg) + (wastedFromDraw.get(e.sequence) ?? 0) < micrograms(e.drawn_mg);

  return (
    <section aria-labelledby="lot-title">
      <h1 id="lot-title" tabIndex={-1}>
        Lot {lot.lot_number}
      </h1>
      <p>
        {lot.drug_name}, {lot.finished_form}, {lot.strength_mg_per_ml} mg/mL, {lot.container_volume_ml} mL per
        container; NDC {lot.ndc}; expires {lot.expiry_date}
        {lot.expired ? <strong class="badge badge--danger"> expired</strong> : null}
      </p>
      {notice ? <Notice message={notice} /> : null}
      <h2>Balances</h2>
      <ul>
        {lot.balances.map((b) => (
          <li key={b.location_id}>
            {b.location}: {b.balance_mg} mg ({b.balance_ml} mL){' '}
            {canRecord && b.balance_mg !== '0' ? (
              <button
                type="button"
                class="button button--small button--secondary"
                onClick={() =>
                  setWaste({
                    drawSequence: null,
                    lotId: lot.id,
                    locationId: b.location_id,
                    description: `Partial-vial remainder of lot ${lot.lot_number} at ${b.location}.`,
                  })
                }
              >
                Waste remainder at {b.location}
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      <h2>Ledger</h2>
      <div class="table-wrap">
        <table class="table table--dense">
          <caption class="visually-hidden">Ledger entries of this lot, newest first</caption>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">When</th>
              <th scope="col">Event</th>
              <th scope="col">Location</th>
              <th scope="col">By</th>
              <th scope="col">Witnesses</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {lot.entries.items.map((e) => (
              <tr key={e.sequence} class={e.corrected_by_sequence ? 'row--corrected' : undefined}>
                <td>{e.sequence}</td>
                <td>{dateTime(e.occurred_at)}</td>
                <td>
                  {entrySummary(e)}
                  {e.corrected_by_sequence ? ` — corrected by #${e.corrected_by_sequence}` : ''}
                </td>
                <td>{e.location}</td>
                <td>{e.recorded_by}</td>
                <td>{e.witnesses.join(', ')}</td>
                <td class="actions">
                  {wastable(e) ? (
                    <button
                      type="button"
                      class="button button--small"
                      onClick={() =>
                        setWaste({
                          drawSequence: e.sequence,
                          lotId: lot.id,
                          locationId: e.location_id ?? 0,
                          description: `Rest of draw #${e.sequence}: ${e.drawn_mg} mg drawn, ${e.administered_mg} mg administered.`,
                        })
                      }
                    >
                      Waste rest of #{e.sequence}
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {waste ? (
        <WasteDialog
          target={waste}
          onClose={() => setWaste(null)}
          onRecorded={(entry) => {
            setWaste(null);
            setNotice(`Waste recorded as entry #${entry.sequence}, witnessed by ${entry.witnesses.join(', ')}.`);
            load();
          }}
        />
      ) : null}
    </section>
  );
}
