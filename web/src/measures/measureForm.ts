// Pure helpers of the chart's measures panel: the answerable items of an instrument's FHIR
// Questionnaire (with their answer options and skip logic), the answers array the API takes
// (item order, null for unanswered or skipped), and the trajectory as CSV.

export interface QuestionnaireItem {
  linkId: string;
  type: string;
  prefix?: string;
  text?: string;
  required?: boolean;
  answerOption?: { valueCoding: { code: string; display?: string } }[];
  extension?: { url: string; valueInteger?: number }[];
  enableWhen?: { question: string; answerCoding: { code: string } }[];
}

export interface Instrument {
  instrument: string;
  title: string;
  kind: 'self_report' | 'clinician_rating' | 'clinician_total';
  item_text_shipped?: boolean;
  total_range?: [number, number] | null;
  bands?: { code: string; display: string; min: number; max: number; unconfirmed?: boolean }[];
  questionnaire: { item: QuestionnaireItem[] };
}

export interface FormItem {
  linkId: string;
  label: string;
  required: boolean;
  options: { value: string; label: string }[] | null; // null: a whole number in [min, max]
  min: number;
  max: number;
  enabledBy: { linkId: string; value: string } | null;
}

const MIN_VALUE = 'http://hl7.org/fhir/StructureDefinition/minValue';
const MAX_VALUE = 'http://hl7.org/fhir/StructureDefinition/maxValue';

/** The items a clinician fills in, in item order (display items left out). */
export function formItems(instrument: Instrument): FormItem[] {
  return instrument.questionnaire.item
    .filter((item) => item.type !== 'display')
    .map((item) => {
      const name = item.linkId === 'total' ? 'Total' : `Item ${item.linkId}`;
      const label = item.text ? `${item.prefix ?? `${item.linkId}.`} ${item.text}` : name;
      const options = item.answerOption
        ? item.answerOption.map((o) => ({
            value: o.valueCoding.code,
            label: o.valueCoding.display ? `${o.valueCoding.code}: ${o.valueCoding.display}` : o.valueCoding.code,
          }))
        : null;
      const ext = (url: string) => item.extension?.find((e) => e.url === url)?.valueInteger ?? 0;
      const when = item.enableWhen?.[0];
      return {
        linkId: item.linkId,
        label,
        required: item.required === true,
        options,
        min: options ? Number(options[0]?.value ?? 0) : ext(MIN_VALUE),
        max: options ? Number(options[options.length - 1]?.value ?? 0) : ext(MAX_VALUE),
        enabledBy: when ? { linkId: when.question, value: when.answerCoding.code } : null,
      };
    });
}

/** Whether the skip logic asks this item, given the values entered so far. */
export function isAsked(item: FormItem, values: Record<string, string>): boolean {
  return item.enabledBy === null || values[item.enabledBy.linkId] === item.enabledBy.value;
}

/**
 * The API's answers array: numbers in item order, null for empty or skipped items, NaN for
 * text that is not a whole number (the panel reports it before sending).
 */
export function answersFor(items: FormItem[], values: Record<string, string>): (number | null)[] {
  return items.map((item) => {
    if (!isAsked(item, values)) return null;
    const raw = (values[item.linkId] ?? '').trim();
    if (raw === '') return null;
    return /^-?\d+$/.test(raw) ? Number(raw) : Number.NaN;
  });
}

export interface TrajectoryRow {
  administered_at: string;
  instrument: string;
  total: number | null;
  band: string | null;
  change?: { response?: boolean; remission?: boolean; reliable_change?: string };
  alerts: { code: string }[];
}

function csvCell(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The trajectory as CSV (RFC 4180 quoting), one row per measure. */
export function trajectoryCsv(rows: TrajectoryRow[]): string {
  const header = ['administered_at', 'instrument', 'total', 'band', 'response', 'remission', 'reliable_change', 'alerts'];
  const lines = rows.map((r) =>
    [
      r.administered_at,
      r.instrument,
      r.total,
      r.band,
      r.change?.response,
      r.change?.remission,
      r.change?.reliable_change,
      r.alerts.map((a) => a.code).join(' '),
    ]
      .map(csvCell)
      .join(','),
  );
  return [header.join(','), ...lines].join('\r\n') + '\r\n';
}
