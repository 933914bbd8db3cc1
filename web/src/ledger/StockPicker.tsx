// The stock picker: a dose's controlled-substance lot and storage location chosen from the
// clinic's ledger balances (GET /api/v1/ledger/balances), listing only lots that are not expired
// and have something left, each with product, lot, expiry, location and exact balance in mg and
// mL. Picking one gives the lot id and location id of an `administer` object; "No ledger link"
// is offered only where the caller allows an event without one (allowNone).
import { useEffect, useState } from 'preact/hooks';
import { listBalances, type LedgerBalance } from '../api/ledger';
import { useSession } from '../auth/SessionContext';
import { hasPermission } from '../auth/permissions';
import { SelectField } from '../components/Field';
import { availableStock, chosenStock, parseStockKey, stockKey, stockLabel, type StockChoice } from './stockPicker';

export const NO_LEDGER_LINK = 'No ledger link (record the administration in the ledger separately)';

export function StockPicker({ id, value, onChange, allowNone, error, refresh }: {
  id: string;
  value: StockChoice | null;
  onChange: (choice: StockChoice | null) => void;
  /** Whether the event may be recorded without a lot (the server's rule for this event). */
  allowNone: boolean;
  /** The server's or the form's message for administer.lot_id / administer.location_id. */
  error?: string | undefined;
  /** Reloads the balances when it changes (after an administration from this form). */
  refresh?: unknown;
}) {
  const { session } = useSession();
  const canLink = hasPermission(session.permissions, 'ledger.record') && hasPermission(session.permissions, 'ledger.read');
  const [balances, setBalances] = useState<LedgerBalance[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  useEffect(() => {
    if (!canLink) return undefined;
    let current = true;
    listBalances()
      .then((r) => current && setBalances(r.items))
      .catch((e: unknown) => current && setLoadError(e instanceof Error ? e.message : String(e)));
    return () => {
      current = false;
    };
  }, [canLink, refresh]);
  const today = new Date().toISOString().slice(0, 10);
  const available = balances ? availableStock(balances, today) : [];
  // A choice that is no longer listed (used up, expired) is dropped rather than sent unseen.
  const stale = balances !== null && value !== null && !chosenStock(available, value);
  useEffect(() => {
    if (stale) onChange(null);
  }, [stale]);

  if (!canLink) {
    return (
      <p class="hint" id={id}>
        Linking the dose to a ledger lot needs ledger.read and ledger.record, which your roles do not include.
      </p>
    );
  }
  const hint = loadError
    ? `The ledger balances could not be loaded: ${loadError}`
    : balances === null
      ? 'Loading the ledger balances…'
      : available.length === 0
        ? 'No lot in the ledger is in date with stock left.'
        : 'Lots that are expired or have nothing left are not listed.';
  return (
    <SelectField
      id={id}
      label="Stock (lot and location)"
      required={!allowNone}
      class="field--wide"
      value={value ? stockKey(value) : ''}
      onValue={(v) => onChange(parseStockKey(v))}
      placeholder={allowNone ? NO_LEDGER_LINK : 'Choose the lot and location…'}
      options={available.map((b) => ({ value: stockKey(b), label: stockLabel(b) }))}
      hint={hint}
      error={error}
    />
  );
}
