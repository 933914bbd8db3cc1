// Audit log viewer: filter by patient id, username and date range; paginated, newest first.
import { useEffect, useState } from 'preact/hooks';
import { listAuditEvents } from '../api/audit';
import type { AuditEvent, Page } from '../api/types';
import { useSession } from '../auth/SessionContext';
import { hasPermission } from '../auth/permissions';
import { TextField } from '../components/Field';
import { Pager } from '../components/Pager';
import { ApiErrorView, Loading } from '../components/Status';
import { dateTime } from '../lib/format';
import { useCursorPages } from '../lib/useCursorPages';
import { useTitle } from '../lib/useTitle';
import { href } from '../router';
import { auditTableCaption, EMPTY_AUDIT_FILTER, toAuditQuery, validateAuditFilter, type AuditFilterValues } from './auditFilter';

export function AuditPage() {
  useTitle('Audit log');
  const { session } = useSession();
  const canOpenCharts = hasPermission(session.permissions, 'patient.read');
  const [form, setForm] = useState<AuditFilterValues>(EMPTY_AUDIT_FILTER);
  const [applied, setApplied] = useState<AuditFilterValues>(EMPTY_AUDIT_FILTER);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const pages = useCursorPages();
  // The page shown with the filter it was fetched for (the form may hold another by then).
  const [result, setResult] = useState<{ page: Page<AuditEvent>; filter: AuditFilterValues } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const set = (key: keyof AuditFilterValues) => (value: string) => setForm((f) => ({ ...f, [key]: value }));

  useEffect(() => {
    let current = true;
    setError(null);
    setResult(null);
    listAuditEvents(toAuditQuery(applied), pages.cursor)
      .then((page) => current && setResult({ page, filter: applied }))
      .catch((e: unknown) => current && setError(e));
    return () => {
      current = false;
    };
  }, [applied, pages.cursor]);

  const apply = (event: Event) => {
    event.preventDefault();
    const found = validateAuditFilter(form);
    setErrors(found);
    if (Object.keys(found).length) return;
    pages.reset();
    setApplied({ ...form });
  };

  const clear = () => {
    setForm(EMPTY_AUDIT_FILTER);
    setErrors({});
    pages.reset();
    setApplied(EMPTY_AUDIT_FILTER);
  };

  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title" tabIndex={-1}>
        Audit log
      </h1>
      <form class="card filters" onSubmit={apply} noValidate aria-label="Audit filters">
        <div class="grid grid--compact">
          <TextField id="audit-patient" label="Patient id" inputMode="numeric" value={form.patient} onValue={set('patient')} error={errors['patient']} />
          <TextField id="audit-user" label="Username" value={form.user} onValue={set('user')} />
          <TextField id="audit-from" label="From" type="date" value={form.from} onValue={set('from')} error={errors['from']} />
          <TextField id="audit-to" label="To" type="date" value={form.to} onValue={set('to')} error={errors['to']} hint="Includes the whole day." />
        </div>
        <div class="form-actions">
          <button type="submit" class="button">
            Apply filters
          </button>
          <button type="button" class="button button--secondary" onClick={clear}>
            Clear
          </button>
        </div>
      </form>
      {error ? (
        <ApiErrorView error={error} what="Audit log" />
      ) : !result ? (
        <Loading what="audit events" />
      ) : result.page.items.length === 0 ? (
        <p role="status">No audit events match these filters.</p>
      ) : (
        <>
          <div class="table-wrap">
            <table class="table table--dense">
              <caption class="visually-hidden">{auditTableCaption(result.filter)}</caption>
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">User</th>
                  <th scope="col">Action</th>
                  <th scope="col">Resource</th>
                  <th scope="col">Patient</th>
                  <th scope="col">Outcome</th>
                  <th scope="col">Client</th>
                </tr>
              </thead>
              <tbody>
                {result.page.items.map((e) => (
                  <tr key={String(e.id)}>
                    <td>{dateTime(e.occurred_at)}</td>
                    <td>{e.username ?? ''}</td>
                    <td>{e.action}</td>
                    <td>
                      {e.resource_type ?? ''}
                      {e.resource_id !== null && e.resource_id !== undefined && e.resource_id !== '' ? ` ${String(e.resource_id)}` : ''}
                    </td>
                    <td>
                      {e.patient_id === null || e.patient_id === undefined ? (
                        ''
                      ) : canOpenCharts ? (
                        <a href={href({ name: 'patient', id: String(e.patient_id) })}>{String(e.patient_id)}</a>
                      ) : (
                        String(e.patient_id)
                      )}
                    </td>
                    <td>
                      <span class={`badge${e.outcome === 'success' || e.outcome === 'ok' ? '' : ' badge--warning'}`}>{e.outcome}</span>
                    </td>
                    <td>{e.client_address ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager pages={pages} nextCursor={result.page.next_cursor} label="Audit log" />
        </>
      )}
    </section>
  );
}
