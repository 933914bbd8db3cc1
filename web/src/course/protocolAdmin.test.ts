// Tests of the admin pages' logic: the editor's next version, reading it back, server paths,
// and the consent-document form.
import { describe, expect, it } from 'vitest';
import { consentDocumentRequest, isDocumentField, nextVersionText, parseProtocolText, validateConsentDocument } from './protocolAdmin';

describe('protocol editor', () => {
  it('starts from the active document with the next version number', () => {
    const text = nextVersionText({ id: 'iv-racemic-ketamine', version: 1, title: 'IV' }, 1);
    expect(JSON.parse(text)).toEqual({ id: 'iv-racemic-ketamine', version: 2, title: 'IV' });
  });
  it('reads the edited text back, or says why it is not JSON', () => {
    expect(parseProtocolText('{"id":"x","version":2}')).toEqual({ ok: true, document: { id: 'x', version: 2 } });
    const broken = parseProtocolText('{"id": "x",');
    expect(broken.ok).toBe(false);
    if (!broken.ok) expect(broken.message).toMatch(/^The document is not valid JSON: /);
    expect(parseProtocolText('[1]')).toEqual({ ok: false, message: 'The document must be a JSON object.' });
  });
  it('knows which server fields point into the document', () => {
    expect(isDocumentField('document.eligibility[3].source')).toBe(true);
    expect(isDocumentField('document')).toBe(true);
    expect(isDocumentField('change_reason')).toBe(false);
    expect(isDocumentField(undefined)).toBe(false);
  });
});

describe('consent document form', () => {
  const good = { protocol_id: 'iv-racemic-ketamine', title: ' IV consent ', body: 'Text', valid_for_days: '365', requires_reconsent: true, change_reason: 'First' };
  it('validates every field', () => {
    expect(validateConsentDocument(good)).toEqual({});
    const errors = validateConsentDocument({ protocol_id: '', title: '', body: ' ', valid_for_days: '0', requires_reconsent: false, change_reason: '' });
    expect(Object.keys(errors).sort()).toEqual(['body', 'change_reason', 'protocol_id', 'title', 'valid_for_days']);
  });
  it('maps to the request body', () => {
    expect(consentDocumentRequest(good)).toEqual({
      protocol_id: 'iv-racemic-ketamine',
      title: 'IV consent',
      body: 'Text',
      valid_for_days: 365,
      requires_reconsent: true,
      change_reason: 'First',
    });
  });
});
