// Patient list: debounced search (name prefix, MRN or birth date) and a paginated table.
// The search term stays in memory; it is sent only as the API's ?q= parameter.
import { useEffect, useState } from 'preact/hooks';
import { searchPatients } from '../api/patients';
import type { Page, Patient } from '../api/types';
import { useSession } from '../auth/SessionContext';
import { hasPermission } from '../auth/permissions';
import { TextField } from '../components/Field';
import { Pager } from '../components/Pager';
import { ApiErrorView, Loading } from '../components/Status';
import { patientName } from '../lib/format';
import { useCursorPages } from '../lib/useCursorPages';
import { useDebounced } from '../lib/useDebounced';
import { useTitle } from '../lib/useTitle';
import { href } from '../router';
import { recallSearch, rememberSearch } from './searchMemory';

const PAGE_SIZE = 25;

export function PatientsPage() {
  useTitle('Patients');
  const { session } = useSession();
  const [query, setQuery] = useState(recallSearch);
  const settledQuery = useDebounced(query.trim(), 300);
  const pages = useCursorPages();
  const [result, setResult] = useState<Page<Patient> | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    rememberSearch(query);
  }, [query]);

  useEffect(() => {
    pages.reset();
  }, [settledQuery]);

  useEffect(() => {
    let current = true;
    setError(null);
    searchPatients(settledQuery, pages.cursor, PAGE_SIZE)
      .then((page) => current && setResult(page))
      .catch((e: unknown) => current && setError(e));
    return () => {
      current = false;
    };
  }, [settledQuery, pages.cursor]);

  const searching = query.trim() !== settledQuery;

  return (
    <section aria-labelledby="patients-title">
      <div class="page-header">
        <h1 id="patients-title" tabIndex={-1}>
          Patients
        </h1>
        {hasPermission(session.permissions, 'patient.write') ? (
          <a class="button" href={href({ name: 'patient-new' })}>
            New patient
          </a>
        ) : null}
      </div>
      <form class="search" role="search" onSubmit={(e) => e.preventDefault()}>
        <TextField
          id="patient-search"
          label="Search patients"
          type="search"
          value={query}
          onValue={setQuery}
          hint="Family or given name (start of name), MRN, or birth date as YYYY-MM-DD."
          maxLength={200}
        />
      </form>
      {error ? (
        <ApiErrorView error={error} what="Patients" />
      ) : !result ? (
        <Loading what="patients" />
      ) : (
        <>
          <p class="result-count" role="status" aria-live="polite">
            {searching
              ? 'Searching…'
              : result.items.length === 0
                ? settledQuery
                  ? 'No patients match this search.'
                  : 'No patients yet.'
                : `Showing ${result.items.length} patient${result.items.length === 1 ? '' : 's'}${settledQuery ? ' matching the search' : ''}.`}
          </p>
          {result.items.length ? (
            <div class="table-wrap">
              <table class="table">
                <caption class="visually-hidden">Patients</caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Birth date</th>
                    <th scope="col">MRN</th>
                  </tr>
                </thead>
                <tbody>
                  {result.items.map((p) => (
                    <tr key={String(p.id)}>
                      <td>
                        <a href={href({ name: 'patient', id: String(p.id) })}>{patientName(p)}</a>
                      </td>
                      <td>{p.birth_date}</td>
                      <td>{p.mrn}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
          <Pager pages={pages} nextCursor={result.next_cursor} label="Patient list" />
        </>
      )}
    </section>
  );
}
