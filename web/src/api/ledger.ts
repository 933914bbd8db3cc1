// Controlled-substance ledger endpoints (/api/v1/ledger). Quantities travel as exact decimal
// mg/mL text ("12.5"), never as floating-point numbers.
import { apiRequest, withQuery } from './client';
import type { Id } from './types';

export interface LedgerBalance {
  lot_id: number;
  lot_number: string;
  expiry_date: string;
  expired: boolean;
  product_id: number;
  drug_name: string;
  ndc: string;
  strength_mg_per_ml: string;
  location_id: number;
  location: string;
  balance_mg: string;
  balance_ml: string;
  estimate_allowed: boolean;
  full_containers?: number;
  expected_mg?: string;
}

export interface LedgerEntry {
  sequence: number;
  kind: string;
  occurred_at: string;
  recorded_by: string;
  lot_id: number | null;
  lot_number: string | null;
  drug_name: string | null;
  location_id: number | null;
  location: string | null;
  to_location: string | null;
  quantity_mg: string;
  quantity_ml: string | null;
  drawn_mg: string | null;
  administered_mg: string | null;
  from_draw: boolean;
  reverses_kind: string | null;
  patient_id: number | null;
  related_sequence: number | null;
  witnesses: string[];
  details: Record<string, unknown>;
  corrected_by_sequence: number | null;
}

export interface LedgerLot {
  id: number;
  lot_number: string;
  expiry_date: string;
  expired: boolean;
  product_id: number;
  drug_name: string;
  ndc: string;
  strength_mg_per_ml: string;
  container_volume_ml: string;
  finished_form: string;
  balances: LedgerBalance[];
  entries: { items: LedgerEntry[]; next_before_sequence: number | null };
}

export interface CountSheet {
  lines: LedgerBalance[];
  last_inventory_at: string | null;
  biennial_inventory_due: string | null;
  biennial_inventory_overdue?: boolean;
}

export interface Discrepancy {
  id: number;
  cause: 'count_mismatch' | 'loss';
  lot_id: number;
  lot_number: string;
  location: string;
  opened_by_sequence: number;
  expected_mg: string;
  counted_mg: string;
  difference_mg: string;
  opened_at: string;
  status: 'open' | 'resolved';
  resolution_reason: string | null;
}

export interface Witness {
  username: string;
  password: string;
}

export const listBalances = () => apiRequest<{ items: LedgerBalance[] }>('GET', '/api/v1/ledger/balances');
export const getLot = (id: Id, beforeSequence: number | null = null) =>
  apiRequest<LedgerLot>('GET', withQuery(`/api/v1/ledger/lots/${id}`, { before_sequence: beforeSequence, limit: 50 }));
export const getCountSheet = () => apiRequest<CountSheet>('GET', '/api/v1/ledger/count-sheet');
export const listDiscrepancies = (status: 'open' | 'all') =>
  apiRequest<{ items: Discrepancy[] }>('GET', withQuery('/api/v1/ledger/discrepancies', { status }));
export const resolveDiscrepancy = (id: Id, reason: string) =>
  apiRequest<Discrepancy>('POST', `/api/v1/ledger/discrepancies/${id}/resolve`, { reason });
export const recordEntry = (body: Record<string, unknown>) => apiRequest<LedgerEntry>('POST', '/api/v1/ledger/entries', body);
export const recordCount = (body: {
  count_kind: string;
  lines: { lot_id: number; location_id: number; counted_mg: string; estimated: boolean }[];
}) =>
  apiRequest<{ entries: LedgerEntry[]; discrepancies: { id: number; expected_mg: string; counted_mg: string }[] }>(
    'POST',
    '/api/v1/ledger/counts',
    body,
  );

/** "12.5" style mg/mL text: digits with at most three decimals. */
export function isExactQuantity(text: string): boolean {
  return /^\d+(\.\d{1,3})?$/.test(text.trim());
}

/** Exact mg text ("12.5") as whole micrograms (12500); NaN when it is not such text. */
export function micrograms(text: string | null | undefined): number {
  if (!text || !/^-?\d+(\.\d{1,3})?$/.test(text)) return Number.NaN;
  const negative = text.startsWith('-');
  const [whole = '0', fraction = ''] = text.replace('-', '').split('.');
  const value = Number(whole) * 1000 + Number((fraction + '000').slice(0, 3));
  return negative ? -value : value;
}
