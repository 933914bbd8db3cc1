// Test data shared by the monitor tests: an alarm with every field the API sends.
import type { Alarm } from '../api/monitor';

export function alarm(overrides: Partial<Alarm> = {}): Alarm {
  return {
    id: 1,
    session_id: 5,
    chair: 'Chair 3',
    patient: { id: 9, mrn: 'NRK-000009', family_name: 'Testperson', given_names: 'Alexandra Jane' },
    parameter: 'systolic',
    rule: 'systolic_max',
    label: 'Alarm above systolic',
    tier: 'warning',
    state: 'active',
    acknowledged: false,
    escalated: false,
    value: '185',
    limit: '180',
    unit: 'mm[Hg]',
    raised_at: '2026-12-02T10:00:00.000Z',
    events: [{ kind: 'raised', tier: 'warning', value: '185', at: '2026-12-02T10:00:00.000Z' }],
    ...overrides,
  };
}
