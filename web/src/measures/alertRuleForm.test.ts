import { describe, expect, it } from 'vitest';
import { alertRuleBody, alertRuleText, ruleItemOptions, type AlertRuleFormValues } from './alertRuleForm';
import type { Instrument } from './measureForm';

const gad: AlertRuleFormValues = { instrument: 'gad7', condition: 'total_at_least', threshold: ' 15 ', item: '', severity: 'urgent', display: ' Call today ' };

describe('clinic alert rule form', () => {
  it('builds the body of a total rule without an item', () => {
    expect(alertRuleBody({ ...gad, item: '3' })).toEqual({
      body: { instrument: 'gad7', condition: 'total_at_least', threshold: 15, severity: 'urgent', display: 'Call today' },
    });
    expect(alertRuleBody({ ...gad, condition: 'rise_at_least', threshold: '5', severity: 'advisory' })).toEqual({
      body: { instrument: 'gad7', condition: 'rise_at_least', threshold: 5, severity: 'advisory', display: 'Call today' },
    });
  });

  it('sends the item of an item rule by linkId', () => {
    expect(alertRuleBody({ ...gad, instrument: 'phq9', condition: 'item_at_least', threshold: '2', item: '9' })).toEqual({
      body: { instrument: 'phq9', condition: 'item_at_least', threshold: 2, item: '9', severity: 'urgent', display: 'Call today' },
    });
  });

  it('names the field the form can check itself', () => {
    expect(alertRuleBody({ ...gad, instrument: '' })).toMatchObject({ field: 'instrument' });
    expect(alertRuleBody({ ...gad, condition: '' })).toMatchObject({ field: 'condition' });
    expect(alertRuleBody({ ...gad, threshold: '2.5' })).toMatchObject({ field: 'threshold' });
    expect(alertRuleBody({ ...gad, threshold: '' })).toMatchObject({ field: 'threshold' });
    expect(alertRuleBody({ ...gad, condition: 'item_at_least', item: '' })).toMatchObject({ field: 'item' });
    expect(alertRuleBody({ ...gad, severity: '' })).toMatchObject({ field: 'severity' });
    expect(alertRuleBody({ ...gad, display: '  ' })).toMatchObject({ field: 'display' });
  });

  it('lists the items an item rule may name, without an entered total', () => {
    const instrument = {
      instrument: 'madrs',
      title: 'MADRS',
      kind: 'clinician_total',
      questionnaire: {
        item: [
          { linkId: 'total', type: 'integer', extension: [] },
          {
            linkId: 'item1',
            type: 'integer',
            extension: [
              { url: 'http://hl7.org/fhir/StructureDefinition/minValue', valueInteger: 0 },
              { url: 'http://hl7.org/fhir/StructureDefinition/maxValue', valueInteger: 6 },
            ],
          },
        ],
      },
    } as unknown as Instrument;
    expect(ruleItemOptions(instrument)).toEqual([{ value: 'item1', label: 'Item item1 (0–6)' }]);
    expect(ruleItemOptions(undefined)).toEqual([]);
  });

  it('reads a rule', () => {
    expect(alertRuleText({ condition: 'total_at_least', threshold: 15, item: null }, 'GAD-7')).toBe('GAD-7 total ≥ 15');
    expect(alertRuleText({ condition: 'total_at_most', threshold: 4, item: null }, 'GAD-7')).toBe('GAD-7 total ≤ 4');
    expect(alertRuleText({ condition: 'item_at_least', threshold: 2, item: '9' }, 'PHQ-9')).toBe('PHQ-9 item 9 ≥ 2');
    expect(alertRuleText({ condition: 'rise_at_least', threshold: 5, item: null }, 'PHQ-9')).toBe('PHQ-9 rise ≥ 5 points from the previous total');
  });
});
