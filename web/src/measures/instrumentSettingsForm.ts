// Pure helpers of the instrument settings page: the choices each setting offers (its allowed
// range, the data file's default marked), the body the API takes from the form (only changed
// values, the next version, a reason; the server checks the range again and names the setting),
// where a server error belongs on the form, and how a version's values read in the history.
import type { InstrumentSetting, InstrumentSettingsEntry, SaveInstrumentSettings } from '../api/instrumentSettings';

/** The DOM id of a setting's control ("cutoff.provisional_ptsd" of pcl5 -> "setting-pcl5-cutoff-provisional_ptsd"). */
export function settingFieldId(instrument: string, name: string): string {
  return `setting-${instrument}-${name.replace(/[^A-Za-z0-9_-]+/g, '-')}`;
}

/** Every allowed value, lowest first, the data file's default marked. */
export function settingOptions(setting: InstrumentSetting): { value: string; label: string }[] {
  const options: { value: string; label: string }[] = [];
  for (let v = setting.min; v <= setting.max; v++) {
    options.push({ value: String(v), label: v === setting.default ? `${v} (default)` : String(v) });
  }
  return options;
}

/** The form's starting values: the values in force. */
export function initialValues(entry: InstrumentSettingsEntry): Record<string, string> {
  return Object.fromEntries(entry.settings.map((s) => [s.name, String(s.value)]));
}

/**
 * The request body, or the field ("settings.<name>", "reason" or "settings") and message the form
 * shows without asking the server.
 */
export function settingsBody(
  entry: InstrumentSettingsEntry,
  chosen: Record<string, string>,
  reason: string,
): { body: SaveInstrumentSettings } | { field: string; message: string } {
  const settings: Record<string, number> = {};
  for (const s of entry.settings) {
    const text = (chosen[s.name] ?? String(s.value)).trim();
    if (!/^-?\d+$/.test(text)) return { field: `settings.${s.name}`, message: 'Enter a whole number.' };
    const value = Number(text);
    if (value < s.min || value > s.max) {
      return { field: `settings.${s.name}`, message: `Must be between ${s.min} and ${s.max} (${s.source}).` };
    }
    if (value !== s.value) settings[s.name] = value;
  }
  if (Object.keys(settings).length === 0) return { field: 'settings', message: 'Change at least one value to save a new version.' };
  const why = reason.trim();
  if (!why) return { field: 'reason', message: 'Give the reason for the change.' };
  if (why.length > 500) return { field: 'reason', message: 'Keep the reason to 500 characters.' };
  return { body: { instrument: entry.instrument, version: entry.version + 1, settings, reason: why } };
}

/** "Cut-off: … 31; Remission: … 10", in the order the instrument lists its settings. */
export function describeValues(entry: InstrumentSettingsEntry, values: Record<string, number>): string {
  return entry.settings
    .filter((s) => values[s.name] !== undefined)
    .map((s) => `${s.display} ${values[s.name]}${values[s.name] === s.default ? ' (default)' : ''}`)
    .join('; ');
}
