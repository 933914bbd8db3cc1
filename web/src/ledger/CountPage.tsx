// The count wizard: 1) choose the kind of count (initial, biennial, routine), 2) enter what
// is found for each lot at each location (an estimate only where the product allows it),
// 3) review the differences and record. Every mismatch opens a discrepancy case.
import { useEffect, useState } from 'preact/hooks';
import { getCountSheet, isExactQuantity, recordCount, type CountSheet } from '../api/ledger';
import { ErrorSummary } from '../components/ErrorSummary';
import { SelectField, TextField, fieldId } from '../components/Field';
import { ApiErrorView, ErrorAlert, Loading, Notice } from '../components/Status';
import { dateTime } from '../lib/format';
import { useTitle } from '../lib/useTitle';
import { href } from '../router';

const KINDS = [
  { value: 'routine', label: 'Routine count' },
  { value: 'biennial', label: 'Biennial inventory' },
  { value: 'initial', label: 'Initial inventory' },
];

interface LineInput {
  counted: string;
  estimated: boolean;
}

export function CountPage() {
  useTitle('Count stock');
  const [sheet, setSheet] = useState<CountSheet | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [step, setStep] = useState<1 | 2 | 3 | 4>(1);
  const [kind, setKind] = useState('routine');
  const [lines, setLines] = useState<LineInput[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [attempt, setAttempt] = useState(0);
  const [failure, setFailure] = useState<string | null>(null);
  const [result, setResult] = useState<string | null>(null);

  useEffect(() => {
    getCountSheet()
      .then((s) => {
        setSheet(s);
        setLines(s.lines.map(() => ({ counted: '', estimated: false })));
      })
      .catch((e: unknown) => setError(e));
  }, []);

  if (error) return <ApiErrorView error={error} what="Count sheet" />;
  if (!sheet) return <Loading what="count sheet" />;

  const setLine = (i: number, patch: Partial<LineInput>) =>
    setLines((all) => all.map((l, j) => (j === i ? { ...l, ...patch } : l)));

  const toReview = (event: Event) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    lines.forEach((l, i) => {
      if (!isExactQuantity(l.counted)) found[`count-${i}`] = 'Enter the amount found in mg (0 if none)';
    });
    setErrors(found);
    setAttempt((a) => a + 1);
    if (!Object.keys(found).length) setStep(3);
  };

  const submit = async () => {
    setFailure(null);
    try {
      const recorded = await recordCount({
        count_kind: kind,
        lines: sheet.lines.map((b, i) => ({
          lot_id: b.lot_id,
          location_id: b.location_id,
          counted_mg: lines[i]!.counted.trim(),
          estimated: lines[i]!.estimated,
        })),
      });
      setResult(
        `${recorded.entries.length} line(s) recorded; ${recorded.discrepancies.length} discrepancy case(s) opened.`,
      );
      setStep(4);
    } catch (e) {
      setFailure(e instanceof Error ? e.message : String(e));
    }
  };

  return (
    <section aria-labelledby="count-title">
      <h1 id="count-title" tabIndex={-1}>
        Count stock
      </h1>
      <p>
        Last full inventory: {sheet.last_inventory_at ? dateTime(sheet.last_inventory_at) : 'none recorded'}.
        {sheet.biennial_inventory_due ? ` Next biennial inventory due ${sheet.biennial_inventory_due}.` : ''}
        {sheet.biennial_inventory_overdue ? <strong> The biennial inventory is overdue.</strong> : null}
      </p>
      <p class="hint">Step {Math.min(step, 3)} of 3</p>
      {step === 1 ? (
        <form
          class="card"
          onSubmit={(e) => {
            e.preventDefault();
            setStep(2);
          }}
        >
          <SelectField id={fieldId('count-kind')} label="Kind of count" value={kind} onValue={setKind} options={KINDS} />
          <div class="form-actions">
            <button type="submit" class="button" disabled={sheet.lines.length === 0}>
              Next: enter counts
            </button>
          </div>
          {sheet.lines.length === 0 ? <p>There is no stock to count.</p> : null}
        </form>
      ) : null}
      {step === 2 ? (
        <form class="card" onSubmit={toReview} noValidate>
          <ErrorSummary errors={errors} attempt={attempt} />
          {sheet.lines.map((b, i) => (
            <fieldset key={`${b.lot_id}-${b.location_id}`} class="count-line">
              <legend>
                {b.drug_name} lot {b.lot_number} at {b.location}
              </legend>
              <TextField
                id={fieldId(`count-${i}`)}
                label="Found (mg)"
                inputMode="decimal"
                value={lines[i]!.counted}
                onValue={(v) => setLine(i, { counted: v })}
                error={errors[`count-${i}`]}
              />
              {b.estimate_allowed ? (
                <label class="checkbox">
                  <input
                    type="checkbox"
                    checked={lines[i]!.estimated}
                    onChange={(e) => setLine(i, { estimated: (e.currentTarget as HTMLInputElement).checked })}
                  />{' '}
                  Estimated (opened container)
                </label>
              ) : null}
            </fieldset>
          ))}
          <div class="form-actions">
            <button type="submit" class="button">
              Next: review
            </button>
            <button type="button" class="button button--secondary" onClick={() => setStep(1)}>
              Back
            </button>
          </div>
        </form>
      ) : null}
      {step === 3 ? (
        <div class="card">
          {failure ? <ErrorAlert message={failure} /> : null}
          <table class="table">
            <caption>Review: expected against found</caption>
            <thead>
              <tr>
                <th scope="col">Lot</th>
                <th scope="col">Location</th>
                <th scope="col">Expected (mg)</th>
                <th scope="col">Found (mg)</th>
                <th scope="col">Result</th>
              </tr>
            </thead>
            <tbody>
              {sheet.lines.map((b, i) => {
                const same = Number(lines[i]!.counted) * 1000 === Number(b.expected_mg) * 1000;
                return (
                  <tr key={`${b.lot_id}-${b.location_id}`}>
                    <td>{b.lot_number}</td>
                    <td>{b.location}</td>
                    <td class="numeric">{b.expected_mg}</td>
                    <td class="numeric">{lines[i]!.counted}</td>
                    <td>{same ? 'matches' : <strong>differs: a discrepancy case will open</strong>}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <div class="form-actions">
            <button type="button" class="button" onClick={submit}>
              Record count
            </button>
            <button type="button" class="button button--secondary" onClick={() => setStep(2)}>
              Back
            </button>
          </div>
        </div>
      ) : null}
      {step === 4 && result ? (
        <>
          <Notice message={result} />
          <p>
            <a href={href({ name: 'ledger-discrepancies' })}>Open discrepancy cases</a>
          </p>
        </>
      ) : null}
    </section>
  );
}
