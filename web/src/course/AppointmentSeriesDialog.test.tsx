// Component test of the "Plan appointment series" slot against a mocked API: chairs and
// staff are offered, the request body is the documented one, the created appointments are
// listed, and a 404 (the scheduling endpoint not merged) is shown like any other error.
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TreatmentCourse } from '../api/types';
import { AppointmentSeriesDialog } from './AppointmentSeriesDialog';

const COURSE = { id: 5, protocol_title: 'IV racemic ketamine infusion', goal: 'Remission' } as TreatmentCourse;

let root: HTMLElement;
let series: { status: number; body: unknown };
let posted: unknown[];

beforeEach(() => {
  root = document.createElement('div');
  document.body.appendChild(root);
  posted = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (path: string, init: RequestInit) => {
      let answer: { status: number; body: unknown };
      if (path === '/api/v1/chairs') answer = { status: 200, body: { items: [{ id: 3, name: 'Chair 3 (window)' }] } };
      else if (path.startsWith('/api/v1/users')) answer = { status: 200, body: { items: [{ id: 11, username: 'demo.nurse', display_name: 'Nia Nurse', roles: ['nurse'], disabled: false }, { id: 12, username: 'old', display_name: 'Gone', roles: ['nurse'], disabled: true }, { id: 13, username: 'desk', display_name: 'Front Desk', roles: ['front_desk'], disabled: false }] } };
      else if (path === '/api/v1/courses/5/appointment-series') {
        posted.push(JSON.parse(String(init.body)));
        answer = series;
      } else throw new Error(`unexpected ${path}`);
      return { ok: answer.status < 300, status: answer.status, text: async () => JSON.stringify(answer.body) };
    }),
  );
});
afterEach(() => {
  render(null, root);
  root.remove();
  vi.unstubAllGlobals();
});

async function settle() {
  for (let i = 0; i < 5; i += 1) await act(async () => Promise.resolve());
}

async function set(id: string, value: string) {
  const element = root.querySelector<HTMLInputElement | HTMLSelectElement>(`#${id}`)!;
  await act(() => {
    element.value = value;
    element.dispatchEvent(new Event(element.tagName === 'SELECT' ? 'change' : 'input', { bubbles: true }));
  });
}

async function fillAndSubmit() {
  await act(() => render(<AppointmentSeriesDialog course={COURSE} onClose={() => {}} />, root));
  await settle();
  const staff = [...root.querySelectorAll('#f-series-staff_user_id option')].map((o) => o.textContent);
  expect(staff).toEqual(['Choose…', 'Nia Nurse (demo.nurse)']);
  await set('f-series-first_start', '2026-06-02T09:00');
  await set('f-series-chair_id', '3');
  await set('f-series-staff_user_id', '11');
  await act(async () => {
    root.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
  });
  await settle();
}

describe('AppointmentSeriesDialog', () => {
  it('sends the documented body and lists the created appointments', async () => {
    series = {
      status: 201,
      body: {
        course_id: 5,
        items: Array.from({ length: 6 }, (_, i) => ({ id: i + 1, start: `2026-06-0${2 + i}T09:00`, status: 'booked', chair: { id: 3, name: 'Chair 3', room: 'Room A' }, staff: { id: 11, display_name: 'Nia Nurse' } })),
      },
    };
    await fillAndSubmit();
    expect(posted).toEqual([{ first_start: '2026-06-02T09:00', sessions: 6, per_week: 2, duration_minutes: 120, chair_id: 3, staff_user_id: 11 }]);
    expect(root.querySelector('[role="status"]')?.textContent).toBe('6 appointments planned.');
    expect(root.querySelectorAll('ol.appointments li')).toHaveLength(6);
    expect(root.querySelector('ol.appointments li')?.textContent).toBe('2026-06-02 09:00, Chair 3 (Room A), Nia Nurse — booked');
  });

  it('shows a 404 from a server without the scheduling endpoint as an error', async () => {
    series = { status: 404, body: { error: { code: 'not_found', message: 'no route for POST /api/v1/courses/5/appointment-series' } } };
    await fillAndSubmit();
    expect(root.querySelector('.error-summary h2')?.textContent).toBe(
      'The appointments were not planned: no route for POST /api/v1/courses/5/appointment-series',
    );
    expect(root.querySelector('ol.appointments')).toBeNull();
  });
});
