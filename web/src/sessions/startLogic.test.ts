import { describe, expect, it } from 'vitest';
import { mgText, startBody, startDefaults } from './startLogic';

const LOT = { lot_id: 7, location_id: 2 };

describe('start of dosing', () => {
  it('starts without a ledger link when no lot is picked', () => {
    expect(startBody({ stock: null, drawn_mg: '35', administered_mg: '35' })).toEqual({ body: { kind: 'start' }, errors: {} });
  });

  it('records the administration from the picked lot and location with exact mg text', () => {
    expect(startBody({ stock: LOT, drawn_mg: ' 40 ', administered_mg: '32,5' }).body).toEqual({
      kind: 'start',
      administer: { lot_id: 7, location_id: 2, drawn_mg: '40', administered_mg: '32.5' },
    });
    expect(startBody({ stock: LOT, drawn_mg: '35', administered_mg: '0' }).body).toMatchObject({ administer: { administered_mg: '0' } });
  });

  it('names the field and the rule when a quantity is missing, unreadable or more than drawn', () => {
    expect(startBody({ stock: LOT, drawn_mg: '', administered_mg: '' }).errors).toEqual({
      'administer.drawn_mg': 'is required when the dose is linked to a lot',
      'administer.administered_mg': 'is required when the dose is linked to a lot',
    });
    expect(startBody({ stock: LOT, drawn_mg: '12.3456', administered_mg: 'abc' }).errors).toEqual({
      'administer.drawn_mg': 'must be a number of mg with at most 3 decimal places, e.g. "12.5"',
      'administer.administered_mg': 'must be a number of mg with at most 3 decimal places, e.g. "12.5"',
    });
    expect(startBody({ stock: LOT, drawn_mg: '0', administered_mg: '0' }).errors).toEqual({ 'administer.drawn_mg': 'must be more than 0' });
    const over = startBody({ stock: LOT, drawn_mg: '35', administered_mg: '35.001' });
    expect(over.body).toBeNull();
    expect(over.errors).toEqual({ 'administer.administered_mg': '35.001 mg administered is more than the 35 mg drawn' });
  });

  it('opens with the ordered dose as drawn and given', () => {
    expect(startDefaults({ dose_mg: 35 })).toEqual({ stock: null, drawn_mg: '35', administered_mg: '35' });
    expect(startDefaults({ dose_mg: 24.5 }).drawn_mg).toBe('24.5');
    expect(startDefaults(null)).toEqual({ stock: null, drawn_mg: '', administered_mg: '' });
    expect(mgText(0.1 + 0.2)).toBe('0.3');
  });
});
