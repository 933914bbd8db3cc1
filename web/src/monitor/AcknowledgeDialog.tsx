// The acknowledge-alarm dialog: what the alarm is (tier in words, value against the limit,
// chair and patient) and a required note of what was seen and done. The server decides what a
// note must be; its refusal naming the note appears next to the field, any other refusal above.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import { acknowledgeAlarm, type Alarm } from '../api/monitor';
import { TextAreaField } from '../components/Field';
import { ErrorAlert } from '../components/Status';
import { dateTime, patientName } from '../lib/format';
import { alarmSummary, tierLabel } from './alarmTiers';
import { unitText } from './readings';

export const ACK_NOTE_MAX = 2000;

export function AcknowledgeDialog({
  alarm,
  onClose,
  onAcknowledged,
}: {
  alarm: Alarm;
  onClose: () => void;
  onAcknowledged: (alarm: Alarm) => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [note, setNote] = useState('');
  const [noteError, setNoteError] = useState<string | undefined>();
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const noteId = `ack-note-${alarm.id}`;
  const titleId = `ack-title-${alarm.id}`;

  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open && typeof d.showModal === 'function') d.showModal();
    document.getElementById(noteId)?.focus();
  }, [noteId]);

  const close = () => {
    const d = dialog.current;
    if (d?.open) d.close();
    else onClose();
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    setFailure(null);
    setBusy(true);
    try {
      const done = await acknowledgeAlarm(alarm.id, note);
      setNoteError(undefined);
      onAcknowledged(done);
      close();
    } catch (e: unknown) {
      if (e instanceof ApiError && e.field === 'note') {
        setNoteError(e.message);
        document.getElementById(noteId)?.focus();
      } else {
        setNoteError(undefined);
        setFailure(e instanceof Error ? e.message : String(e));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog ref={dialog} class="dialog" aria-labelledby={titleId} onClose={onClose}>
      <form onSubmit={submit} noValidate aria-labelledby={titleId}>
        <h2 id={titleId}>Acknowledge alarm</h2>
        <p class={`alarm-line tier--${alarm.tier}`}>
          <strong class="tier-badge">{tierLabel(alarm.tier)}</strong> {alarmSummary(alarm, unitText)}
        </p>
        <p>
          {[
            alarm.chair,
            alarm.patient ? `${patientName(alarm.patient)} (${alarm.patient.mrn})` : '',
            `raised ${dateTime(alarm.raised_at)}`,
            alarm.state === 'cleared' ? 'now cleared' : 'still active',
          ]
            .filter(Boolean)
            .join(' · ')}
        </p>
        {failure ? <ErrorAlert message={failure} /> : null}
        <TextAreaField
          id={noteId}
          label="Note"
          required
          rows={3}
          maxLength={ACK_NOTE_MAX}
          value={note}
          onValue={setNote}
          hint="Required. What you saw and did, e.g. probe re-sited, prescriber informed."
          error={noteError}
        />
        <div class="form-actions">
          <button type="submit" class="button" disabled={busy}>
            {busy ? 'Acknowledging…' : 'Acknowledge'}
          </button>
          <button type="button" class="button button--secondary" onClick={close}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  );
}
