// Schedule set-up (schedule.setup, admins): the chairs by room with their service status, and
// clinicians' weekly working hours. Reached from the Schedule page; the server still enforces.
// Staff who set up monitors (monitor.setup) find the monitor devices page linked here.
import './schedule.css';
import { useSession } from '../auth/SessionContext';
import { hasPermission } from '../auth/permissions';
import { useTitle } from '../lib/useTitle';
import { ChairsSetup } from './ChairsSetup';
import { WorkingHoursSetup } from './WorkingHoursSetup';

export function ScheduleSetupPage() {
  useTitle('Schedule set-up');
  const { session } = useSession();
  return (
    <section aria-labelledby="schedule-setup-title">
      <p>
        <a href="#/schedule">Back to the schedule</a>
      </p>
      <h1 id="schedule-setup-title" tabIndex={-1}>
        Schedule set-up
      </h1>
      {hasPermission(session.permissions, 'monitor.setup') ? (
        <p>
          Bedside monitors are bound to these chairs under <a href="#/monitor/devices">Monitor devices</a>.
        </p>
      ) : null}
      <ChairsSetup />
      <WorkingHoursSetup />
    </section>
  );
}
