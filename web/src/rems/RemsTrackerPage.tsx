// The REMS tracker (#/rems, session.read): every dosed esketamine session's Patient Monitoring
// Form from GET /api/v1/rems/tracker, a page at a time. Forms still due (status=open, oldest
// session first) come first with days left, the overdue ones highlighted; then the submitted
// ones (status=submitted, latest first) with their date. Each list has its own pager. Each
// row links to its session (the REMS form tab) and shows the patient's enrolment.
import { useEffect, useState } from 'preact/hooks';
import { remsTracker, type RemsTrackerItem } from '../api/rems';
import type { Page } from '../api/types';
import { Pager } from '../components/Pager';
import { ApiErrorView, Loading } from '../components/Status';
import { patientName } from '../lib/format';
import { useCursorPages, type CursorPages } from '../lib/useCursorPages';
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

const PAGE_SIZE = 50;

/** One list of the tracker, page by page. */
function useTrackerPages(status: 'open' | 'submitted'): { pages: CursorPages; page: Page<RemsTrackerItem> | null; error: unknown } {
  const pages = useCursorPages();
  const [page, setPage] = useState<Page<RemsTrackerItem> | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let current = true;
    setError(null);
    remsTracker(status, pages.cursor, PAGE_SIZE)
      .then((r) => current && setPage(r))
      .catch((e: unknown) => current && setError(e));
    return () => {
      current = false;
    };
  }, [status, pages.cursor]);
  return { pages, page, error };
}

export function RemsTrackerPage() {
  useTitle('REMS tracker');
  const open = useTrackerPages('open');
  const done = useTrackerPages('submitted');
  // Within a page, most urgent first (the server pages oldest session first).
  const due = open.page ? splitTracker(open.page.items).due : null;
  const submitted = done.page ? splitTracker(done.page.items).submitted : null;
  const overdue = due ? due.filter((i) => i.status === 'overdue').length : 0;
  const more = open.pages.pageNumber > 1 || Boolean(open.page?.next_cursor);
  const moreDone = done.pages.pageNumber > 1 || Boolean(done.page?.next_cursor);
  return (
    <section aria-labelledby="rems-tracker-title">
      <h1 id="rems-tracker-title" tabIndex={-1}>
        REMS tracker
      </h1>
      <p>
        Spravato Patient Monitoring Forms: each is due within the protocol's deadline (7 calendar days) after the session. Days
        are counted in UTC, as the server dates them.
      </p>
      <h2 id="rems-due-title">Due</h2>
      {open.error ? (
        <ApiErrorView error={open.error} what="REMS tracker" />
      ) : !due || !open.page ? (
        <Loading what="the forms due" />
      ) : due.length ? (
        <>
          <p role="status">
            {due.length} form{due.length === 1 ? '' : 's'} to submit{more ? ' on this page' : ''}
            {overdue ? `, ${overdue} overdue` : ''}.
          </p>
          <Table caption="Forms due, most urgent first" items={due} />
          <Pager pages={open.pages} nextCursor={open.page.next_cursor} label="Forms due" />
        </>
      ) : (
        <>
          <p role="status">{more ? 'No forms due on this page.' : 'No forms due.'}</p>
          <Pager pages={open.pages} nextCursor={open.page.next_cursor} label="Forms due" />
        </>
      )}
      <h2 id="rems-submitted-title">Submitted</h2>
      {done.error ? (
        <ApiErrorView error={done.error} what="submitted REMS forms" />
      ) : !submitted || !done.page ? (
        <Loading what="the submitted forms" />
      ) : (
        <>
          {submitted.length ? <Table caption="Submitted forms, latest first" items={submitted} /> : <p>{moreDone ? 'No submitted forms on this page.' : 'No forms submitted yet.'}</p>}
          <Pager pages={done.pages} nextCursor={done.page.next_cursor} label="Submitted forms" />
        </>
      )}
    </section>
  );
}
