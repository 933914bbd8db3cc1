// Pure logic of the consent dialog: whether a drawn signature has any ink, the dialog's
// validation, and the request body for POST /patients/{id}/consents.
import type { Id, NewConsent } from '../api/types';
import { isBlank, isCalendarDate } from '../lib/validation';

export interface ConsentFormValues {
  signed_name: string;
  signed_on: string;
  witness_name: string;
}

export const EMPTY_SIGNATURE_MESSAGE = 'The patient has not signed: draw the signature in the box (finger, pen or mouse).';

/**
 * True when an RGBA pixel buffer (canvas getImageData().data) has no visible ink: every
 * pixel is fully transparent, or too faint to be a mark (alpha below `minAlpha`).
 * `minPixels` visible pixels are needed, so a stray tap is not a signature.
 */
export function isSignatureEmpty(pixels: ArrayLike<number>, minPixels = 20, minAlpha = 32): boolean {
  let inked = 0;
  for (let i = 3; i < pixels.length; i += 4) {
    if ((pixels[i] ?? 0) >= minAlpha) {
      inked += 1;
      if (inked >= minPixels) return false;
    }
  }
  return true;
}

/** A PNG data URL the server accepts as signature_png. */
export function isPngDataUrl(value: string): boolean {
  return /^data:image\/png;base64,[A-Za-z0-9+/]+=*$/.test(value);
}

export function validateConsentForm(values: ConsentFormValues, signatureEmpty: boolean, today: string): Record<string, string> {
  const errors: Record<string, string> = {};
  if (isBlank(values.signed_name)) errors['signed_name'] = 'Type the name of the person signing.';
  if (signatureEmpty) errors['signature_png'] = EMPTY_SIGNATURE_MESSAGE;
  if (isBlank(values.signed_on)) errors['signed_on'] = 'Enter the date the consent was signed.';
  else if (!isCalendarDate(values.signed_on)) errors['signed_on'] = 'Signed on must be a real date (YYYY-MM-DD).';
  else if (values.signed_on > today) errors['signed_on'] = 'Signed on cannot be in the future.';
  if (isBlank(values.witness_name)) errors['witness_name'] = 'Name the staff member who witnessed the signature.';
  return errors;
}

export function consentRequest(documentId: Id, values: ConsentFormValues, signaturePng: string): NewConsent {
  return {
    document_id: documentId,
    signed_name: values.signed_name.trim(),
    signature_png: signaturePng,
    signed_on: values.signed_on,
    witness_name: values.witness_name.trim(),
  };
}
