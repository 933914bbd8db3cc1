import { describe, expect, it } from 'vitest';
import { isExactQuantity, micrograms } from '../api/ledger';

describe('ledger quantities', () => {
  it('reads exact mg text as whole micrograms', () => {
    expect(micrograms('12.5')).toBe(12500);
    expect(micrograms('0.001')).toBe(1);
    expect(micrograms('40')).toBe(40000);
    expect(micrograms('-0.5')).toBe(-500);
    expect(micrograms('39.95') + micrograms('0.05')).toBe(micrograms('40'));
    expect(micrograms('1e3')).toBeNaN();
    expect(micrograms(null)).toBeNaN();
  });
  it('accepts at most three decimals', () => {
    expect(isExactQuantity('2.5')).toBe(true);
    expect(isExactQuantity('2.5000')).toBe(false);
    expect(isExactQuantity('abc')).toBe(false);
  });
});
