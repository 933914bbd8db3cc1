// The session page's forms: the readiness checklist, the prescriber's dose order, the
// timeline's action buttons (with the rule that blocks each), and the bedside records
// (vitals by hand, rescue medication, MOAA/S, modified Aldrete, CADSS, adverse event, and the
// pump rate change on IV sessions, RateChangeForm.tsx). Pause, resume, stop and the bedside
// records take an optional "time, if not now" (occurredAt.ts) for events charted afterwards.
// Each sends one request; the answer is the whole session view, handed to `onSaved`.
import { useEffect, useState } from 'preact/hooks';
import type { Instrument } from '../measures/measureForm';
import { formItems } from '../measures/measureForm';
import { listProtocols } from '../api/course';
import { listInstruments } from '../api/measures';
import {
  orderDose,
  recordEvent,
  recordReadiness,
  type DosingSession,
  type ReadinessResult,
} from '../api/sessions';
import { fieldId, SelectField, TextAreaField, TextField } from '../components/Field';
import { ErrorAlert } from '../components/Status';
import { StartDosingForm } from './StartDosingForm';
import {
  actionStates,
  adverseBody,
  aldretePreview,
  doseOrderBody,
  FIRST_DOSE_RULES,
  isInjectedRoute,
  readinessBody,
  rescueBody,
  RESCUE_ROUTES,
  RESCUE_UNITS,
  scoreBody,
  SEVERITIES,
  VIAL_STRENGTHS,
  VITAL_FIELDS,
  vitalsEventBody,
  type ActionState,
  type AdverseForm,
  type DoseOrderForm,
  type FormErrors,
  type PregnancyTest,
  type ReadinessForm as ReadinessValues,
  type RescueForm as RescueValues,
  type VitalsForm,
} from './sessionLogic';
import { withOccurredAt } from './occurredAt';
import { OccurredAtField } from './OccurredAtField';
import { RateChangeForm } from './RateChangeForm';
import { useServerForm } from './useServerForm';

type Saved = (session: DosingSession) => void;

