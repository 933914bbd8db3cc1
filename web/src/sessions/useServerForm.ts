// A form's submit cycle against the API: format errors found before sending, then the
// server's answer, with an error naming one of the form's fields shown next to it and any
// other refusal (a 409 rule, a network failure) kept verbatim for the form's alert.
import { useState } from 'preact/hooks';
import { type Built, type FormErrors, placeError } from './sessionLogic';

export interface ServerForm {
  errors: FormErrors;
  message: string | null;
  busy: boolean;
  /** Sends `built.body` when it has no format errors; resolves true when the server accepted it. */
  submit<T, R>(built: Built<T>, send: (body: T) => Promise<R>, onDone: (result: R) => void): Promise<boolean>;
  clear(): void;
}

export function useServerForm(fields: readonly string[]): ServerForm {
  const [errors, setErrors] = useState<FormErrors>({});
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return {
    errors,
    message,
    busy,
    clear: () => {
      setErrors({});
      setMessage(null);
    },
    async submit(built, send, onDone) {
      setMessage(null);
      setErrors(built.errors);
      if (!built.body) return false;
      setBusy(true);
      try {
        const result = await send(built.body);
        setErrors({});
        onDone(result);
        return true;
      } catch (error: unknown) {
        const placed = placeError(error, fields);
        setErrors(placed.fieldErrors);
        setMessage(placed.message);
        return false;
      } finally {
        setBusy(false);
      }
    },
  };
}
