-- Per-clinic instrument settings (issue 3): a clinic's choice, within the
-- ranges an instrument's data file allows and cites, of its configurable
-- cut-offs and remission threshold (e.g. the PCL-5 provisional-PTSD cut-off,
-- 31..33). Each change is a new row with the next version for that clinic
-- and instrument, holding every configurable value (defaults filled in), who
-- saved it, when and why; the highest version is in force and nothing is
-- ever updated or deleted. No row: the data file's defaults. Each measure
-- names the settings row it was scored with (NULL: the defaults), so a past
-- score stays explainable after the settings change.
CREATE TABLE clinic_instrument_settings (
  id INTEGER PRIMARY KEY,
  clinic_id INTEGER NOT NULL REFERENCES clinics(id),
  instrument TEXT NOT NULL,
  version INTEGER NOT NULL CHECK (version > 0),
  instrument_version TEXT NOT NULL,
  settings TEXT NOT NULL,
  reason TEXT NOT NULL CHECK (length(reason) > 0),
  saved_at TEXT NOT NULL,
  saved_by INTEGER NOT NULL REFERENCES users(id),
  UNIQUE (clinic_id, instrument, version)
);

CREATE TRIGGER clinic_instrument_settings_no_update BEFORE UPDATE ON clinic_instrument_settings
  BEGIN SELECT RAISE(ABORT, 'instrument settings are append-only'); END;
CREATE TRIGGER clinic_instrument_settings_no_delete BEFORE DELETE ON clinic_instrument_settings
  BEGIN SELECT RAISE(ABORT, 'instrument settings are append-only'); END;

ALTER TABLE patient_measures ADD COLUMN instrument_settings_id INTEGER REFERENCES clinic_instrument_settings(id);
