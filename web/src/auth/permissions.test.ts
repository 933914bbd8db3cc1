// Tests of the permission -> navigation mapping and route guards.
import { describe, expect, it } from 'vitest';
import { canOpen, homeRoute, navForPermissions, requiredPermission } from './permissions';

const labels = (permissions: string[]) => navForPermissions(permissions).map((item) => item.label);

describe('navForPermissions', () => {
  it('shows each page only with its permission', () => {
    expect(labels(['patient.read'])).toEqual(['Patients']);
    expect(labels(['user.admin'])).toEqual(['Users']);
    expect(labels(['audit.read'])).toEqual(['Audit']);
    expect(labels(['patient.read', 'patient.write', 'user.read', 'user.admin', 'audit.read'])).toEqual(['Patients', 'Users', 'Audit']);
    expect(labels([])).toEqual([]);
    expect(labels(['measure.read'])).toEqual(['Alerts', 'Overdue measures']);
    expect(canOpen(['measure.read'], { name: 'measure-overdue' })).toBe(true);
    expect(canOpen(['patient.read'], { name: 'measure-overdue' })).toBe(false);
    expect(canOpen(['protocol.admin'], { name: 'alert-rules' })).toBe(true);
    expect(canOpen(['measure.read', 'measure.write'], { name: 'alert-rules' })).toBe(false);
  });
  it('shows Today with session.read, after Patients so the start page stays the patient list', () => {
    expect(labels(['session.read'])).toEqual(['Today', 'REMS tracker']);
    expect(labels(['session.read', 'patient.read'])).toEqual(['Patients', 'Today', 'REMS tracker']);
    expect(canOpen(['patient.read'], { name: 'session', id: '3' })).toBe(false);
    expect(canOpen(['session.read'], { name: 'session', id: '3' })).toBe(true);
  });
  it('shows the REMS tracker with session.read, the permission GET /api/v1/rems/tracker checks', () => {
    expect(requiredPermission({ name: 'rems-tracker' })).toBe('session.read');
    expect(canOpen(['patient.read', 'patient.write'], { name: 'rems-tracker' })).toBe(false);
    expect(labels(['patient.read', 'patient.write', 'schedule.read'])).not.toContain('REMS tracker');
  });
  it('shows the protocol admin pages only with protocol.admin', () => {
    expect(labels(['patient.read', 'protocol.admin'])).toEqual(['Patients', 'Protocols', 'Consent documents', 'Alert rules', 'Instrument settings']);
    expect(labels(['patient.read', 'course.read', 'course.plan'])).toEqual(['Patients']);
    expect(canOpen(['course.read', 'course.plan'], { name: 'protocols' })).toBe(false);
    expect(canOpen(['protocol.admin'], { name: 'consent-documents' })).toBe(true);
    expect(canOpen(['protocol.admin'], { name: 'instrument-settings' })).toBe(true);
    expect(canOpen(['measure.read', 'measure.write'], { name: 'instrument-settings' })).toBe(false);
  });
  it('shows Chairs with monitor.read; monitor devices need monitor.setup', () => {
    expect(labels(['session.read', 'monitor.read'])).toEqual(['Today', 'Chairs', 'REMS tracker']);
    expect(canOpen(['monitor.read'], { name: 'chairs' })).toBe(true);
    expect(canOpen(['monitor.read'], { name: 'monitor-unassigned' })).toBe(true);
    expect(canOpen(['session.read'], { name: 'chairs' })).toBe(false);
    expect(canOpen(['monitor.read'], { name: 'monitor-devices' })).toBe(false);
    expect(canOpen(['monitor.read', 'monitor.setup'], { name: 'monitor-devices' })).toBe(true);
  });
  it('does not show Users for user.read alone', () => {
    expect(labels(['user.read', 'patient.read'])).toEqual(['Patients']);
  });
});

describe('route permissions', () => {
  it('needs patient.write to create or edit patients', () => {
    expect(requiredPermission({ name: 'patient-new' })).toBe('patient.write');
    expect(requiredPermission({ name: 'patient-edit', id: '4' })).toBe('patient.write');
    expect(requiredPermission({ name: 'patient', id: '4' })).toBe('patient.read');
  });
  it('needs schedule.setup for the schedule set-up page', () => {
    expect(requiredPermission({ name: 'schedule-setup' })).toBe('schedule.setup');
    expect(canOpen(['schedule.read', 'schedule.write'], { name: 'schedule-setup' })).toBe(false);
  });
  it('keeps a front desk user (no audit.read) out of the audit page', () => {
    expect(canOpen(['patient.read', 'patient.write'], { name: 'audit' })).toBe(false);
    expect(canOpen(['audit.read'], { name: 'audit' })).toBe(true);
  });
  it('home leads to the first permitted page', () => {
    expect(homeRoute(['audit.read'])).toEqual({ name: 'audit' });
    expect(homeRoute(['audit.read', 'patient.read'])).toEqual({ name: 'patients' });
    expect(homeRoute([])).toBeNull();
  });
});
