// The clinic's overdue measures: every active schedule whose current occurrence was due before
// today and has no measure since, most overdue first, with the patient (linked to the chart
// for those who may open it), instrument, due date, days overdue and the rule that made it due.
import { useEffect, useState } from 'preact/hooks';
import { listOverdue, type OverdueItem } from '../api/measureSchedules';
import { useSession } from '../auth/SessionContext';
import { hasPermission } from '../auth/permissions';
import { ApiErrorView, Loading } from '../components/Status';
import { patientName } from '../lib/format';
import { useTitle } from '../lib/useTitle';
import { href } from '../router';

export function OverduePage() {
  useTitle('Overdue measures');
  const { session } = useSession();
  const canOpenCharts = hasPermission(session.permissions, 'patient.read');
  const [items, setItems] = useState<OverdueItem[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  const load = (from: string | null) => {
    listOverdue(from, 100)
      .then((page) => {
        setItems((old) => (from && old ? [...old, ...page.items] : page.items));
        setCursor(page.next_cursor);
      })
      .catch(setError);
  };
  useEffect(() => load(null), []);

  return (
    <section aria-labelledby="overdue-title">
      <h1 id="overdue-title" tabIndex={-1}>
        Overdue measures
      </h1>
      {error ? (
        <ApiErrorView error={error} what="Overdue measures" />
      ) : !items ? (
        <Loading what="overdue measures" />
      ) : items.length === 0 ? (
        <p role="status">No overdue measures.</p>
      ) : (
        <div class="table-wrap">
          <table class="table table--dense">
            <caption class="visually-hidden">Overdue measures, most overdue first</caption>
            <thead>
              <tr>
                <th scope="col">Patient</th>
                <th scope="col">MRN</th>
                <th scope="col">Instrument</th>
                <th scope="col">Due</th>
                <th scope="col">Days overdue</th>
                <th scope="col">Rule</th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <tr key={`${item.schedule_id}-${item.due_on}`}>
                  <td>
                    {canOpenCharts ? (
                      <a href={href({ name: 'patient', id: String(item.patient.id) })}>{patientName(item.patient)}</a>
                    ) : (
                      patientName(item.patient)
                    )}
                  </td>
                  <td>{item.patient.mrn}</td>
                  <td>{item.instrument}</td>
                  <td>{item.due_on}</td>
                  <td>{item.days_overdue}</td>
                  <td>{item.rule}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {cursor ? (
        <button type="button" class="button button--secondary" onClick={() => load(cursor)}>
          More
        </button>
      ) : null}
    </section>
  );
}
