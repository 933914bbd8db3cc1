// Which pages a user may see: the navigation built from the session's permissions,
// and the permission each route needs (the UI hides; the server still enforces).
import type { Permission } from '../api/types';
import type { Route } from '../router';

export interface NavItem {
  label: string;
  route: Route;
  permission: Permission;
}

export const NAV_ITEMS: readonly NavItem[] = [
  { label: 'Patients', route: { name: 'patients' }, permission: 'patient.read' },
  { label: 'Today', route: { name: 'today' }, permission: 'session.read' },
  { label: 'Chairs', route: { name: 'chairs' }, permission: 'monitor.read' },
  { label: 'REMS tracker', route: { name: 'rems-tracker' }, permission: 'session.read' },
  { label: 'Alerts', route: { name: 'alerts' }, permission: 'measure.read' },
  { label: 'Overdue measures', route: { name: 'measure-overdue' }, permission: 'measure.read' },
  { label: 'Schedule', route: { name: 'schedule' }, permission: 'schedule.read' },
  { label: 'Users', route: { name: 'users' }, permission: 'user.admin' },
  { label: 'Audit', route: { name: 'audit' }, permission: 'audit.read' },
  { label: 'Controlled substances', route: { name: 'ledger' }, permission: 'ledger.read' },
  { label: 'Protocols', route: { name: 'protocols' }, permission: 'protocol.admin' },
  { label: 'Consent documents', route: { name: 'consent-documents' }, permission: 'protocol.admin' },
  { label: 'Alert rules', route: { name: 'alert-rules' }, permission: 'protocol.admin' },
  { label: 'Instrument settings', route: { name: 'instrument-settings' }, permission: 'protocol.admin' },
];

export function hasPermission(permissions: readonly string[], permission: Permission): boolean {
  return permissions.includes(permission);
}

export function navForPermissions(permissions: readonly string[]): NavItem[] {
  return NAV_ITEMS.filter((item) => hasPermission(permissions, item.permission));
}

/** The permission a route needs, or null when any signed-in user may open it. */
export function requiredPermission(route: Route): Permission | null {
  switch (route.name) {
    case 'patients':
    case 'patient':
    case 'patient-dosing':
      return 'patient.read';
    case 'patient-new':
    case 'patient-edit':
      return 'patient.write';
    case 'users':
      return 'user.admin';
    case 'audit':
      return 'audit.read';
    case 'ledger':
    case 'ledger-lot':
    case 'ledger-discrepancies':
      return 'ledger.read';
    case 'ledger-count':
      return 'ledger.record';
    case 'alerts':
    case 'measure-overdue':
      return 'measure.read';
    case 'protocols':
    case 'consent-documents':
    case 'alert-rules':
    case 'instrument-settings':
      return 'protocol.admin';
    case 'schedule':
      return 'schedule.read';
    case 'schedule-setup':
      return 'schedule.setup';
    case 'today':
    case 'session':
    case 'rems-tracker':
      return 'session.read';
    case 'chairs':
    case 'monitor-unassigned':
      return 'monitor.read';
    case 'monitor-devices':
      return 'monitor.setup';
    case 'home':
    case 'not-found':
      return null;
  }
}

export function canOpen(permissions: readonly string[], route: Route): boolean {
  const needed = requiredPermission(route);
  return needed === null || hasPermission(permissions, needed);
}

/** Where "#/" leads: the first page the user may see, or null if none. */
export function homeRoute(permissions: readonly string[]): Route | null {
  return navForPermissions(permissions)[0]?.route ?? null;
}
