import { describe, expect, it } from 'vitest';
import type { InstrumentSettingsEntry } from '../api/instrumentSettings';
import { describeValues, initialValues, settingFieldId, settingOptions, settingsBody } from './instrumentSettingsForm';

const SOURCE = 'clinical-reference.md D1 (cut-off 31–33; the older provisional 38 is superseded)';

function pcl5(value = 33, version = 0): InstrumentSettingsEntry {
  return {
    instrument: 'pcl5',
    title: 'PCL-5',
    instrument_version: '1',
    version,
    origin: version ? 'clinic' : 'default',
    saved_at: null,
    saved_by: null,
    reason: null,
    settings: [{ name: 'cutoff.provisional_ptsd', display: 'Cut-off: Provisional PTSD by total score (total at least)', default: 33, min: 31, max: 33, source: SOURCE, value }],
    history: [],
    history_truncated: false,
  };
}

describe('instrument settings form', () => {
  it('offers exactly the allowed range with the default marked', () => {
    expect(settingOptions(pcl5().settings[0]!)).toEqual([
      { value: '31', label: '31' },
      { value: '32', label: '32' },
      { value: '33', label: '33 (default)' },
    ]);
  });

  it('starts from the values in force', () => {
    expect(initialValues(pcl5(31, 2))).toEqual({ 'cutoff.provisional_ptsd': '31' });
  });

  it('sends only changed values, the next version and the reason', () => {
    const built = settingsBody(pcl5(33, 1), { 'cutoff.provisional_ptsd': '31' }, '  trauma service screening ');
    expect(built).toEqual({
      body: { instrument: 'pcl5', version: 2, settings: { 'cutoff.provisional_ptsd': 31 }, reason: 'trauma service screening' },
    });
  });

  it('refuses a value outside the range, citing the data file, and names the setting', () => {
    const built = settingsBody(pcl5(), { 'cutoff.provisional_ptsd': '38' }, 'old cut-off');
    expect(built).toEqual({ field: 'settings.cutoff.provisional_ptsd', message: `Must be between 31 and 33 (${SOURCE}).` });
    expect(settingsBody(pcl5(), { 'cutoff.provisional_ptsd': '31.5' }, 'x')).toMatchObject({ field: 'settings.cutoff.provisional_ptsd' });
  });

  it('needs a change and a reason', () => {
    expect(settingsBody(pcl5(), { 'cutoff.provisional_ptsd': '33' }, 'no change')).toMatchObject({ field: 'settings' });
    expect(settingsBody(pcl5(), { 'cutoff.provisional_ptsd': '32' }, '   ')).toMatchObject({ field: 'reason' });
    expect(settingsBody(pcl5(), { 'cutoff.provisional_ptsd': '32' }, 'x'.repeat(501))).toMatchObject({ field: 'reason' });
  });

  it('reads a version in the clinic’s words and gives each setting its own control id', () => {
    expect(describeValues(pcl5(), { 'cutoff.provisional_ptsd': 31 })).toBe('Cut-off: Provisional PTSD by total score (total at least) 31');
    expect(describeValues(pcl5(), { 'cutoff.provisional_ptsd': 33 })).toContain('33 (default)');
    expect(settingFieldId('pcl5', 'cutoff.provisional_ptsd')).toBe('setting-pcl5-cutoff-provisional_ptsd');
  });
});