function Checkbox({ id, label, checked, onValue, error }: { id: string; label: string; checked: boolean; onValue: (v: boolean) => void; error?: string | undefined }) {
  return (
    <div class={`field${error ? ' field--invalid' : ''}`}>
      <label class="checkbox" for={id}>
        <input
          id={id}
          type="checkbox"
          checked={checked}
          onChange={(e) => onValue((e.currentTarget as HTMLInputElement).checked)}
          aria-describedby={error ? `${id}-error` : undefined}
        />
        {label}
      </label>
      {error ? (
        <p id={`${id}-error`} class="field-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}

function VitalsFields({ prefix, errorPrefix, values, onValues, errors }: {
  prefix: string;
  errorPrefix: string;
  values: VitalsForm;
  onValues: (v: VitalsForm) => void;
  errors: FormErrors;
}) {
  return (
    <div class="grid grid--compact">
      {VITAL_FIELDS.map(({ key, label }) => (
        <TextField
          key={key}
          id={fieldId(`${prefix}-${key}`)}
          label={label}
          inputMode="numeric"
          value={values[key] ?? ''}
          onValue={(v) => onValues({ ...values, [key]: v })}
          error={errors[errorPrefix + key]}
        />
      ))}
    </div>
  );
}

const PREGNANCY_OPTIONS: { value: PregnancyTest; label: string }[] = [
  { value: 'negative', label: 'Negative' },
  { value: 'positive', label: 'Positive' },
  { value: 'not_applicable', label: 'Not applicable' },
];

function formFromAnswers(result: ReadinessResult | null): ReadinessValues {
  const a = result?.answers;
  const vitals: VitalsForm = {};
  for (const [key, value] of Object.entries(a?.vitals ?? {})) vitals[key as keyof VitalsForm] = String(value);
  return {
    fasting_confirmed: a?.fasting_confirmed ?? false,
    escort_name: a?.escort_name ?? '',
    held_medications_confirmed: a?.held_medications_confirmed ?? false,
    pregnancy_test: a?.pregnancy_test ?? '',
    vitals,
  };
}

const READINESS_FIELDS = ['fasting_confirmed', 'escort_name', 'held_medications_confirmed', 'pregnancy_test', ...VITAL_FIELDS.map((f) => `vitals.${f.key}`)];

export function ReadinessForm({ session, onSaved }: { session: DosingSession; onSaved: Saved }) {
  const [values, setValues] = useState<ReadinessValues>(() => formFromAnswers(session.readiness));
  const form = useServerForm(READINESS_FIELDS);
  const submit = (e: Event) => {
    e.preventDefault();
    void form.submit(readinessBody(values), (body) => recordReadiness(String(session.id), body), onSaved);
  };
  return (
    <form onSubmit={submit} noValidate aria-label="Readiness checklist">
      {form.message ? <ErrorAlert message={form.message} /> : null}
      <Checkbox id="rd-fasting" label="Fasting confirmed" checked={values.fasting_confirmed} onValue={(v) => setValues({ ...values, fasting_confirmed: v })} error={form.errors.fasting_confirmed} />
      <TextField
        id="rd-escort"
        label="Escort or ride home"
        hint="Name and relationship of the responsible adult."
        value={values.escort_name}
        onValue={(v) => setValues({ ...values, escort_name: v })}
        error={form.errors.escort_name}
        maxLength={200}
      />
      <Checkbox
        id="rd-held"
        label="Held medications confirmed"
        checked={values.held_medications_confirmed}
        onValue={(v) => setValues({ ...values, held_medications_confirmed: v })}
        error={form.errors.held_medications_confirmed}
      />
      <fieldset class="roles">
        <legend>Pregnancy test</legend>
        <div class="roles__options">
          {PREGNANCY_OPTIONS.map((o) => (
            <label key={o.value} class="checkbox" for={`rd-preg-${o.value}`}>
              <input
                type="radio"
                id={`rd-preg-${o.value}`}
                name="rd-pregnancy"
                checked={values.pregnancy_test === o.value}
                onChange={() => setValues({ ...values, pregnancy_test: o.value })}
              />
              {o.label}
            </label>
          ))}
        </div>
        {form.errors.pregnancy_test ? <p class="field-error">{form.errors.pregnancy_test}</p> : null}
      </fieldset>
      <fieldset class="roles">
        <legend>Baseline vitals</legend>
        <VitalsFields prefix="rd-vitals" errorPrefix="vitals." values={values.vitals} onValues={(v) => setValues({ ...values, vitals: v })} errors={form.errors} />
      </fieldset>
      <div class="form-actions">
        <button type="submit" class="button" disabled={form.busy}>
          Check readiness
        </button>
      </div>
    </form>
  );
}

export function ReadinessResultView({ result }: { result: ReadinessResult }) {
  return (
    <div>
      <p class={`alert ${result.passed ? 'alert--info' : 'alert--error'}`} role="status">
        {result.passed ? 'Readiness checklist passed' : 'Readiness checklist not passed'} · recorded by {result.recorded_by}
      </p>
      <ul class="readiness-items" aria-label="Checklist items">
        {result.items.map((item) => (
          <li key={item.id} class={item.ok ? 'readiness-item readiness-item--ok' : 'readiness-item readiness-item--failed'} data-item={item.id}>
            <span class="readiness-item__mark">{item.ok ? 'Passed' : 'Failed'}</span>
            <span class="readiness-item__label">{item.label}</span>
            {item.message ? <span class="readiness-item__message">{item.message}</span> : null}
            {item.unconfirmed ? <span class="badge badge--warning">limit not confirmed — clinic setting</span> : null}
          </li>
        ))}
      </ul>
    </div>
  );
}

const EMPTY_ORDER: DoseOrderForm = { dose_mg_per_kg: '', vial_strength_mg_per_ml: '', diluent_ml: '', duration_min: '', dose_mg: '' };
const ORDER_FIELDS = ['dose_mg_per_kg', 'vial_strength_mg_per_ml', 'diluent_ml', 'duration_min', 'dose_mg', 'weight', 'indication', 'first_dose_override', 'first_dose_override.rule_id', 'first_dose_override.reason', 'birth_date'];

/** The protocol's route: the session view names the protocol but not its route. */
function useProtocolRoute(protocolId: string): { route: string | null; error: string | null } {
  const [route, setRoute] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    listProtocols()
      .then((list) => {
        if (!current) return;
        const found = list.find((p) => p.id === protocolId);
        if (found) setRoute(found.route);
        else setError(`The protocol ${protocolId} is not in the clinic's protocol list.`);
      })
      .catch((e: unknown) => current && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      current = false;
    };
  }, [protocolId]);
  return { route, error };
}

export function DoseOrderFormView({ session, onSaved }: { session: DosingSession; onSaved: Saved }) {
  const [values, setValues] = useState<DoseOrderForm>(EMPTY_ORDER);
  const form = useServerForm(ORDER_FIELDS);
  const { route, error } = useProtocolRoute(session.protocol.id);
  const set = (key: keyof DoseOrderForm) => (v: string) => setValues({ ...values, [key]: v });
  if (error) return <ErrorAlert message={error} />;
  if (!route) return <p role="status">Loading the protocol…</p>;
  const injected = isInjectedRoute(route);
  const submit = (e: Event) => {
    e.preventDefault();
    void form.submit(doseOrderBody(values, route), (body) => orderDose(String(session.id), body), onSaved);
  };
  return (
    <form onSubmit={submit} noValidate aria-label="Dose order">
      {form.message ? <ErrorAlert message={form.message} /> : null}
      {form.errors.weight ? <ErrorAlert message={form.errors.weight} /> : null}
      {injected ? (
        <div class="grid grid--compact">
          <TextField id="do-per-kg" label="Dose (mg/kg)" required inputMode="decimal" value={values.dose_mg_per_kg} onValue={set('dose_mg_per_kg')} error={form.errors.dose_mg_per_kg} />
          <SelectField
            id="do-vial"
            label="Vial strength"
            required
            placeholder="Choose…"
            value={values.vial_strength_mg_per_ml}
            onValue={set('vial_strength_mg_per_ml')}
            options={VIAL_STRENGTHS.map((v) => ({ value: String(v), label: `${v} mg/mL` }))}
            error={form.errors.vial_strength_mg_per_ml}
          />
          <TextField id="do-diluent" label="Diluent (mL)" inputMode="decimal" value={values.diluent_ml} onValue={set('diluent_ml')} error={form.errors.diluent_ml} hint="100 mg/mL must be diluted; 10 mg/mL must not be." />
          {route === 'intravenous' ? (
            <TextField id="do-duration" label="Duration (min)" required inputMode="decimal" value={values.duration_min} onValue={set('duration_min')} error={form.errors.duration_min} hint="The pump rate depends on it." />
          ) : null}
        </div>
      ) : (
        <TextField
          id="do-mg"
          label="Dose (mg)"
          required
          inputMode="decimal"
          value={values.dose_mg}
          onValue={set('dose_mg')}
          error={form.errors.dose_mg}
          hint={route === 'intranasal' ? 'Esketamine: 28 mg per device.' : undefined}
        />
      )}
      {route === 'intranasal' ? (
        <fieldset class="first-dose">
          <legend>Day-1 dose rule (a course's first dose)</legend>
          <SelectField
            id="do-indication"
            label="Indication"
            value={values.indication ?? 'trd'}
            onValue={(v) => setValues({ ...values, indication: v as DoseOrderForm['indication'] })}
            options={[
              { value: 'trd', label: 'Treatment-resistant depression' },
              { value: 'mdd_suicidal_ideation', label: 'MDD with acute suicidal ideation' },
            ]}
            error={form.errors.indication}
          />
          <p class="hint">
            The first dose may not exceed the protocol's day-1 dose for the patient's age band (56 mg under 65; 28 mg at 65 and
            over — <strong>unconfirmed</strong> for the US label; 84 mg for acute suicidal ideation). To give more, override with a reason.
          </p>
          <div class="grid grid--compact">
            <SelectField
              id="do-override-rule"
              label="Override rule"
              placeholder="No override"
              value={values.override_rule ?? ''}
              onValue={set('override_rule')}
              options={FIRST_DOSE_RULES}
              error={form.errors['first_dose_override.rule_id'] ?? form.errors.first_dose_override}
            />
            <TextField id="do-override-reason" label="Override reason" value={values.override_reason ?? ''} onValue={set('override_reason')} error={form.errors['first_dose_override.reason']} maxLength={1000} class="field--wide" />
          </div>
        </fieldset>
      ) : null}
      <div class="form-actions">
        <button type="submit" class="button" disabled={form.busy}>
          Order dose
        </button>
      </div>
    </form>
  );
}

function num(v: number | undefined, digits = 2): string {
  return v === undefined ? '—' : String(Number(v.toFixed(digits)));
}

export function DoseOrderView({ order }: { order: NonNullable<DosingSession['dose_order']> }) {
  return (
    <dl class="details" aria-label="Ordered dose">
      <dt>Dose</dt>
      <dd>
        {num(order.dose_mg)} mg{order.dose_mg_per_kg !== undefined ? ` (${num(order.dose_mg_per_kg, 3)} mg/kg)` : ''}
      </dd>
      <dt>Weight</dt>
      <dd>
        {num(order.weight_kg, 1)} kg, measured {order.weight_measured_on}
      </dd>
      {order.vial_strength_mg_per_ml !== undefined ? (
        <>
          <dt>Vial</dt>
          <dd>{num(order.vial_strength_mg_per_ml)} mg/mL</dd>
          <dt>Volume to draw</dt>
          <dd>{num(order.volume_to_draw_ml)} mL</dd>
          <dt>Final volume</dt>
          <dd>{num(order.final_volume_ml)} mL</dd>
          <dt>Final concentration</dt>
          <dd>{num(order.final_concentration_mg_per_ml, 3)} mg/mL</dd>
        </>
      ) : null}
      {order.pump_rate_ml_per_h !== undefined ? (
        <>
          <dt>Pump rate</dt>
          <dd>
            {num(order.pump_rate_ml_per_h)} mL/h{order.duration_min !== undefined ? ` over ${num(order.duration_min)} min` : ''}
          </dd>
        </>
      ) : null}
      {order.devices !== undefined ? (
        <>
          <dt>Devices</dt>
          <dd>{order.devices} × 28 mg</dd>
        </>
      ) : null}
      {order.first_dose ? (
        <>
          <dt>Day-1 dose rule</dt>
          <dd data-testid="first-dose-rule">
            {order.first_dose.limit_mg !== null ? `at most ${num(order.first_dose.limit_mg)} mg` : 'limit not set'} for {order.first_dose.band} (age{' '}
            {order.first_dose.age_years}; {order.first_dose.rule_id})
            {order.first_dose.unconfirmed ? <strong class="flag flag--unconfirmed"> unconfirmed: check the US label</strong> : null}
            {order.first_dose.override ? ` — overridden by ${order.first_dose.override.by}: ${order.first_dose.override.reason}` : null}
          </dd>
        </>
      ) : null}
      {order.prediction ? (
        <>
          <dt>Predicted peak</dt>
          <dd>
            {num(order.prediction.peak_plasma_ng_per_ml, 0)} ng/mL at minute {num(order.prediction.peak_minute, 0)} (model {order.prediction.model})
          </dd>
        </>
      ) : null}
      <dt>Ordered by</dt>
      <dd>{order.recorded_by}</dd>
    </dl>
  );
}

function ActionRow({ action, session, onSaved }: { action: ActionState; session: DosingSession; onSaved: Saved }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [escort, setEscort] = useState('');
  const [instructions, setInstructions] = useState(false);
  const [time, setTime] = useState('');
  const form = useServerForm(['reason', 'escort_name', 'instructions_given', 'occurred_at']);
  const describedBy = `action-${action.kind}-rule`;

  const send = () => {
    const body: { kind: string } & Record<string, unknown> = { kind: action.kind };
    if (action.form === 'reason') body.reason = reason.trim();
    if (action.form === 'discharge') {
      if (escort.trim()) body.escort_name = escort.trim();
      body.instructions_given = instructions;
    }
    const errors: FormErrors = action.form === 'reason' && !reason.trim() ? { reason: 'a reason is required' } : {};
    const built = { body: Object.keys(errors).length ? null : body, errors };
    // The time field shows only in the open form; a one-click action is now.
    const timed = action.timed && open ? withOccurredAt(built, time, Date.now()) : built;
    void form.submit(timed, (b) => recordEvent(String(session.id), b), (s) => {
      setOpen(false);
      setReason('');
      setTime('');
      onSaved(s);
    });
  };

  const click = () => {
    if (action.form === 'none') send();
    else setOpen(true);
  };

  return (
    <li class="action">
      <button
        type="button"
        class={`button ${action.kind === 'cancel' ? 'button--danger' : ''}`}
        disabled={!action.enabled || form.busy}
        aria-describedby={action.blockedBy ? describedBy : undefined}
        aria-expanded={action.form === 'none' ? undefined : open}
        onClick={click}
      >
        {action.label}
      </button>
      {action.form === 'none' && action.timed && action.enabled && !open ? (
        <button type="button" class="button button--secondary" disabled={form.busy} aria-label={`${action.label} at an earlier time`} onClick={() => setOpen(true)}>
          Earlier…
        </button>
      ) : null}
      {action.blockedBy ? (
        <p id={describedBy} class="hint action__rule">
          {action.blockedBy}
        </p>
      ) : null}
      {form.message ? <ErrorAlert message={form.message} /> : null}
      {open && action.enabled && action.form === 'start' ? (
        <StartDosingForm session={session} onSaved={(s) => { setOpen(false); onSaved(s); }} onBack={() => setOpen(false)} />
      ) : open && action.enabled ? (
        <form
          class="action__form"
          aria-label={action.label}
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            send();
          }}
        >
          {action.form === 'reason' ? (
            <TextField id={`action-${action.kind}-reason`} label="Reason" required value={reason} onValue={setReason} error={form.errors.reason} maxLength={500} autoFocus />
          ) : action.form === 'none' ? null : (
            <>
              <TextField
                id="action-discharge-escort"
                label="Escort"
                hint={`Leave empty to use the escort from the checklist${session.readiness?.answers.escort_name ? `: ${session.readiness.answers.escort_name}` : ''}.`}
                value={escort}
                onValue={setEscort}
                error={form.errors.escort_name}
                maxLength={200}
              />
              <Checkbox id="action-discharge-instructions" label="After-care instructions given" checked={instructions} onValue={setInstructions} error={form.errors.instructions_given} />
            </>
          )}
          {action.timed ? (
            <OccurredAtField id={`action-${action.kind}-time`} label={`Time of ${action.label.toLowerCase()}`} value={time} onValue={setTime} error={form.errors.occurred_at} />
          ) : null}
          <div class="form-actions">
            <button type="submit" class="button" disabled={form.busy}>
              Confirm {action.label.toLowerCase()}
            </button>
            <button
              type="button"
              class="button button--secondary"
              onClick={() => {
                setOpen(false);
                setTime('');
                form.clear();
              }}
            >
              Back
            </button>
          </div>
        </form>
      ) : null}
    </li>
  );
}

export function ActionBar({ session, canRecord, onSaved }: { session: DosingSession; canRecord: boolean; onSaved: Saved }) {
  return (
    <ul class="action-bar" aria-label="Session actions">
      {/* A device dose starts with device 1 (EsketamineDevices), not with Start. */}
      {actionStates(session.allowed, canRecord).filter((a) => !(session.devices && a.kind === 'start')).map((action) => (
        <ActionRow key={action.kind} action={action} session={session} onSaved={onSaved} />
      ))}
    </ul>
  );
}

function VitalsEventForm({ session, onSaved }: { session: DosingSession; onSaved: Saved }) {
  const [values, setValues] = useState<VitalsForm>({});
  const [time, setTime] = useState('');
  const form = useServerForm([...VITAL_FIELDS.map((f) => f.key), 'occurred_at']);
  const submit = (e: Event) => {
    e.preventDefault();
    void form.submit(withOccurredAt(vitalsEventBody(values), time, Date.now()), (body) => recordEvent(String(session.id), body), (s) => {
      setValues({});
      setTime('');
      onSaved(s);
    });
  };
  return (
    <form onSubmit={submit} noValidate aria-label="Record vitals">
      {form.message ? <ErrorAlert message={form.message} /> : null}
      <VitalsFields prefix="ev-vitals" errorPrefix="" values={values} onValues={setValues} errors={form.errors} />
      <OccurredAtField id="ev-vitals-time" label="Time taken" value={time} onValue={setTime} error={form.errors.occurred_at} />
      <div class="form-actions">
        <button type="submit" class="button" disabled={form.busy}>
          Save vitals
        </button>
      </div>
    </form>
  );
}

const EMPTY_RESCUE: RescueValues = { medication: '', dose: '', unit: 'mg', route: 'intravenous', reason: '' };

function RescueEventForm({ session, onSaved }: { session: DosingSession; onSaved: Saved }) {
  const [values, setValues] = useState<RescueValues>(EMPTY_RESCUE);
  const [time, setTime] = useState('');
  const form = useServerForm(['medication', 'dose', 'unit', 'route', 'reason', 'occurred_at']);
  const set = (key: keyof RescueValues) => (v: string) => setValues({ ...values, [key]: v });
  const submit = (e: Event) => {
    e.preventDefault();
    void form.submit(withOccurredAt(rescueBody(values), time, Date.now()), (body) => recordEvent(String(session.id), body), (s) => {
      setValues(EMPTY_RESCUE);
      setTime('');
      onSaved(s);
    });
  };
  return (
    <form onSubmit={submit} noValidate aria-label="Record rescue medication">
      {form.message ? <ErrorAlert message={form.message} /> : null}
      <div class="grid grid--compact">
        <TextField id="rx-medication" label="Medication" required value={values.medication} onValue={set('medication')} error={form.errors.medication} maxLength={200} />
        <TextField id="rx-dose" label="Dose" required inputMode="decimal" value={values.dose} onValue={set('dose')} error={form.errors.dose} />
        <SelectField id="rx-unit" label="Unit" required value={values.unit} onValue={set('unit')} options={RESCUE_UNITS.map((u) => ({ value: u, label: u }))} error={form.errors.unit} />
        <SelectField id="rx-route" label="Route" required value={values.route} onValue={set('route')} options={RESCUE_ROUTES.map((r) => ({ value: r, label: r }))} error={form.errors.route} />
        <TextField id="rx-reason" label="Reason" required value={values.reason} onValue={set('reason')} error={form.errors.reason} maxLength={500} class="field--wide" />
      </div>
      <OccurredAtField id="rx-time" label="Time given" value={time} onValue={setTime} error={form.errors.occurred_at} />
      <div class="form-actions">
        <button type="submit" class="button" disabled={form.busy}>
          Save rescue medication
        </button>
      </div>
    </form>
  );
}

function ScoreForm({ session, onSaved, instrument, title, items, preview }: {
  session: DosingSession;
  onSaved: Saved;
  instrument: 'moaas' | 'aldrete' | 'cadss';
  title: string;
  items: { label: string; options: { value: string; label: string }[] | null; hint?: string }[];
  preview?: (answers: string[]) => string;
}) {
  const [answers, setAnswers] = useState<string[]>(() => items.map(() => ''));
  const [time, setTime] = useState('');
  const form = useServerForm(items.map((_, i) => `answers[${i}]`).concat(['instrument', 'occurred_at']));
  useEffect(() => setAnswers(items.map(() => '')), [items.length]);
  const setAnswer = (i: number, v: string) => setAnswers(answers.map((a, j) => (j === i ? v : a)));
  const submit = (e: Event) => {
    e.preventDefault();
    void form.submit(withOccurredAt(scoreBody(instrument, answers), time, Date.now()), (body) => recordEvent(String(session.id), body), (s) => {
      setAnswers(items.map(() => ''));
      setTime('');
      onSaved(s);
    });
  };
  return (
    <form onSubmit={submit} noValidate aria-label={`Record ${title}`}>
      {form.message ? <ErrorAlert message={form.message} /> : null}
      <div class="grid">
        {items.map((item, i) =>
          item.options ? (
            <SelectField
              key={i}
              id={`sc-${instrument}-${i}`}
              label={item.label}
              required
              placeholder="Choose…"
              hint={item.hint}
              value={answers[i] ?? ''}
              onValue={(v) => setAnswer(i, v)}
              options={item.options}
              error={form.errors[`answers[${i}]`]}
            />
          ) : (
            <TextField
              key={i}
              id={`sc-${instrument}-${i}`}
              label={item.label}
              required
              inputMode="numeric"
              hint={item.hint}
              value={answers[i] ?? ''}
              onValue={(v) => setAnswer(i, v)}
              error={form.errors[`answers[${i}]`]}
            />
          ),
        )}
      </div>
      <OccurredAtField id={`sc-${instrument}-time`} label="Time scored" value={time} onValue={setTime} error={form.errors.occurred_at} />
      {preview ? (
        <p class="score-preview" aria-live="polite">
          {preview(answers)}
        </p>
      ) : null}
      <div class="form-actions">
        <button type="submit" class="button" disabled={form.busy}>
          Save {title}
        </button>
      </div>
    </form>
  );
}

// Numbers only: the level definitions are not shipped (data/instruments/moaa-s.json, item_text
// pending); staff rate from the clinic's own MOAA/S card.
const MOAAS_OPTIONS = [5, 4, 3, 2, 1, 0].map((v) => ({ value: String(v), label: v === 0 ? '0 (loss of consciousness)' : String(v) }));

const EMPTY_ADVERSE: AdverseForm = { description: '', severity: '', action: '', outcome: '' };

function AdverseEventForm({ session, onSaved }: { session: DosingSession; onSaved: Saved }) {
  const [values, setValues] = useState<AdverseForm>(EMPTY_ADVERSE);
  const [time, setTime] = useState('');
  const form = useServerForm(['description', 'severity', 'action', 'outcome', 'occurred_at']);
  const set = (key: keyof AdverseForm) => (v: string) => setValues({ ...values, [key]: v });
  const submit = (e: Event) => {
    e.preventDefault();
    void form.submit(withOccurredAt(adverseBody(values), time, Date.now()), (body) => recordEvent(String(session.id), body), (s) => {
      setValues(EMPTY_ADVERSE);
      setTime('');
      onSaved(s);
    });
  };
  return (
    <form onSubmit={submit} noValidate aria-label="Record adverse event">
      {form.message ? <ErrorAlert message={form.message} /> : null}
      <TextAreaField id="ae-description" label="What happened" required value={values.description} onValue={set('description')} error={form.errors.description} maxLength={1000} rows={2} />
      <SelectField id="ae-severity" label="Severity" required placeholder="Choose…" value={values.severity} onValue={set('severity')} options={SEVERITIES} error={form.errors.severity} />
      <TextAreaField id="ae-action" label="Action taken" required value={values.action} onValue={set('action')} error={form.errors.action} maxLength={1000} rows={2} />
      <TextAreaField id="ae-outcome" label="Outcome" required value={values.outcome} onValue={set('outcome')} error={form.errors.outcome} maxLength={1000} rows={2} />
      <OccurredAtField id="ae-time" label="Time it happened" value={time} onValue={setTime} error={form.errors.occurred_at} />
      <div class="form-actions">
        <button type="submit" class="button" disabled={form.busy}>
          Save adverse event
        </button>
      </div>
    </form>
  );
}

type RecordKind = 'vitals' | 'rate' | 'rescue' | 'moaas' | 'aldrete' | 'cadss' | 'adverse';
const RECORD_KINDS: { kind: RecordKind; label: string }[] = [
  { kind: 'vitals', label: 'Vitals' },
  { kind: 'moaas', label: 'MOAA/S' },
  { kind: 'aldrete', label: 'Aldrete' },
  { kind: 'cadss', label: 'CADSS' },
  { kind: 'rescue', label: 'Rescue medication' },
  { kind: 'adverse', label: 'Adverse event' },
  { kind: 'rate', label: 'Rate change' },
];

let aldreteCache: Instrument | null = null;

/** The modified Aldrete's items and answer labels from GET /api/v1/instruments. */
function useAldrete(): { instrument: Instrument | null; error: string | null } {
  const [instrument, setInstrument] = useState<Instrument | null>(aldreteCache);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (aldreteCache) return;
    let current = true;
    listInstruments()
      .then((list) => {
        const found = list.items.find((i) => i.instrument === 'aldrete') ?? null;
        aldreteCache = found;
        if (!current) return;
        setInstrument(found);
        if (!found) setError('The server has no modified Aldrete instrument.');
      })
      .catch((e: unknown) => current && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      current = false;
    };
  }, []);
  return { instrument, error };
}

