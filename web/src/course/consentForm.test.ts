// Tests of the consent dialog's logic: signature emptiness, validation and the request body.
import { describe, expect, it } from 'vitest';
import { consentRequest, EMPTY_SIGNATURE_MESSAGE, isPngDataUrl, isSignatureEmpty, validateConsentForm } from './consentForm';

/** A width×height RGBA buffer with `inked` opaque black pixels. */
function pixels(width: number, height: number, inked: number, alpha = 255): Uint8ClampedArray {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < inked; i += 1) data[i * 4 + 3] = alpha;
  return data;
}

describe('isSignatureEmpty', () => {
  it('is empty for a cleared (transparent) canvas', () => {
    expect(isSignatureEmpty(pixels(300, 100, 0))).toBe(true);
  });
  it('is empty for a stray tap of a few pixels or near-invisible marks', () => {
    expect(isSignatureEmpty(pixels(300, 100, 5))).toBe(true);
    expect(isSignatureEmpty(pixels(300, 100, 500, 10))).toBe(true);
  });
  it('is not empty once a stroke has been drawn', () => {
    expect(isSignatureEmpty(pixels(300, 100, 400))).toBe(false);
    expect(isSignatureEmpty(pixels(300, 100, 20))).toBe(false);
  });
});

describe('validateConsentForm', () => {
  const good = { signed_name: 'Adaeze Okafor', signed_on: '2026-06-01', witness_name: 'N. Nurse' };
  it('refuses an empty signature with a clear message', () => {
    expect(validateConsentForm(good, true, '2026-06-01')).toEqual({ signature_png: EMPTY_SIGNATURE_MESSAGE });
    expect(validateConsentForm(good, false, '2026-06-01')).toEqual({});
  });
  it('needs the typed name, a witness and a real signing date that is not in the future', () => {
    const errors = validateConsentForm({ signed_name: ' ', signed_on: '2026-02-30', witness_name: '' }, false, '2026-06-01');
    expect(Object.keys(errors).sort()).toEqual(['signed_name', 'signed_on', 'witness_name']);
    expect(validateConsentForm({ ...good, signed_on: '2026-06-02' }, false, '2026-06-01')['signed_on']).toMatch(/future/);
  });
});

describe('consentRequest', () => {
  it('maps the dialog to the API body with the PNG data URL', () => {
    const png = 'data:image/png;base64,iVBORw0KGgo=';
    expect(isPngDataUrl(png)).toBe(true);
    expect(isPngDataUrl('data:image/jpeg;base64,abc')).toBe(false);
    expect(consentRequest(12, { signed_name: ' Adaeze Okafor ', signed_on: '2026-06-01', witness_name: ' Nia ' }, png)).toEqual({
      document_id: 12,
      signed_name: 'Adaeze Okafor',
      signature_png: png,
      signed_on: '2026-06-01',
      witness_name: 'Nia',
    });
  });
});
