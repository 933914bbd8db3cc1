// The REMS tracker (#/rems, session.read): every dosed esketamine session's Patient Monitoring
// Form from GET /api/v1/rems/tracker?status=all. Forms still due come first with days left, the
// overdue ones highlighted; then the submitted ones with their date. Each row links to its
// session (the REMS form tab) and shows the patient's enrolment.
import { useEffect, useState } from 'preact/hooks';
import { remsTracker, type RemsTrackerItem } from '../api/rems';
import { ApiErrorView, Loading } from '../components/Status';
import { patientName } from '../lib/format';
import { useTitle } from '../lib/useTitle';
import { href } from '../router';
import { deadlineLabel, deadlineTone, splitTracker } from './remsLogic';
import './rems.css';

function Rows({ items }: { items: RemsTrackerItem[] }) {
  return (
    <tbody>
      {items.map((item) => {
        const tone = deadlineTone(item.status, item.days_left);
        return (
          <tr key={item.session.id} data-session={item.session.id} class={tone === 'overdue' ? 'rems-row--overdue' : undefined}>
            <td>
              <a href={href({ name: 'session', id: String(item.session.id) })}>Session #{item.session.id}</a>
            </td>
            <td>{patientName(item.session.patient)}</td>
            <td>{item.session.patient.mrn}</td>
            <td>{item.session_date}</td>
            <td>{item.due_on}</td>
            <td>
              <span class={`rems-deadline rems-deadline--${tone}`} data-status={item.status}>
                {tone === 'overdue' ? 'Overdue: ' : ''}
                {deadlineLabel(item.status, item.days_left, item.submitted_on)}
              </span>
            </td>
            <td>{item.enrolled ? 'Enrolled' : <span class="badge badge--warning">Not enrolled</span>}</td>
          </tr>
        );
      })}
    </tbody>
  );
}

function Table({ caption, items }: { caption: string; items: RemsTrackerItem[] }) {
  return (
    <div class="table-wrap">
      <table class="table table--dense" aria-label={caption}>
        <caption class="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Session</th>
            <th scope="col">Patient</th>
            <th scope="col">MRN</th>
            <th scope="col">Session date</th>
            <th scope="col">Due by</th>
            <th scope="col">Status</th>
            <th scope="col">REMS enrolment</th>
          </tr>
        </thead>
        <Rows items={items} />
      </table>
    </div>
  );
}

export function RemsTrackerPage() {
  useTitle('REMS tracker');
  const [items, setItems] = useState<RemsTrackerItem[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let current = true;
    remsTracker('all')
      .then((r) => current && setItems(r.items))
      .catch((e: unknown) => current && setError(e));
    return () => {
      current = false;
    };
  }, []);

  const lists = items ? splitTracker(items) : null;
  const overdue = lists ? lists.due.filter((i) => i.status === 'overdue').length : 0;
  return (
    <section aria-labelledby="rems-tracker-title">
      <h1 id="rems-tracker-title" tabIndex={-1}>
        REMS tracker
      </h1>
      <p>
        Spravato Patient Monitoring Forms: each is due within the protocol's deadline (7 calendar days) after the session. Days
        are counted in UTC, as the server dates them.
      </p>
      {error ? (
        <ApiErrorView error={error} what="REMS tracker" />
      ) : !lists ? (
        <Loading what="the REMS tracker" />
      ) : (
        <>
          <h2 id="rems-due-title">Due</h2>
          {lists.due.length ? (
            <>
              <p role="status">
                {lists.due.length} form{lists.due.length === 1 ? '' : 's'} to submit
                {overdue ? `, ${overdue} overdue` : ''}.
              </p>
              <Table caption="Forms due, most urgent first" items={lists.due} />
            </>
          ) : (
            <p role="status">No forms due.</p>
          )}
          <h2 id="rems-submitted-title">Submitted</h2>
          {lists.submitted.length ? <Table caption="Submitted forms, latest first" items={lists.submitted} /> : <p>No forms submitted yet.</p>}
        </>
      )}
    </section>
  );
}
