// Maps a route to its page component (permission checks happen in AppShell).
import { AuditPage } from '../audit/AuditPage';
import { Loading, NotFound } from '../components/Status';
import { ConsentDocumentsPage } from '../course/ConsentDocumentsPage';
import { ProtocolsPage } from '../course/ProtocolsPage';
import { CountPage } from '../ledger/CountPage';
import { DiscrepanciesPage } from '../ledger/DiscrepanciesPage';
import { InventoryPage } from '../ledger/InventoryPage';
import { LotPage } from '../ledger/LotPage';
import { AlertRulesPage } from '../measures/AlertRulesPage';
import { AlertsPage } from '../measures/AlertsPage';
import { InstrumentSettingsPage } from '../measures/InstrumentSettingsPage';
import { OverduePage } from '../measures/OverduePage';
import { ChairBoardPage } from '../monitor/ChairBoardPage';
import { MonitorDevicesPage } from '../monitor/MonitorDevicesPage';
import { UnassignedVitalsPage } from '../monitor/UnassignedVitalsPage';
import { RemsTrackerPage } from '../rems/RemsTrackerPage';
import { SchedulePage } from '../schedule/SchedulePage';
import { ScheduleSetupPage } from '../schedule/ScheduleSetupPage';
import { SessionPage } from '../sessions/SessionPage';
import { TodayPage } from '../sessions/TodayPage';
import { EditPatientPage } from '../patients/EditPatientPage';
import { NewPatientPage } from '../patients/NewPatientPage';
import { PatientChartPage } from '../patients/PatientChartPage';
import { PatientsPage } from '../patients/PatientsPage';
import { DosingPlanPage } from '../pk/DosingPlanPage';
import type { Route } from '../router';
import { UsersPage } from '../users/UsersPage';

export function Page({ route }: { route: Route }) {
  switch (route.name) {
    case 'home':
      return <Loading what="start page" />;
    case 'patients':
      return <PatientsPage />;
    case 'patient-new':
      return <NewPatientPage />;
    case 'patient':
      return <PatientChartPage key={route.id} id={route.id} />;
    case 'patient-edit':
      return <EditPatientPage key={route.id} id={route.id} />;
    case 'patient-dosing':
      return <DosingPlanPage key={route.id} id={route.id} />;
    case 'users':
      return <UsersPage />;
    case 'audit':
      return <AuditPage />;
    case 'ledger':
      return <InventoryPage />;
    case 'ledger-lot':
      return <LotPage key={route.id} id={route.id} />;
    case 'ledger-count':
      return <CountPage />;
    case 'ledger-discrepancies':
      return <DiscrepanciesPage />;
    case 'alerts':
      return <AlertsPage />;
    case 'measure-overdue':
      return <OverduePage />;
    case 'alert-rules':
      return <AlertRulesPage />;
    case 'instrument-settings':
      return <InstrumentSettingsPage />;
    case 'protocols':
      return <ProtocolsPage />;
    case 'consent-documents':
      return <ConsentDocumentsPage />;
    case 'schedule':
      return <SchedulePage />;
    case 'schedule-setup':
      return <ScheduleSetupPage />;
    case 'today':
      return <TodayPage />;
    case 'session':
      return <SessionPage key={route.id} id={route.id} />;
    case 'rems-tracker':
      return <RemsTrackerPage />;
    case 'chairs':
      return <ChairBoardPage />;
    case 'monitor-unassigned':
      return <UnassignedVitalsPage />;
    case 'monitor-devices':
      return <MonitorDevicesPage />;
    case 'not-found':
      return <NotFound what="Page" />;
  }
}
