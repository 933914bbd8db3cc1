// Component test of the chair board against a mocked API and a fake EventSource: tiles show
// the patient, phase timer, exact latest values with units and age, sparklines and the open
// alarm with its tier in words; chairs with open alarms come first; a change notice refetches;
// a failed stream shows "live updates paused"; no chairs gives the empty state.
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChairBoard } from '../api/monitor';
import type { SessionInfo } from '../api/types';
import { SessionContext } from '../auth/SessionContext';
import { ChairBoardPage } from './ChairBoardPage';
import { alarm } from './testAlarms';

class FakeEventSource {
  static made: FakeEventSource[] = [];
  readyState = 0;
  private listeners = new Map<string, ((e: Event) => void)[]>();
  constructor(readonly url: string) {
    FakeEventSource.made.push(this);
  }
  addEventListener(type: string, l: (e: Event) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), l]);
  }
  close() {
    this.readyState = 2;
  }
  emit(type: string) {
    for (const l of this.listeners.get(type) ?? []) l(new Event(type));
  }
}

const NOW = '2026-12-02T10:30:00.000Z';
const T = Date.parse(NOW);

function board(spo2: string): ChairBoard {
  return {
    generated_at: NOW,
    chairs: [
      { chair: { id: 1, name: 'Chair 1', room: 'Room A' }, devices: [], session: null, latest: {}, trend: {}, alarms: [] },
      {
        chair: { id: 3, name: 'Chair 3', room: 'Room A' },
        devices: ['0012340000000001'],
        session: {
          id: 5,
          patient: { id: 9, mrn: 'NRK-000009', family_name: 'Testperson', given_names: 'Alexandra Jane' },
          protocol_id: 'iv-racemic-ketamine',
          phase: 'dosing',
          phase_started_at: '2026-12-02T10:18:45.000Z',
        },
        latest: {
          spo2: { value: spo2, unit: '%', observed_at: '2026-12-02T10:29:20.000Z' },
          heart_rate: { value: '88', unit: '/min', observed_at: '2026-12-02T10:29:20.000Z' },
          systolic: { value: '185', unit: 'mm[Hg]', observed_at: '2026-12-02T10:28:00.000Z' },
          diastolic: { value: '95', unit: 'mm[Hg]', observed_at: '2026-12-02T10:28:00.000Z' },
        },
        trend: { systolic: [[T - 600_000, 130], [T - 120_000, 185]], spo2: [[T - 600_000, 98]] },
        alarms: [alarm({ id: 7, tier: 'warning' }), alarm({ id: 8, tier: 'critical', state: 'cleared', acknowledged: true })],
      },
    ],
  };
}

const SESSION: SessionInfo = {
  user: { id: 1, username: 'demo.nurse', display_name: 'Nia Nurse' },
  active_clinic_id: 1,
  clinics: [{ id: 1, code: 'NRK', name: 'North River', roles: ['nurse'] }],
  permissions: ['monitor.read', 'monitor.setup', 'session.read', 'session.record'],
};

