// The list of a form's problems shown above it; each entry moves focus to its field.
import { useEffect, useId, useRef } from 'preact/hooks';
import { fieldId } from './Field';

export interface ErrorSummaryProps {
  errors: Record<string, string>;
  /** A form-level message (e.g. from the server) shown before the field list. */
  message?: string | null;
  /** Changes each time the form is submitted, so focus moves to the summary again. */
  attempt: number;
  /** Human labels for field paths; unknown paths are shown as they are. */
  labels?: Record<string, string>;
}

/** "Birth date: must be a real date", without repeating a label the message already starts with. */
export function summaryLine(label: string | undefined, message: string): string {
  if (!label || message.toLowerCase().startsWith(label.toLowerCase())) return message;
  return `${label}: ${message}`;
}

export function ErrorSummary({ errors, message, attempt, labels = {} }: ErrorSummaryProps) {
  const box = useRef<HTMLDivElement>(null);
  // One id per summary: the chart can show several forms' summaries at once.
  const titleId = `error-summary-${useId()}`;
  const entries = Object.entries(errors);
  const visible = entries.length > 0 || Boolean(message);
  useEffect(() => {
    if (visible && attempt > 0) box.current?.focus();
  }, [attempt, visible]);
  if (!visible) return null;
  return (
    <div class="error-summary" role="alert" tabIndex={-1} ref={box} aria-labelledby={titleId}>
      <h2 id={titleId}>{message ?? 'Please correct the following:'}</h2>
      {entries.length ? (
        <ul>
          {entries.map(([path, text]) => (
            <li key={path}>
              <button
                type="button"
                class="link-button"
                onClick={() => document.getElementById(fieldId(path))?.focus()}
              >
                {summaryLine(labels[path], text)}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
