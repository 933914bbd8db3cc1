// Controlled-substance inventory: every lot at every storage location with its running
// balance in exact mg and mL, expiry flags, links to each lot's ledger, the count wizard,
// discrepancy cases and the CSV/PDF reports.
import { useEffect, useState } from 'preact/hooks';
import { listBalances, type LedgerBalance } from '../api/ledger';
import { useSession } from '../auth/SessionContext';
import { hasPermission } from '../auth/permissions';
import { ApiErrorView, Loading } from '../components/Status';
import { useTitle } from '../lib/useTitle';
import { href } from '../router';

export function InventoryPage() {
  useTitle('Controlled substances');
  const { session } = useSession();
  const canRecord = hasPermission(session.permissions, 'ledger.record');
  const [items, setItems] = useState<LedgerBalance[] | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let current = true;
    listBalances()
      .then((r) => current && setItems(r.items))
      .catch((e: unknown) => current && setError(e));
    return () => {
      current = false;
    };
  }, []);

  return (
    <section aria-labelledby="inventory-title">
      <h1 id="inventory-title" tabIndex={-1}>
        Controlled substances
      </h1>
      <p class="toolbar">
        {canRecord ? (
          <a class="button" href={href({ name: 'ledger-count' })}>
            Count stock
          </a>
        ) : null}{' '}
        <a class="button button--secondary" href={href({ name: 'ledger-discrepancies' })}>
          Discrepancy cases
        </a>{' '}
        <a class="button button--secondary" href="/api/v1/ledger/reports/inventory?format=csv" download>
          Inventory CSV
        </a>{' '}
        <a class="button button--secondary" href="/api/v1/ledger/reports/inventory?format=pdf" download>
          Inventory PDF
        </a>
      </p>
      {error ? (
        <ApiErrorView error={error} what="Inventory" />
      ) : !items ? (
        <Loading what="inventory" />
      ) : items.length === 0 ? (
        <p>No controlled-substance stock has been received yet.</p>
      ) : (
        <div class="table-wrap">
          <table class="table">
            <caption class="visually-hidden">Stock on hand per lot and storage location</caption>
            <thead>
              <tr>
                <th scope="col">Substance</th>
                <th scope="col">Lot</th>
                <th scope="col">Expiry</th>
                <th scope="col">Location</th>
                <th scope="col">Balance (mg)</th>
                <th scope="col">Balance (mL)</th>
              </tr>
            </thead>
            <tbody>
              {items.map((b) => (
                <tr key={`${b.lot_id}-${b.location_id}`}>
                  <td>
                    {b.drug_name} {b.strength_mg_per_ml} mg/mL
                  </td>
                  <td>
                    <a href={href({ name: 'ledger-lot', id: String(b.lot_id) })}>{b.lot_number}</a>
                  </td>
                  <td>
                    {b.expiry_date}
                    {b.expired ? <strong class="badge badge--danger"> expired</strong> : null}
                  </td>
                  <td>{b.location}</td>
                  <td class="numeric">{b.balance_mg}</td>
                  <td class="numeric">{b.balance_ml}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