let root: HTMLElement;
let boards: ChairBoard[];
let fetches: number;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  vi.setSystemTime(T);
  root = document.createElement('div');
  document.body.appendChild(root);
  FakeEventSource.made = [];
  fetches = 0;
  vi.stubGlobal('EventSource', FakeEventSource);
  vi.stubGlobal(
    'fetch',
    vi.fn(async (path: string) => {
      if (path !== '/api/v1/monitor/board') throw new Error(`unexpected ${path}`);
      fetches += 1;
      const body = boards[Math.min(fetches - 1, boards.length - 1)];
      return { ok: true, status: 200, text: async () => JSON.stringify(body) };
    }),
  );
});
afterEach(() => {
  render(null, root);
  root.remove();
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

async function settle() {
  for (let i = 0; i < 5; i += 1) await act(async () => Promise.resolve());
}

async function show() {
  await act(() =>
    render(
      <SessionContext.Provider value={{ session: SESSION, switchClinic: async () => {}, signOut: async () => {} }}>
        <ChairBoardPage />
      </SessionContext.Provider>,
      root,
    ),
  );
  await settle();
}

const tile = (id: number) => root.querySelector<HTMLElement>(`li.chair-tile[data-chair="${id}"]`)!;

describe('ChairBoardPage', () => {
  it('shows each chair with patient, timer, exact readings, sparklines and open alarms, alarmed chairs first', async () => {
    boards = [board('97')];
    await show();
    expect(FakeEventSource.made[0]?.url).toBe('/api/v1/events?topics=monitor');
    expect([...root.querySelectorAll('li.chair-tile')].map((li) => li.getAttribute('data-chair'))).toEqual(['3', '1']);
    const three = tile(3);
    expect(three.getAttribute('data-tier')).toBe('warning');
    expect(three.querySelector('.chair-tile__tier')?.textContent).toBe('WARNING · 1 open alarm');
    expect(three.querySelector('a')?.getAttribute('href')).toBe('#/sessions/5');
    expect(three.querySelector('a')?.textContent).toBe('Testperson, Alexandra Jane');
    expect(three.querySelector('[role="timer"]')?.textContent).toBe('11:15');
    const readings = [...three.querySelectorAll('.reading')].map((r) => r.textContent);
    expect(readings).toEqual(['SpO₂97 %40 s ago', 'HR88 /min40 s ago', 'BP185/95 mmHg2 min ago']);
    expect(three.querySelector('.sparkline[data-vital="systolic"] svg')?.getAttribute('aria-label')).toBe(
      'Systolic, last 30 minutes: 130 to 185 mmHg',
    );
    expect(three.querySelector('.sparkline[data-vital="systolic"] path')?.getAttribute('d')).toMatch(/^M\d/);
    expect(three.querySelector('.sparkline[data-vital="heart_rate"] path')).toBeNull();
    const alarms = three.querySelectorAll('.alarm');
    expect(alarms).toHaveLength(1);
    expect(alarms[0]!.querySelector('.tier-badge')?.textContent).toBe('WARNING');
    expect(alarms[0]!.querySelector('button')?.textContent).toBe('Acknowledge');
    expect(tile(1).textContent).toContain('No patient in this chair.');
    expect(root.querySelector('.board-summary')?.textContent).toBe('1 open alarm: 1 WARNING');

    // The timer ticks each second.
    await act(() => {
      vi.advanceTimersByTime(1000);
    });
    expect(three.querySelector('[role="timer"]')?.textContent).toBe('11:16');
  });

  it('refetches on a monitor notice and says when live updates are paused', async () => {
    boards = [board('97'), board('91')];
    await show();
    const stream = FakeEventSource.made[0]!;
    await act(() => stream.emit('open'));
    await act(() => {
      vi.advanceTimersByTime(1000);
    });
    await act(() => stream.emit('monitor'));
    await settle();
    expect(fetches).toBe(2);
    expect(tile(3).querySelector('.reading__value')?.textContent).toBe('91');
    await act(() => stream.emit('error'));
    expect(root.querySelector('.live-note')?.textContent).toBe('Live updates paused: checking every 5 seconds.');
    await act(() => {
      vi.advanceTimersByTime(5000);
    });
    await settle();
    expect(fetches).toBe(3);
  });

  it('opens the acknowledge dialog from an alarm', async () => {
    boards = [board('97')];
    await show();
    await act(() => tile(3).querySelector<HTMLButtonElement>('.alarm button')!.click());
    expect(root.querySelector('dialog h2')?.textContent).toBe('Acknowledge alarm');
    expect(root.querySelector('#ack-note-7')).not.toBeNull();
  });

  it('shows an empty state when the clinic has no chairs', async () => {
    boards = [{ generated_at: NOW, chairs: [] }];
    await show();
    expect(root.querySelector('.empty-state')?.textContent).toBe(
      'No chairs are set up in this clinic yet. An administrator adds chairs under Schedule set-up.',
    );
  });
});
