// Component tests of the consent and course panels against a mocked API: an empty
// signature is refused before anything is sent; a blocked move shows the server's
// blocking messages, and a refusal is shown verbatim next to the field it names.
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ProtocolSummary, TreatmentCourse } from '../api/types';
import { ConsentPanel } from './ConsentPanel';
import { EMPTY_SIGNATURE_MESSAGE } from './consentForm';
import { CoursePanel } from './CoursePanel';

const PROTOCOL: ProtocolSummary = {
  id: 'iv-racemic-ketamine',
  version: 1,
  title: 'IV racemic ketamine infusion',
  drug: 'ketamine',
  route: 'iv',
  summary: '',
  origin: 'shipped',
  unconfirmed: [],
};

const BLOCKED = 'eligibility for IV racemic ketamine infusion v1: hard stop C3-x applies';

const COURSE: TreatmentCourse = {
  id: 5,
  patient_id: 9,
  protocol_id: PROTOCOL.id,
  protocol_title: PROTOCOL.title,
  goal: 'Remission',
  state: 'evaluation',
  created_at: '2026-06-01T10:00:00.000Z',
  created_by: 'demo.prescriber',
  reevaluation_due_on: null,
  transitions: [{ sequence: 1, from: null, to: 'evaluation', reason: 'opened', at: '2026-06-01T10:00:00.000Z', by: 'demo.prescriber', protocol_version: 1 }],
  allowed: [
    { to: 'induction', ready: false, blocked_by: [BLOCKED] },
    { to: 'discontinued', ready: true, blocked_by: [] },
  ],
  readiness: { eligibility: { ok: false, message: BLOCKED }, consent: { ok: false, message: 'no consent for IV racemic ketamine infusion' } },
};

let root: HTMLElement;
let routes: Record<string, { status: number; body: unknown }>;
let posted: { path: string; body: unknown }[];

beforeEach(() => {
  root = document.createElement('div');
  document.body.appendChild(root);
  posted = [];
  routes = {};
  vi.stubGlobal(
    'fetch',
    vi.fn(async (path: string, init: RequestInit) => {
      const key = `${init.method} ${path}`;
      if (init.method !== 'GET') posted.push({ path, body: JSON.parse(String(init.body)) });
      const answer = routes[key];
      if (!answer) throw new Error(`unexpected ${key}`);
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

const byId = <T extends HTMLElement>(id: string) => {
  const element = root.querySelector<T>(`#${CSS.escape(id)}`);
  if (!element) throw new Error(`no #${id}`);
  return element;
};

async function set(id: string, value: string) {
  const element = byId<HTMLInputElement | HTMLSelectElement>(id);
  await act(() => {
    element.value = value;
    element.dispatchEvent(new Event(element.tagName === 'SELECT' ? 'change' : 'input', { bubbles: true }));
  });
}

async function click(text: string | RegExp) {
  const button = [...root.querySelectorAll('button')].find((b) => (typeof text === 'string' ? b.textContent === text : text.test(b.textContent ?? '')));
  if (!button) throw new Error(`no button ${text}`);
  await act(() => button.click());
  await settle();
}

describe('ConsentPanel', () => {
  it('shows the document and refuses an empty signature without sending anything', async () => {
    routes['GET /api/v1/patients/9/consents'] = { status: 200, body: { items: [] } };
    routes['GET /api/v1/consent-documents?protocol=iv-racemic-ketamine'] = {
      status: 200,
      body: { items: [{ id: 2, protocol_id: PROTOCOL.id, version: 3, title: 'IV consent', body: 'Read me.', valid_for_days: 365, requires_reconsent: true, change_reason: 'x', created_at: 't', created_by: 'a' }] },
    };
    await act(() => render(<ConsentPanel patientId="9" protocol={PROTOCOL} canRecord refreshKey={0} onChanged={() => {}} />, root));
    await settle();
    expect(root.textContent).toContain('No consent recorded.');
    await click('Record consent for IV racemic ketamine infusion');
    expect(root.querySelector('dialog h3')?.textContent).toBe('IV consent (version 3)');
    expect(root.querySelector('[role="document"]')?.textContent).toBe('Read me.');
    await set('f-consent-signed_name', 'Adaeze Okafor');
    await set('f-consent-witness_name', 'Nia Nurse');
    await click('Record signed consent');
    expect(byId('f-consent-signature_png-error').textContent).toBe(EMPTY_SIGNATURE_MESSAGE);
    expect(posted).toEqual([]);
  });
});

describe('CoursePanel', () => {
  it('shows what blocks a move and the refusal, verbatim, next to the field it names', async () => {
    routes['GET /api/v1/patients/9/courses'] = { status: 200, body: { items: [COURSE] } };
    const refusal = `course #5 cannot enter induction: ${BLOCKED}`;
    routes['POST /api/v1/courses/5/transitions'] = { status: 409, body: { error: { code: 'conflict', message: refusal, field: 'to' } } };
    await act(() => render(<CoursePanel patientId="9" protocols={[PROTOCOL]} defaultProtocol="" canPlan canSchedule={false} refreshKey={0} onChanged={() => {}} />, root));
    await settle();
    expect(root.querySelector('h3')?.textContent).toBe('IV racemic ketamine infusion: Evaluation');
    expect(root.querySelector('.allowed')?.textContent).toContain(BLOCKED);
    await set('f-course-5-to', 'induction');
    expect(root.querySelector('.transition-form .alert--warning')?.textContent).toContain(BLOCKED);
    await click('Change state');
    expect(byId('f-course-5-reason-error').textContent).toBe('Give the reason for this change.');
    expect(posted).toEqual([]);
    await set('f-course-5-reason', 'Trying anyway');
    await click('Change state');
    expect(posted).toEqual([{ path: '/api/v1/courses/5/transitions', body: { to: 'induction', reason: 'Trying anyway' } }]);
    expect(byId('f-course-5-to-error').textContent).toBe(refusal);
    expect(root.textContent).not.toContain('Plan appointment series');
  });

  it('shows the moved course from the answer at once', async () => {
    routes['GET /api/v1/patients/9/courses'] = { status: 200, body: { items: [COURSE] } };
    const moved: TreatmentCourse = {
      ...COURSE,
      state: 'discontinued',
      allowed: [],
      transitions: [...COURSE.transitions, { sequence: 2, from: 'evaluation', to: 'discontinued', reason: 'Patient moved away', at: '2026-06-02T10:00:00.000Z', by: 'demo.prescriber', protocol_version: 1 }],
    };
    routes['POST /api/v1/courses/5/transitions'] = { status: 200, body: moved };
    const onChanged = vi.fn();
    await act(() => render(<CoursePanel patientId="9" protocols={[PROTOCOL]} defaultProtocol="" canPlan canSchedule refreshKey={0} onChanged={onChanged} />, root));
    await settle();
    expect(root.textContent).toContain('Plan appointment series');
    await set('f-course-5-to', 'discontinued');
    await set('f-course-5-reason', 'Patient moved away');
    await click('Change state');
    expect(root.querySelector('h3')?.textContent).toBe('IV racemic ketamine infusion: Discontinued');
    expect(root.querySelector('tbody')?.textContent).toContain('Evaluation → Discontinued (protocol v1)Patient moved away');
    expect(root.textContent).toContain('Course moved to discontinued.');
    expect(root.textContent).toContain('No further moves: this course has ended.');
    expect(root.textContent).not.toContain('Plan appointment series');
    expect(onChanged).toHaveBeenCalledTimes(1);
  });
});
