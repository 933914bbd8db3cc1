// Component test of the acknowledge-alarm dialog against a mocked API: the tier is written out,
// sending without a note shows the server's field error next to the note (aria-invalid and
// aria-describedby), a note is sent as {"note"} with the CSRF header, and the acknowledged alarm
// is handed back; any other refusal is shown above the form.
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setCsrfToken } from '../api/client';
import type { Alarm } from '../api/monitor';
import { AcknowledgeDialog } from './AcknowledgeDialog';
import { alarm } from './testAlarms';

let root: HTMLElement;
let answers: { status: number; body: unknown }[];
let sent: { path: string; method: string; body: unknown; csrf: string | undefined }[];

beforeEach(() => {
  root = document.createElement('div');
  document.body.appendChild(root);
  sent = [];
  answers = [];
  setCsrfToken('token-1');
  vi.stubGlobal(
    'fetch',
    vi.fn(async (path: string, init: RequestInit) => {
      const headers = init.headers as Record<string, string>;
      sent.push({ path, method: String(init.method), body: JSON.parse(String(init.body)), csrf: headers['X-CSRF-Token'] });
      const answer = answers.shift();
      if (!answer) throw new Error(`unexpected ${path}`);
      return { ok: answer.status < 300, status: answer.status, text: async () => JSON.stringify(answer.body) };
    }),
  );
});
afterEach(() => {
  render(null, root);
  root.remove();
  setCsrfToken(null);
  vi.unstubAllGlobals();
});

async function settle() {
  for (let i = 0; i < 5; i += 1) await act(async () => Promise.resolve());
}

async function type(text: string) {
  const note = root.querySelector<HTMLTextAreaElement>('#ack-note-7')!;
  await act(() => {
    note.value = text;
    note.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

async function submit() {
  await act(async () => {
    root.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
  });
  await settle();
}

describe('AcknowledgeDialog', () => {
  it('needs a note: the server\'s field error shows at the note, then a note acknowledges', async () => {
    const acknowledged: Alarm[] = [];
    const closed: number[] = [];
    await act(() =>
      render(<AcknowledgeDialog alarm={alarm({ id: 7 })} onClose={() => closed.push(1)} onAcknowledged={(a) => acknowledged.push(a)} />, root),
    );
    expect(root.querySelector('h2')?.textContent).toBe('Acknowledge alarm');
    expect(root.querySelector('.tier-badge')?.textContent).toBe('WARNING');
    expect(root.textContent).toContain('Alarm above systolic: 185 mmHg (limit 180 mmHg)');
    expect(root.querySelector('label[for="ack-note-7"]')?.textContent).toBe('Note (required)');
    expect(root.querySelector('#ack-note-7')?.getAttribute('aria-required')).toBe('true');

    answers.push({ status: 400, body: { error: { code: 'invalid_input', message: 'note is required (1 to 2000 characters)', field: 'note' } } });
    await submit();
    expect(sent).toEqual([{ path: '/api/v1/monitor/alarms/7/acknowledge', method: 'POST', body: { note: '' }, csrf: 'token-1' }]);
    const note = root.querySelector('#ack-note-7')!;
    expect(note.getAttribute('aria-invalid')).toBe('true');
    expect(note.getAttribute('aria-describedby')).toContain('ack-note-7-error');
    expect(root.querySelector('#ack-note-7-error')?.textContent).toBe('note is required (1 to 2000 characters)');
    expect(acknowledged).toEqual([]);

    const done = alarm({ id: 7, acknowledged: true, acknowledged_by: 'demo.nurse', note: 'Cuff re-sited; prescriber informed.' });
    answers.push({ status: 200, body: done });
    await type('Cuff re-sited; prescriber informed.');
    await submit();
    expect(sent[1]!.body).toEqual({ note: 'Cuff re-sited; prescriber informed.' });
    expect(acknowledged).toEqual([done]);
    expect(root.querySelector('#ack-note-7-error')).toBeNull();
  });

  it('shows a refusal that names no field above the form', async () => {
    await act(() => render(<AcknowledgeDialog alarm={alarm({ id: 7 })} onClose={() => {}} onAcknowledged={() => {}} />, root));
    answers.push({ status: 403, body: { error: { code: 'forbidden', message: 'needs session.record' } } });
    await type('Seen');
    await submit();
    expect(root.querySelector('[role="alert"]')?.textContent).toBe('needs session.record');
    expect(root.querySelector('#ack-note-7')?.getAttribute('aria-invalid')).toBeNull();
  });
});
