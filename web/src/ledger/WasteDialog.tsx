// The waste-with-witness dialog: the quantity wasted, how, and a second staff member who
// re-enters their own password at the recorder's side. The server refuses a witness who is
// the recorder, a wrong password, or someone who may not witness; the message appears here.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import { isExactQuantity, recordEntry, type LedgerEntry } from '../api/ledger';
import { TextField, fieldId } from '../components/Field';
import { ErrorSummary } from '../components/ErrorSummary';

export interface WasteTarget {
  /** The administration (draw) whose rest is wasted; null for a partial-vial remainder in stock. */
  drawSequence: number | null;
  lotId: number;
  locationId: number;
  description: string;
}

export function WasteDialog({ target, onClose, onRecorded }: {
  target: WasteTarget;
  onClose: () => void;
  onRecorded: (entry: LedgerEntry) => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [quantity, setQuantity] = useState('');
  const [manner, setManner] = useState('');
  const [witness, setWitness] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
  }, []);

  const submit = async (event: Event) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (!isExactQuantity(quantity) || Number(quantity) <= 0) found['waste-quantity'] = 'Enter the amount wasted in mg, e.g. 2.5';
    if (!manner.trim()) found['waste-manner'] = 'Say how it was wasted';
    if (!witness.trim()) found['waste-witness'] = 'A second staff member must witness the waste';
    if (!password) found['waste-witness-password'] = 'The witness enters their own password';
    setErrors(found);
    setMessage(null);
    setAttempt((a) => a + 1);
    if (Object.keys(found).length) return;
    setBusy(true);
    try {
      const body: Record<string, unknown> = {
        kind: 'waste',
        quantity_mg: quantity.trim(),
        manner: manner.trim(),
        witness: { username: witness.trim(), password },
      };
      if (target.drawSequence !== null) body.draw_sequence = target.drawSequence;
      else Object.assign(body, { lot_id: target.lotId, location_id: target.locationId });
      const entry = await recordEntry(body);
      onRecorded(entry);
    } catch (e) {
      setPassword('');
      const text = e instanceof Error ? e.message : String(e);
      if (e instanceof ApiError && e.field?.startsWith('witness')) setErrors({ 'waste-witness': text });
      else if (e instanceof ApiError && e.field === 'quantity_mg') setErrors({ 'waste-quantity': text });
      else setMessage(text);
      setAttempt((a) => a + 1);
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog ref={dialog} class="dialog" aria-labelledby="waste-title" onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <h2 id="waste-title">Record waste</h2>
        <p>{target.description}</p>
        <ErrorSummary errors={errors} message={message} attempt={attempt} labels={{
          'waste-quantity': 'Quantity',
          'waste-manner': 'Manner',
          'waste-witness': 'Witness',
          'waste-witness-password': 'Witness password',
        }} />
        <TextField id={fieldId('waste-quantity')} label="Quantity wasted (mg)" inputMode="decimal" value={quantity} onValue={setQuantity} error={errors['waste-quantity']} required />
        <TextField id={fieldId('waste-manner')} label="Manner of wastage" value={manner} onValue={setManner} error={errors['waste-manner']} required hint="e.g. into the drug-disposal container" />
        <TextField id={fieldId('waste-witness')} label="Witness username" value={witness} onValue={setWitness} error={errors['waste-witness']} required hint="A different prescriber or nurse of this clinic." />
        <TextField id={fieldId('waste-witness-password')} label="Witness password" type="password" autoComplete="off" value={password} onValue={setPassword} error={errors['waste-witness-password']} required hint="Entered by the witness." />
        <div class="form-actions">
          <button type="submit" class="button" disabled={busy}>
            Record waste
          </button>
          <button type="button" class="button button--secondary" onClick={() => dialog.current?.close()}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  );
}
