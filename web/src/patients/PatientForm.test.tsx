// Tests of the patient form component: client hints block submission, and a server
// error is shown next to the field it names (linked by aria-describedby).
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/client';
import type { PatientDocument } from '../api/types';
import { PatientForm } from './PatientForm';
import { emptyPatientForm } from './patientForm';

let root: HTMLElement;

beforeEach(() => {
  root = document.createElement('div');
  document.body.appendChild(root);
});
afterEach(() => {
  render(null, root);
  root.remove();
});

function control(label: string): HTMLInputElement | HTMLSelectElement {
  const labelElement = [...root.querySelectorAll('label')].find((l) => l.textContent?.replace(' (required)', '') === label);
  if (!labelElement) throw new Error(`no label ${label}`);
  return root.querySelector(`#${CSS.escape(labelElement.htmlFor)}`) as HTMLInputElement;
}

async function type(label: string, value: string) {
  const element = control(label);
  await act(() => {
    element.value = value;
    element.dispatchEvent(new Event(element.tagName === 'SELECT' ? 'change' : 'input', { bubbles: true }));
  });
}

async function submit() {
  await act(async () => {
    root.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
  });
  await act(async () => {
    await Promise.resolve();
  });
}

function describedText(element: Element): string {
  return (element.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .map((id) => root.querySelector(`#${CSS.escape(id)}`)?.textContent ?? '')
    .join(' ');
}

describe('PatientForm', () => {
  it('every input and select has a label', async () => {
    await act(() => render(<PatientForm initial={emptyPatientForm()} submitLabel="Create" cancelHref="#/patients" onSubmit={vi.fn()} />, root));
    for (const element of root.querySelectorAll('input, select, textarea')) {
      expect(root.querySelector(`label[for="${element.id}"]`), element.id).not.toBeNull();
    }
  });

  it('does not submit while required fields are empty', async () => {
    const onSubmit = vi.fn();
    await act(() => render(<PatientForm initial={emptyPatientForm()} submitLabel="Create" cancelHref="#/patients" onSubmit={onSubmit} />, root));
    await submit();
    expect(onSubmit).not.toHaveBeenCalled();
    expect(describedText(control('Family name'))).toContain('Family name is required.');
    expect(root.querySelector('.error-summary')?.textContent).toContain('Birth date is required.');
  });

  it('sends the document and shows a server error next to the named field', async () => {
    const onSubmit = vi.fn(async (_doc: PatientDocument) => {
      throw new ApiError(400, 'invalid_input', 'must be a real calendar date in the form YYYY-MM-DD', 'birth_date');
    });
    await act(() => render(<PatientForm initial={emptyPatientForm()} submitLabel="Create" cancelHref="#/patients" onSubmit={onSubmit} />, root));
    await type('Family name', 'Okafor');
    await type('Given names', 'Adaeze');
    await type('Birth date', '1984-03-09');
    await type('Sex', 'female');
    await submit();
    expect(onSubmit).toHaveBeenCalledTimes(1);
    expect(onSubmit.mock.calls[0]![0]).toEqual({
      family_name: 'Okafor',
      given_names: 'Adaeze',
      birth_date: '1984-03-09',
      sex: 'female',
      allergies: [],
      medications: [],
      diagnoses: [],
    });
    const birthDate = control('Birth date');
    expect(birthDate.getAttribute('aria-invalid')).toBe('true');
    expect(describedText(birthDate)).toContain('must be a real calendar date in the form YYYY-MM-DD');
  });
});
