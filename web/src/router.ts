// Hash routing: "#/patients/12" <-> Route values. Only numeric ids ever appear in the URL;
// search terms and other patient data stay in memory.
import { useEffect, useState } from 'preact/hooks';

export type Route =
  | { name: 'home' }
  | { name: 'patients' }
  | { name: 'patient-new' }
  | { name: 'patient'; id: string }
  | { name: 'patient-edit'; id: string }
  | { name: 'patient-dosing'; id: string }
  | { name: 'users' }
  | { name: 'audit' }
  | { name: 'ledger' }
  | { name: 'ledger-lot'; id: string }
  | { name: 'ledger-count' }
  | { name: 'ledger-discrepancies' }
  | { name: 'alerts' }
  | { name: 'measure-overdue' }
  | { name: 'alert-rules' }
  | { name: 'instrument-settings' }
  | { name: 'protocols' }
  | { name: 'consent-documents' }
  | { name: 'schedule' }
  | { name: 'schedule-setup' }
  | { name: 'today' }
  | { name: 'session'; id: string }
  | { name: 'rems-tracker' }
  | { name: 'chairs' }
  | { name: 'monitor-unassigned' }
  | { name: 'monitor-devices' }
  | { name: 'not-found' };

export function parseHash(hash: string): Route {
  const path = hash.replace(/^#/, '').replace(/\/+$/, '') || '/';
  const parts = path.split('/').filter(Boolean);
  if (parts.length === 0) return { name: 'home' };
  const [first, second, third] = parts;
  if (first === 'patients') {
    if (parts.length === 1) return { name: 'patients' };
    if (second === 'new' && parts.length === 2) return { name: 'patient-new' };
    if (second && /^\d+$/.test(second)) {
      if (parts.length === 2) return { name: 'patient', id: second };
      if (third === 'edit' && parts.length === 3) return { name: 'patient-edit', id: second };
      if (third === 'dosing-plan' && parts.length === 3) return { name: 'patient-dosing', id: second };
    }
  }
  if (first === 'users' && parts.length === 1) return { name: 'users' };
  if (first === 'audit' && parts.length === 1) return { name: 'audit' };
  if (first === 'ledger') {
    if (parts.length === 1) return { name: 'ledger' };
    if (second === 'lots' && third && /^\d+$/.test(third) && parts.length === 3) return { name: 'ledger-lot', id: third };
    if (second === 'count' && parts.length === 2) return { name: 'ledger-count' };
    if (second === 'discrepancies' && parts.length === 2) return { name: 'ledger-discrepancies' };
  }
  if (first === 'alerts' && parts.length === 1) return { name: 'alerts' };
  if (first === 'measures' && second === 'overdue' && parts.length === 2) return { name: 'measure-overdue' };
  if (first === 'alert-rules' && parts.length === 1) return { name: 'alert-rules' };
  if (first === 'instrument-settings' && parts.length === 1) return { name: 'instrument-settings' };
  if (first === 'protocols' && parts.length === 1) return { name: 'protocols' };
  if (first === 'consent-documents' && parts.length === 1) return { name: 'consent-documents' };
  if (first === 'schedule' && parts.length === 1) return { name: 'schedule' };
  if (first === 'schedule' && second === 'setup' && parts.length === 2) return { name: 'schedule-setup' };
  if (first === 'today' && parts.length === 1) return { name: 'today' };
  if (first === 'sessions' && second && /^\d+$/.test(second) && parts.length === 2) return { name: 'session', id: second };
  if (first === 'rems' && parts.length === 1) return { name: 'rems-tracker' };
  if (first === 'chairs' && parts.length === 1) return { name: 'chairs' };
  if (first === 'monitor' && second === 'unassigned' && parts.length === 2) return { name: 'monitor-unassigned' };
  if (first === 'monitor' && second === 'devices' && parts.length === 2) return { name: 'monitor-devices' };
  return { name: 'not-found' };
}

export function href(route: Route): string {
  switch (route.name) {
    case 'home':
      return '#/';
    case 'patients':
      return '#/patients';
    case 'patient-new':
      return '#/patients/new';
    case 'patient':
      return `#/patients/${route.id}`;
    case 'patient-edit':
      return `#/patients/${route.id}/edit`;
    case 'patient-dosing':
      return `#/patients/${route.id}/dosing-plan`;
    case 'users':
      return '#/users';
    case 'audit':
      return '#/audit';
    case 'ledger':
      return '#/ledger';
    case 'ledger-lot':
      return `#/ledger/lots/${route.id}`;
    case 'ledger-count':
      return '#/ledger/count';
    case 'ledger-discrepancies':
      return '#/ledger/discrepancies';
    case 'alerts':
      return '#/alerts';
    case 'measure-overdue':
      return '#/measures/overdue';
    case 'alert-rules':
      return '#/alert-rules';
    case 'instrument-settings':
      return '#/instrument-settings';
    case 'protocols':
      return '#/protocols';
    case 'consent-documents':
      return '#/consent-documents';
    case 'schedule':
      return '#/schedule';
    case 'schedule-setup':
      return '#/schedule/setup';
    case 'today':
      return '#/today';
    case 'session':
      return `#/sessions/${route.id}`;
    case 'rems-tracker':
      return '#/rems';
    case 'chairs':
      return '#/chairs';
    case 'monitor-unassigned':
      return '#/monitor/unassigned';
    case 'monitor-devices':
      return '#/monitor/devices';
    case 'not-found':
      return '#/';
  }
}

export function navigate(route: Route): void {
  window.location.hash = href(route);
}

/** The current route, updated on every hash change. */
export function useRoute(): Route {
  const [route, setRoute] = useState<Route>(() => parseHash(window.location.hash));
  useEffect(() => {
    const update = () => setRoute(parseHash(window.location.hash));
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}
