// The start of dosing (docs/sessions.md "Start"): the body of a start event, either with no
// ledger link or with the administration recorded in the controlled-substance ledger in the
// same transaction (`administer`: the lot and location picked in the StockPicker, and the mg
// drawn and given, as exact decimal text). Pure; the server checks the lot, the location, the
// balance and the draw accounting again.
import { isExactQuantity, micrograms } from '../api/ledger';
import type { DoseOrder } from '../api/sessions';
import type { StockChoice } from '../ledger/stockPicker';
import type { Built, FormErrors } from './sessionLogic';

export interface StartForm {
  /** null: no ledger link (the administration is recorded in the ledger separately). */
  stock: StockChoice | null;
  drawn_mg: string;
  administered_mg: string;
}

/** Exact mg text for the ordered dose (at most three decimals, as the ledger keeps it). */
export function mgText(mg: number): string {
  return String(Math.round(mg * 1000) / 1000);
}

/** The form as it opens: no stock chosen, drawn and given set to the ordered dose when there is one. */
export function startDefaults(order: Pick<DoseOrder, 'dose_mg'> | null): StartForm {
  const dose = order && Number.isFinite(order.dose_mg) && order.dose_mg > 0 ? mgText(order.dose_mg) : '';
  return { stock: null, drawn_mg: dose, administered_mg: dose };
}

const QUANTITY_RULE = 'must be a number of mg with at most 3 decimal places, e.g. "12.5"';

/** POST /events {"kind":"start"}, with `administer` when a lot was picked. */
export function startBody(form: StartForm): Built<Record<string, unknown>> {
  if (!form.stock) return { body: { kind: 'start' }, errors: {} };
  const errors: FormErrors = {};
  const drawn = form.drawn_mg.trim().replace(',', '.');
  const given = form.administered_mg.trim().replace(',', '.');
  if (!drawn) errors['administer.drawn_mg'] = 'is required when the dose is linked to a lot';
  else if (!isExactQuantity(drawn)) errors['administer.drawn_mg'] = QUANTITY_RULE;
  else if (micrograms(drawn) === 0) errors['administer.drawn_mg'] = 'must be more than 0';
  if (!given) errors['administer.administered_mg'] = 'is required when the dose is linked to a lot';
  else if (!isExactQuantity(given)) errors['administer.administered_mg'] = QUANTITY_RULE;
  if (!Object.keys(errors).length && micrograms(given) > micrograms(drawn)) {
    errors['administer.administered_mg'] = `${given} mg administered is more than the ${drawn} mg drawn`;
  }
  if (Object.keys(errors).length) return { body: null, errors };
  return {
    body: { kind: 'start', administer: { lot_id: form.stock.lot_id, location_id: form.stock.location_id, drawn_mg: drawn, administered_mg: given } },
    errors,
  };
}
