// Tests of the intake form component: the body it posts (checkbox conditions, a
// benzodiazepine with its diazepam equivalent), a server error shown next to the field it
// names, and an amendment refused without a reason.
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { IntakeVersion, IntakeVocabulary } from '../api/types';
import { IntakeForm } from './IntakePanel';

const VOCABULARY: IntakeVocabulary = {
  conditions: [{ code: 'hypertension', display: 'Hypertension' }, { code: 'aneurysmal_vascular_disease', display: 'Aneurysmal vascular disease' }],
  medication_classes: [{ code: 'benzodiazepine', display: 'Benzodiazepine' }, { code: 'opioid', display: 'Opioid' }],
  hypersensitivity_categories: ['ketamine', 'other'],
  substances: ['alcohol'],
  substance_use_patterns: ['history', 'current'],
};

let root: HTMLElement;
let fetchMock: ReturnType<typeof vi.fn>;

beforeEach(() => {
  root = document.createElement('div');
  document.body.appendChild(root);
  fetchMock = vi.fn();
  vi.stubGlobal('fetch', fetchMock);
});
afterEach(() => {
  render(null, root);
  root.remove();
  vi.unstubAllGlobals();
});

const byId = <T extends HTMLElement>(id: string) => {
  const element = root.querySelector<T>(`#${CSS.escape(id)}`);
  if (!element) throw new Error(`no #${id}`);
  return element;
};

async function type(id: string, value: string) {
  const element = byId<HTMLInputElement>(id);
  await act(() => {
    element.value = value;
    element.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

async function tick(id: string) {
  const element = byId<HTMLInputElement>(id);
  await act(() => {
    element.checked = true;
    element.dispatchEvent(new Event('change', { bubbles: true }));
  });
}

async function click(text: string) {
  const button = [...root.querySelectorAll('button')].find((b) => b.textContent === text);
  if (!button) throw new Error(`no button ${text}`);
  await act(() => button.click());
}

async function submit() {
  await act(async () => {
    root.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
  });
  for (let i = 0; i < 3; i += 1) await act(async () => Promise.resolve());
}

function answer(status: number, body: unknown) {
  return { ok: status < 300, status, text: async () => JSON.stringify(body) };
}

describe('IntakeForm', () => {
  it('posts the intake document built from the form', async () => {
    const onSaved = vi.fn();
    fetchMock.mockResolvedValue(answer(201, { id: 1, version: 1, intake: {}, digest: 'd', reason: null, recorded_at: 't', recorded_by: 'me' }));
    await act(() => render(<IntakeForm patientId="9" latest={null} vocabulary={VOCABULARY} onSaved={onSaved} onCancel={() => {}} />, root));
    await type('f-intake-age_years', '41');
    await tick('f-intake-conditions-hypertension');
    await type('f-intake-vitals-systolic_mmhg', '120');
    await type('f-intake-vitals-diastolic_mmhg', '80');
    await click('Add medication');
    await type('f-intake-medications-0-name', 'Diazepam');
    expect(root.querySelector('#f-intake-medications-0-diazepam_equivalent_mg_per_day')).toBeNull();
    await tick('f-intake-medications-0-classes-benzodiazepine');
    await type('f-intake-medications-0-diazepam_equivalent_mg_per_day', '10');
    await submit();
    expect(fetchMock).toHaveBeenCalledTimes(1);
    const [path, init] = fetchMock.mock.calls[0]!;
    expect(path).toBe('/api/v1/patients/9/intakes');
    expect(JSON.parse(init.body)).toEqual({
      intake: {
        age_years: 41,
        conditions: ['hypertension'],
        medications: [{ name: 'Diazepam', classes: ['benzodiazepine'], diazepam_equivalent_mg_per_day: 10 }],
        vitals: { systolic_mmhg: 120, diastolic_mmhg: 80 },
      },
    });
    expect(onSaved).toHaveBeenCalled();
  });

  it('shows a server error next to the field it names', async () => {
    fetchMock.mockResolvedValue(answer(400, { error: { code: 'invalid_input', message: 'intake.weight_kg must be at most 700', field: 'intake.weight_kg' } }));
    await act(() => render(<IntakeForm patientId="9" latest={null} vocabulary={VOCABULARY} onSaved={() => {}} onCancel={() => {}} />, root));
    await type('f-intake-weight_kg', '70');
    await submit();
    const input = byId('f-intake-weight_kg');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(byId('f-intake-weight_kg-error').textContent).toBe('intake.weight_kg must be at most 700');
  });

  it('asks for a reason before amending, and starts from the latest version', async () => {
    const latest: IntakeVersion = { id: 3, version: 1, intake: { age_years: 40, conditions: ['hypertension'] }, digest: 'd', reason: null, recorded_at: 't', recorded_by: 'me' };
    await act(() => render(<IntakeForm patientId="9" latest={latest} vocabulary={VOCABULARY} onSaved={() => {}} onCancel={() => {}} />, root));
    expect(byId<HTMLInputElement>('f-intake-age_years').value).toBe('40');
    expect(byId<HTMLInputElement>('f-intake-conditions-hypertension').checked).toBe(true);
    await submit();
    expect(fetchMock).not.toHaveBeenCalled();
    expect(byId('f-reason-error').textContent).toBe('Say why the intake is amended.');
  });
});
