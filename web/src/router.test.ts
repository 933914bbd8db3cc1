// Tests of hash route parsing: only numeric ids are accepted in patient URLs.
import { describe, expect, it } from 'vitest';
import { href, parseHash } from './router';

describe('parseHash', () => {
  it('parses the known pages', () => {
    expect(parseHash('')).toEqual({ name: 'home' });
    expect(parseHash('#/')).toEqual({ name: 'home' });
    expect(parseHash('#/patients')).toEqual({ name: 'patients' });
    expect(parseHash('#/patients/new')).toEqual({ name: 'patient-new' });
    expect(parseHash('#/patients/42')).toEqual({ name: 'patient', id: '42' });
    expect(parseHash('#/patients/42/edit')).toEqual({ name: 'patient-edit', id: '42' });
    expect(parseHash('#/patients/42/dosing-plan')).toEqual({ name: 'patient-dosing', id: '42' });
    expect(parseHash('#/users')).toEqual({ name: 'users' });
    expect(parseHash('#/audit/')).toEqual({ name: 'audit' });
    expect(parseHash('#/protocols')).toEqual({ name: 'protocols' });
    expect(parseHash('#/consent-documents')).toEqual({ name: 'consent-documents' });
    expect(parseHash('#/protocols/iv-racemic-ketamine')).toEqual({ name: 'not-found' });
    expect(parseHash('#/measures/overdue')).toEqual({ name: 'measure-overdue' });
    expect(href({ name: 'measure-overdue' })).toBe('#/measures/overdue');
    expect(parseHash('#/measures')).toEqual({ name: 'not-found' });
    expect(parseHash('#/schedule/setup')).toEqual({ name: 'schedule-setup' });
    expect(href({ name: 'schedule-setup' })).toBe('#/schedule/setup');
    expect(parseHash('#/schedule/setup/1')).toEqual({ name: 'not-found' });
    expect(parseHash('#/alert-rules')).toEqual({ name: 'alert-rules' });
    expect(href({ name: 'alert-rules' })).toBe('#/alert-rules');
    expect(parseHash('#/instrument-settings')).toEqual({ name: 'instrument-settings' });
    expect(href({ name: 'instrument-settings' })).toBe('#/instrument-settings');
  });
  it('parses the controlled-substance pages', () => {
    expect(parseHash('#/ledger')).toEqual({ name: 'ledger' });
    expect(parseHash('#/ledger/lots/12')).toEqual({ name: 'ledger-lot', id: '12' });
    expect(parseHash('#/ledger/lots/x')).toEqual({ name: 'not-found' });
    expect(parseHash('#/ledger/count')).toEqual({ name: 'ledger-count' });
  });

  it('parses the session pages, with only the numeric session id in the URL', () => {
    expect(parseHash('#/today')).toEqual({ name: 'today' });
    expect(parseHash('#/sessions/9')).toEqual({ name: 'session', id: '9' });
    expect(parseHash('#/sessions/smith')).toEqual({ name: 'not-found' });
    expect(parseHash('#/sessions/9/x')).toEqual({ name: 'not-found' });
    expect(href({ name: 'session', id: '9' })).toBe('#/sessions/9');
    expect(parseHash('#/rems')).toEqual({ name: 'rems-tracker' });
    expect(href({ name: 'rems-tracker' })).toBe('#/rems');
    expect(parseHash('#/rems/3')).toEqual({ name: 'not-found' });
  });

  it('parses the monitor pages, with no patient data in the URL', () => {
    expect(parseHash('#/chairs')).toEqual({ name: 'chairs' });
    expect(parseHash('#/monitor/unassigned')).toEqual({ name: 'monitor-unassigned' });
    expect(parseHash('#/monitor/devices')).toEqual({ name: 'monitor-devices' });
    expect(parseHash('#/monitor')).toEqual({ name: 'not-found' });
    expect(parseHash('#/chairs/3')).toEqual({ name: 'not-found' });
    for (const hash of ['#/chairs', '#/monitor/unassigned', '#/monitor/devices']) expect(href(parseHash(hash))).toBe(hash);
  });

  it('rejects non-numeric ids and unknown paths', () => {
    expect(parseHash('#/patients/smith')).toEqual({ name: 'not-found' });
    expect(parseHash('#/nope')).toEqual({ name: 'not-found' });
  });
  it('round-trips through href', () => {
    for (const hash of ['#/patients', '#/patients/new', '#/patients/7', '#/patients/7/edit', '#/users', '#/audit', '#/ledger', '#/ledger/lots/3', '#/ledger/count', '#/ledger/discrepancies', '#/protocols', '#/consent-documents']) {
      expect(href(parseHash(hash))).toBe(hash);
    }
  });
});
