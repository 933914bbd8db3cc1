// Pure helpers of the clinic alert rule form and list: the body the API takes from the form's
// fields (checked here only for what the form itself can know; the server checks N against the
// instrument's range and names the field), which items an item rule may name, and how a rule
// reads in the list.
import type { AlertRule, AlertRuleCondition, NewAlertRule } from '../api/alertRules';
import { formItems, type Instrument } from './measureForm';

export const CONDITION_OPTIONS: readonly { value: AlertRuleCondition; label: string }[] = [
  { value: 'total_at_least', label: 'Total at or above N' },
  { value: 'total_at_most', label: 'Total at or below N' },
  { value: 'item_at_least', label: 'An item at or above N' },
  { value: 'rise_at_least', label: 'A rise of at least N points from the previous total' },
];

export const SEVERITY_OPTIONS: readonly { value: 'urgent' | 'advisory'; label: string }[] = [
  { value: 'urgent', label: 'Urgent' },
  { value: 'advisory', label: 'Advisory' },
];

export interface AlertRuleFormValues {
  instrument: string;
  condition: AlertRuleCondition | '';
  threshold: string;
  item: string;
  severity: 'urgent' | 'advisory' | '';
  display: string;
}

/** The items an item rule can name (an entered total is not an item). */
export function ruleItemOptions(instrument: Instrument | undefined): { value: string; label: string }[] {
  if (!instrument) return [];
  return formItems(instrument)
    .filter((item) => item.linkId !== 'total')
    .map((item) => ({ value: item.linkId, label: `${item.label} (${item.min}–${item.max})` }));
}

/** The request body, or the field and message the form shows without asking the server. */
export function alertRuleBody(v: AlertRuleFormValues): { body: NewAlertRule } | { field: string; message: string } {
  if (!v.instrument) return { field: 'instrument', message: 'Choose an instrument.' };
  if (!v.condition) return { field: 'condition', message: 'Choose a condition.' };
  const n = v.threshold.trim();
  if (!/^-?\d+$/.test(n)) return { field: 'threshold', message: 'Enter N as a whole number.' };
  if (v.condition === 'item_at_least' && !v.item) return { field: 'item', message: 'Choose the item.' };
  if (!v.severity) return { field: 'severity', message: 'Choose the severity.' };
  const display = v.display.trim();
  if (!display) return { field: 'display', message: 'Enter the text the alert shows.' };
  const body: NewAlertRule = { instrument: v.instrument, condition: v.condition, threshold: Number(n), severity: v.severity, display };
  if (v.condition === 'item_at_least') body.item = v.item;
  return { body };
}

/** "PHQ-9 item 9 ≥ 2", "GAD-7 total ≥ 15", "PHQ-9 rise ≥ 5 points". */
export function alertRuleText(rule: Pick<AlertRule, 'condition' | 'threshold' | 'item'>, title: string): string {
  switch (rule.condition) {
    case 'total_at_least':
      return `${title} total ≥ ${rule.threshold}`;
    case 'total_at_most':
      return `${title} total ≤ ${rule.threshold}`;
    case 'item_at_least':
      return `${title} item ${rule.item ?? '?'} ≥ ${rule.threshold}`;
    case 'rise_at_least':
      return `${title} rise ≥ ${rule.threshold} ${rule.threshold === 1 ? 'point' : 'points'} from the previous total`;
  }
}
