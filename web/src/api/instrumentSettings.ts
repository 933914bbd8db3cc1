// The clinic's instrument settings: each configurable cut-off or remission threshold with its
// default, allowed range and citation from the instrument's data file, the value in force and
// the history of versions (GET, measure.read); saving the next version with a reason (PUT,
// protocol.admin). Measures name the version they were scored with (api/measures.ts).
import { apiRequest } from './client';

export interface InstrumentSetting {
  name: string;
  display: string;
  default: number;
  min: number;
  max: number;
  source: string;
  value: number;
}

export interface InstrumentSettingsVersion {
  version: number;
  values: Record<string, number>;
  reason: string;
  saved_at: string;
  saved_by: string;
  instrument_version: string;
}

export interface InstrumentSettingsEntry {
  instrument: string;
  title: string;
  instrument_version: string;
  version: number;
  origin: 'default' | 'clinic';
  saved_at: string | null;
  saved_by: string | null;
  reason: string | null;
  settings: InstrumentSetting[];
  history: InstrumentSettingsVersion[];
  history_truncated: boolean;
}

export interface SaveInstrumentSettings {
  instrument: string;
  version: number;
  settings: Record<string, number>;
  reason: string;
}

export function listInstrumentSettings(): Promise<{ items: InstrumentSettingsEntry[] }> {
  return apiRequest('GET', '/api/v1/instrument-settings');
}

export function saveInstrumentSettings(body: SaveInstrumentSettings): Promise<InstrumentSettingsEntry> {
  return apiRequest('PUT', '/api/v1/instrument-settings', body);
}