export function RecordPanel({ session, onSaved }: { session: DosingSession; onSaved: Saved }) {
  const [kind, setKind] = useState<RecordKind>('vitals');
  const aldrete = useAldrete();
  const aldreteItems = aldrete.instrument
    ? formItems(aldrete.instrument).map((item) => ({ label: item.label.replace(/^\S+\.\s/, ''), options: item.options }))
    : null;
  return (
    <div>
      <div class="segmented" role="group" aria-label="What to record">
        {RECORD_KINDS.filter((k) => k.kind !== 'rate' || session.dose_order?.pump_rate_ml_per_h !== undefined).map((k) => (
          <button key={k.kind} type="button" class="button button--secondary" aria-pressed={kind === k.kind} onClick={() => setKind(k.kind)}>
            {k.label}
          </button>
        ))}
      </div>
      {kind === 'vitals' ? <VitalsEventForm session={session} onSaved={onSaved} /> : null}
      {kind === 'rate' ? <RateChangeForm session={session} onSaved={onSaved} /> : null}
      {kind === 'rescue' ? <RescueEventForm session={session} onSaved={onSaved} /> : null}
      {kind === 'moaas' ? (
        <ScoreForm session={session} onSaved={onSaved} instrument="moaas" title="MOAA/S" items={[{ label: 'MOAA/S score (0-5)', options: MOAAS_OPTIONS, hint: "Rate from the clinic's MOAA/S card; 0 is loss of consciousness." }]} />
      ) : null}
      {kind === 'cadss' ? (
        <ScoreForm session={session} onSaved={onSaved} instrument="cadss" title="CADSS" items={[{ label: 'CADSS total (0-92)', options: null, hint: 'The clinician-rated total.' }]} />
      ) : null}
      {kind === 'adverse' ? <AdverseEventForm session={session} onSaved={onSaved} /> : null}
      {kind === 'aldrete' ? (
        aldreteItems ? (
          <ScoreForm
            session={session}
            onSaved={onSaved}
            instrument="aldrete"
            title="modified Aldrete"
            items={aldreteItems}
            preview={(answers) => aldretePreview(answers, session.discharge_rules.aldrete_min)}
          />
        ) : aldrete.error ? (
          <ErrorAlert message={aldrete.error} />
        ) : (
          <p role="status">Loading the Aldrete items…</p>
        )
      ) : null}
    </div>
  );
}
