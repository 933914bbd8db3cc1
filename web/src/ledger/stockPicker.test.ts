import { describe, expect, it } from 'vitest';
import type { LedgerBalance } from '../api/ledger';
import { availableStock, chosenStock, isExpired, parseStockKey, stockKey, stockLabel } from './stockPicker';

function balance(over: Partial<LedgerBalance>): LedgerBalance {
  return {
    lot_id: 1, lot_number: 'K-1', expiry_date: '2027-09-30', expired: false, product_id: 1,
    drug_name: 'Ketamine HCl', ndc: '67890-0321-12', strength_mg_per_ml: '50', location_id: 1, location: 'Safe',
    balance_mg: '500', balance_ml: '10', estimate_allowed: false, ...over,
  };
}

describe('stock picker', () => {
  const fresh = balance({ lot_id: 2, lot_number: 'K-2', expiry_date: '2028-01-31', location: 'Lockbox', location_id: 3 });
  const soon = balance({ lot_id: 1, lot_number: 'K-1', expiry_date: '2027-02-28' });
  const expired = balance({ lot_id: 4, lot_number: 'OLD', expiry_date: '2025-12-31', expired: true });
  const empty = balance({ lot_id: 5, lot_number: 'EMPTY', balance_mg: '0', balance_ml: '0' });
  const tiny = balance({ lot_id: 6, lot_number: 'TINY', expiry_date: '2029-01-01', balance_mg: '0.001', balance_ml: '0.00002' });

  it('leaves out expired lots and lots with nothing left, soonest expiry first', () => {
    expect(availableStock([fresh, expired, empty, soon, tiny]).map((b) => b.lot_number)).toEqual(['K-1', 'K-2', 'TINY']);
    expect(availableStock([expired, empty])).toEqual([]);
  });

  it('treats a lot whose expiry date has passed on the client as expired too', () => {
    expect(isExpired(soon)).toBe(false);
    expect(isExpired(soon, '2027-02-28')).toBe(false);
    expect(isExpired(soon, '2027-03-01')).toBe(true);
    expect(availableStock([fresh, soon], '2027-03-01').map((b) => b.lot_number)).toEqual(['K-2']);
  });

  it('shows product, lot, expiry, location and the exact balance in mg and mL', () => {
    expect(stockLabel(fresh)).toBe('Ketamine HCl 50 mg/mL · lot K-2 · expires 2028-01-31 · Lockbox · 500 mg (10 mL)');
    expect(stockLabel(balance({ balance_mg: '437.5', balance_ml: '8.75' }))).toBe(
      'Ketamine HCl 50 mg/mL · lot K-1 · expires 2027-09-30 · Safe · 437.5 mg (8.75 mL)',
    );
  });

  it('turns a choice into the lot and location ids and back', () => {
    expect(stockKey({ lot_id: 2, location_id: 3 })).toBe('2:3');
    expect(parseStockKey('2:3')).toEqual({ lot_id: 2, location_id: 3 });
    expect(parseStockKey('')).toBeNull();
    expect(parseStockKey('0:3')).toBeNull();
    expect(parseStockKey('2:')).toBeNull();
    expect(chosenStock(availableStock([fresh, soon]), { lot_id: 2, location_id: 3 })).toBe(fresh);
    expect(chosenStock(availableStock([fresh, expired]), { lot_id: 4, location_id: 1 })).toBeNull();
    expect(chosenStock([fresh], null)).toBeNull();
  });
});
