// The optional "time, if not now" input shared by the session's event forms (occurredAt.ts).
import { TextField } from '../components/Field';

export function OccurredAtField({ id, label, value, onValue, error }: {
  id: string;
  /** What happened at that time: "Time taken", "Time stopped". */
  label: string;
  value: string;
  onValue: (v: string) => void;
  error: string | undefined;
}) {
  return (
    <TextField
      id={id}
      label={`${label} (if not now)`}
      type="time"
      hint="Leave empty for now. A time today, on this device's clock."
      value={value}
      onValue={onValue}
      error={error}
    />
  );
}
