import { describe, expect, it } from 'vitest';
import { answersFor, formItems, isAsked, trajectoryCsv, type Instrument } from './measureForm';

const yesNo = [
  { valueCoding: { code: '0', display: 'No' } },
  { valueCoding: { code: '1', display: 'Yes' } },
];
const cssrsLike: Instrument = {
  instrument: 'cssrs',
  title: 'screener',
  kind: 'self_report',
  questionnaire: {
    item: [
      { linkId: '2', type: 'choice', required: true, answerOption: yesNo },
      { linkId: '3', type: 'choice', required: true, answerOption: yesNo, enableWhen: [{ question: '2', answerCoding: { code: '1' } }] },
    ],
  },
};
const madrsLike: Instrument = {
  instrument: 'madrs',
  title: 'MADRS',
  kind: 'clinician_total',
  questionnaire: {
    item: [
      {
        linkId: 'total',
        type: 'integer',
        required: true,
        extension: [
          { url: 'http://hl7.org/fhir/StructureDefinition/minValue', valueInteger: 0 },
          { url: 'http://hl7.org/fhir/StructureDefinition/maxValue', valueInteger: 60 },
        ],
      },
    ],
  },
};

describe('formItems', () => {
  it('reads options, ranges and skip logic from the Questionnaire', () => {
    const [q2, q3] = formItems(cssrsLike);
    expect(q2?.options?.map((o) => o.label)).toEqual(['0: No', '1: Yes']);
    expect(q3?.enabledBy).toEqual({ linkId: '2', value: '1' });
    const [total] = formItems(madrsLike);
    expect(total).toMatchObject({ label: 'Total', options: null, min: 0, max: 60 });
  });
});

describe('answersFor', () => {
  it('sends null for skipped and empty items, numbers otherwise', () => {
    const items = formItems(cssrsLike);
    expect(isAsked(items[1]!, { '2': '0' })).toBe(false);
    expect(answersFor(items, { '2': '0', '3': '1' })).toEqual([0, null]);
    expect(answersFor(items, { '2': '1', '3': '1' })).toEqual([1, 1]);
    expect(answersFor(items, { '2': '1' })).toEqual([1, null]);
  });
  it('marks text that is not a whole number so the server names it', () => {
    expect(answersFor(formItems(madrsLike), { total: '2.5' })).toEqual([Number.NaN]);
  });
});

describe('trajectoryCsv', () => {
  it('writes one quoted row per measure', () => {
    const csv = trajectoryCsv([
      { administered_at: '2026-01-05T10:00:00.000Z', instrument: 'phq9', total: 18, band: 'moderately_severe', alerts: [] },
      {
        administered_at: '2026-02-20T10:00:00.000Z',
        instrument: 'phq9',
        total: 3,
        band: 'minimal',
        change: { response: true, remission: true, reliable_change: 'improved' },
        alerts: [{ code: 'a,b' }],
      },
    ]);
    expect(csv.split('\r\n')).toEqual([
      'administered_at,instrument,total,band,response,remission,reliable_change,alerts',
      '2026-01-05T10:00:00.000Z,phq9,18,moderately_severe,,,,',
      '2026-02-20T10:00:00.000Z,phq9,3,minimal,true,true,improved,"a,b"',
      '',
    ]);
  });
});
