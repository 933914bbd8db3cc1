// The patient's self-report page, opened from a single-use link (#/self-report/<token>) on a
// phone without an account: the instrument's stem and items as large radio groups, skip logic
// applied, one submission. Shows no patient data. After sending: thanks, and where to turn in
// an emergency. An expired, used or unknown link gets a plain explanation.
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import { openSelfReport, submitSelfReport, type SelfReportForm } from '../api/measures';
import { ErrorAlert, Loading } from '../components/Status';
import { answersFor, formItems, isAsked, type Instrument } from './measureForm';

/** The token of a self-report link hash, or null for any other page. */
export function selfReportToken(hash: string): string | null {
  const match = /^#\/self-report\/([A-Za-z0-9_-]{20,100})\/?$/.exec(hash);
  return match ? (match[1] ?? null) : null;
}

function linkProblem(error: unknown): string {
  if (error instanceof ApiError && (error.code === 'conflict' || error.code === 'not_found')) {
    return `${error.message.charAt(0).toUpperCase()}${error.message.slice(1)}. Please ask your clinic for a new link.`;
  }
  return error instanceof Error ? error.message : String(error);
}

export function SelfReportPage({ token }: { token: string }) {
  const [form, setForm] = useState<SelfReportForm | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [values, setValues] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [sent, setSent] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    document.title = 'Questionnaire';
    openSelfReport(token).then(setForm, (e: unknown) => setProblem(linkProblem(e)));
  }, [token]);

  if (problem) {
    return (
      <main id="main" class="self-report">
        <h1>Questionnaire</h1>
        <ErrorAlert message={problem} />
      </main>
    );
  }
  if (!form) {
    return (
      <main id="main" class="self-report">
        <Loading what="questionnaire" />
      </main>
    );
  }
  if (sent) {
    return (
      <main id="main" class="self-report">
        <h1>Thank you</h1>
        <p role="status">Your answers were sent to your care team.</p>
        <p>If you are in danger or thinking about harming yourself now, call your local emergency number.</p>
      </main>
    );
  }

  const instrument: Instrument = { instrument: form.instrument, title: form.title, kind: 'self_report', questionnaire: form.questionnaire };
  const items = formItems(instrument);
  const stems = form.questionnaire.item.filter((i) => i.type === 'display' && i.text);

  const submit = async (event: Event) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    items.forEach((item, index) => {
      if (item.required && isAsked(item, values) && !values[item.linkId]) found[`answers[${index}]`] = 'Please choose an answer.';
    });
    setErrors(found);
    const first = Object.keys(found)[0];
    if (first) {
      document.getElementById(`sr-${first.replace(/\D/g, '')}-0`)?.focus();
      return;
    }
    setBusy(true);
    try {
      await submitSelfReport(token, answersFor(items, values));
      setSent(true);
    } catch (e) {
      if (e instanceof ApiError && e.field?.startsWith('answers')) setErrors({ [e.field]: e.message });
      else setProblem(linkProblem(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" class="self-report">
      <h1>{form.title}</h1>
      {stems.map((s) => (
        <p key={s.linkId}>{s.text}</p>
      ))}
      <form onSubmit={submit} noValidate>
        {items.map((item, index) =>
          isAsked(item, values) ? (
            <fieldset key={item.linkId} class={`self-report__item${errors[`answers[${index}]`] ? ' field--invalid' : ''}`}>
              <legend>{item.label}</legend>
              {(item.options ?? []).map((option, o) => (
                <label key={option.value} class="self-report__option">
                  <input
                    type="radio"
                    id={`sr-${index}-${o}`}
                    name={`item-${item.linkId}`}
                    value={option.value}
                    checked={values[item.linkId] === option.value}
                    onChange={() => setValues((old) => ({ ...old, [item.linkId]: option.value }))}
                  />
                  {option.label.replace(/^\d+: /, '')}
                </label>
              ))}
              {errors[`answers[${index}]`] ? <p class="field-error">{errors[`answers[${index}]`]}</p> : null}
            </fieldset>
          ) : null,
        )}
        <button type="submit" class="button" disabled={busy}>
          Send answers
        </button>
      </form>
    </main>
  );
}
