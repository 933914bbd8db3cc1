// Pure logic of the stock picker (StockPicker.tsx): which lot-at-location balances a dose may be
// drawn from (not expired, more than 0 mg left), how each reads in the list (product, lot,
// expiry, location, exact mg and mL), and the lot/location pair a choice stands for. The server
// still checks every administration (lot, location, balance never below 0).
import { micrograms, type LedgerBalance } from '../api/ledger';

/** The ledger stock an administration comes from: the `administer` object's lot_id and location_id. */
export interface StockChoice {
  lot_id: number;
  location_id: number;
}

/**
 * Whether a lot is past its expiry: the server's `expired` (its clock), or, when `today`
 * (YYYY-MM-DD) is given, an expiry date before it (a page left open past midnight).
 */
export function isExpired(b: Pick<LedgerBalance, 'expired' | 'expiry_date'>, today?: string): boolean {
  return b.expired || (today !== undefined && b.expiry_date < today);
}

/** The balances a dose may come from: not expired and more than 0 mg left; soonest expiry first (use the oldest stock). */
export function availableStock(balances: readonly LedgerBalance[], today?: string): LedgerBalance[] {
  return balances
    .filter((b) => !isExpired(b, today) && micrograms(b.balance_mg) > 0)
    .sort(
      (a, b) =>
        a.expiry_date.localeCompare(b.expiry_date) ||
        a.drug_name.localeCompare(b.drug_name) ||
        a.lot_number.localeCompare(b.lot_number) ||
        a.location.localeCompare(b.location),
    );
}

/** A choice as a select option's value ("lot:location"). */
export function stockKey(choice: StockChoice): string {
  return `${choice.lot_id}:${choice.location_id}`;
}

/** A select option's value back as the lot and location; null for "" (no ledger link) or anything else. */
export function parseStockKey(key: string): StockChoice | null {
  const m = /^([1-9]\d*):([1-9]\d*)$/.exec(key);
  return m ? { lot_id: Number(m[1]), location_id: Number(m[2]) } : null;
}

/** One line of the list: "Ketamine HCl 50 mg/mL · lot K-1 · expires 2027-09-30 · Safe · 450 mg (9 mL)". */
export function stockLabel(b: LedgerBalance): string {
  return `${b.drug_name} ${b.strength_mg_per_ml} mg/mL · lot ${b.lot_number} · expires ${b.expiry_date} · ${b.location} · ${b.balance_mg} mg (${b.balance_ml} mL)`;
}

/** The balance a choice stands for, when it is still available. */
export function chosenStock(available: readonly LedgerBalance[], choice: StockChoice | null): LedgerBalance | null {
  if (!choice) return null;
  return available.find((b) => b.lot_id === choice.lot_id && b.location_id === choice.location_id) ?? null;
}
