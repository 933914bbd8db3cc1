// Pure logic of the protocol and consent-document admin pages: the next version's JSON for
// the editor, reading it back (with the JSON error shown in words), where a server error
// points, and the consent-document form's validation and request body.
import type { NewConsentDocument } from '../api/types';
import { isBlank } from '../lib/validation';

/** The editor's starting text: the active document with its version bumped by one. */
export function nextVersionText(document: Record<string, unknown>, currentVersion: number): string {
  return JSON.stringify({ ...document, version: currentVersion + 1 }, null, 2);
}

export type ParsedDocument = { ok: true; document: Record<string, unknown> } | { ok: false; message: string };

export function parseProtocolText(text: string): ParsedDocument {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, message: `The document is not valid JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { ok: false, message: 'The document must be a JSON object.' };
  return { ok: true, document: value as Record<string, unknown> };
}

/** True when a server error names a path inside the edited document ("document.eligibility[3].source"). */
export function isDocumentField(field: string | undefined): boolean {
  return field === 'document' || Boolean(field?.startsWith('document.') || field?.startsWith('document['));
}

export interface ConsentDocumentFormValues {
  protocol_id: string;
  title: string;
  body: string;
  valid_for_days: string;
  requires_reconsent: boolean;
  change_reason: string;
}

export function validateConsentDocument(values: ConsentDocumentFormValues): Record<string, string> {
  const errors: Record<string, string> = {};
  if (isBlank(values.protocol_id)) errors['protocol_id'] = 'Choose the protocol this document is for.';
  if (isBlank(values.title)) errors['title'] = 'Title is required.';
  if (isBlank(values.body)) errors['body'] = 'The text the patient reads is required.';
  const days = values.valid_for_days.trim();
  if (!/^\d+$/.test(days) || Number(days) < 1 || Number(days) > 3660) errors['valid_for_days'] = 'Valid for must be whole days from 1 to 3660.';
  if (isBlank(values.change_reason)) errors['change_reason'] = 'Say what changed in this version.';
  return errors;
}

export function consentDocumentRequest(values: ConsentDocumentFormValues): NewConsentDocument {
  return {
    protocol_id: values.protocol_id,
    title: values.title.trim(),
    body: values.body.trim(),
    valid_for_days: Number(values.valid_for_days.trim()),
    requires_reconsent: values.requires_reconsent,
    change_reason: values.change_reason.trim(),
  };
}
