// Schedule set-up (schedule.setup, admins): the chairs by room with their service status, and
// clinicians' weekly working hours. Reached from the Schedule page; the server still enforces.
import './schedule.css';
import { useTitle } from '../lib/useTitle';
import { ChairsSetup } from './ChairsSetup';
import { WorkingHoursSetup } from './WorkingHoursSetup';

export function ScheduleSetupPage() {
  useTitle('Schedule set-up');
  return (
    <section aria-labelledby="schedule-setup-title">
      <p>
        <a href="#/schedule">Back to the schedule</a>
      </p>
      <h1 id="schedule-setup-title" tabIndex={-1}>
        Schedule set-up
      </h1>
      <ChairsSetup />
      <WorkingHoursSetup />
    </section>
  );
}
