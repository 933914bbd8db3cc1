// Labelled form controls (text, select, textarea) with hint and error text wired
// to the control through aria-describedby, so every input has a label and its message.
import type { JSX } from 'preact';

interface FieldProps {
  id: string;
  label: string;
  error?: string | undefined;
  hint?: string | undefined;
  required?: boolean | undefined;
  class?: string | undefined;
}

/** A DOM id for a field path like "allergies[0].substance". */
export function fieldId(path: string): string {
  return `f-${path.replace(/[^A-Za-z0-9_-]+/g, '-')}`;
}

function describedBy(id: string, hint?: string, error?: string): string | undefined {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

function Label({ id, label, required }: FieldProps) {
  return (
    <label for={id}>
      {label}
      {required ? <span class="required-mark"> (required)</span> : null}
    </label>
  );
}

function Messages({ id, hint, error }: FieldProps) {
  return (
    <>
      {hint ? (
        <p id={`${id}-hint`} class="hint">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} class="field-error">
          {error}
        </p>
      ) : null}
    </>
  );
}

type InputType = 'text' | 'email' | 'tel' | 'date' | 'datetime-local' | 'password' | 'search' | 'time';

export function TextField(
  props: FieldProps & {
    value: string;
    onValue: (value: string) => void;
    type?: InputType;
    autoComplete?: string;
    inputMode?: 'numeric' | 'decimal' | 'text' | 'tel' | 'email' | 'search';
    maxLength?: number;
    autoFocus?: boolean;
  },
) {
  const { id, error, hint } = props;
  return (
    <div class={`field${error ? ' field--invalid' : ''}${props.class ? ` ${props.class}` : ''}`}>
      <Label {...props} />
      <input
        id={id}
        name={id}
        type={props.type ?? 'text'}
        value={props.value}
        onInput={(e) => props.onValue((e.currentTarget as HTMLInputElement).value)}
        autoComplete={props.autoComplete ?? 'off'}
        inputMode={props.inputMode}
        maxLength={props.maxLength}
        autoFocus={props.autoFocus}
        aria-required={props.required ? 'true' : undefined}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(id, hint, error)}
      />
      <Messages {...props} />
    </div>
  );
}

export function SelectField(
  props: FieldProps & {
    value: string;
    onValue: (value: string) => void;
    options: readonly { value: string; label: string }[];
    placeholder?: string;
  },
) {
  const { id, error, hint } = props;
  return (
    <div class={`field${error ? ' field--invalid' : ''}${props.class ? ` ${props.class}` : ''}`}>
      <Label {...props} />
      <select
        id={id}
        name={id}
        value={props.value}
        onChange={(e) => props.onValue((e.currentTarget as HTMLSelectElement).value)}
        aria-required={props.required ? 'true' : undefined}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(id, hint, error)}
      >
        {props.placeholder !== undefined ? <option value="">{props.placeholder}</option> : null}
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <Messages {...props} />
    </div>
  );
}

export function TextAreaField(
  props: FieldProps & { value: string; onValue: (value: string) => void; rows?: number; maxLength?: number },
) {
  const { id, error, hint } = props;
  const onInput: JSX.GenericEventHandler<HTMLTextAreaElement> = (e) => props.onValue(e.currentTarget.value);
  return (
    <div class={`field${error ? ' field--invalid' : ''}${props.class ? ` ${props.class}` : ''}`}>
      <Label {...props} />
      <textarea
        id={id}
        name={id}
        rows={props.rows ?? 3}
        value={props.value}
        onInput={onInput}
        maxLength={props.maxLength}
        aria-required={props.required ? 'true' : undefined}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(id, hint, error)}
      />
      <Messages {...props} />
    </div>
  );
}
