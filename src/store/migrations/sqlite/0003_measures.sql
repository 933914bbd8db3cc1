-- Measurement-based care (issue 3): scored rating-scale measures in the
-- chart, the safety alerts they raise, and the acknowledgement of each alert
-- with an action note. All three are append-only clinical records: an alert
-- is never changed or dropped; acknowledging it adds one row (at most one per
-- alert, enforced by the primary key).
CREATE TABLE patient_measures (
  id INTEGER PRIMARY KEY,
  patient_id INTEGER NOT NULL REFERENCES patients(id),
  clinic_id INTEGER NOT NULL REFERENCES clinics(id),
  instrument TEXT NOT NULL,
  instrument_version TEXT NOT NULL,
  administered_at TEXT NOT NULL,
  answers TEXT NOT NULL,
  total INTEGER,
  band TEXT,
  result TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  recorded_by INTEGER NOT NULL REFERENCES users(id),
  note TEXT NOT NULL
);
CREATE INDEX patient_measures_patient ON patient_measures (patient_id, administered_at, id);

CREATE TABLE measure_alerts (
  id INTEGER PRIMARY KEY,
  clinic_id INTEGER NOT NULL REFERENCES clinics(id),
  patient_id INTEGER NOT NULL REFERENCES patients(id),
  measure_id INTEGER NOT NULL REFERENCES patient_measures(id),
  code TEXT NOT NULL,
  severity TEXT NOT NULL CHECK (severity IN ('urgent', 'advisory')),
  display TEXT NOT NULL,
  raised_at TEXT NOT NULL
);
CREATE INDEX measure_alerts_clinic ON measure_alerts (clinic_id, id);
CREATE INDEX measure_alerts_patient ON measure_alerts (patient_id, id);

CREATE TABLE measure_alert_acknowledgements (
  alert_id INTEGER PRIMARY KEY REFERENCES measure_alerts(id),
  clinic_id INTEGER NOT NULL REFERENCES clinics(id),
  acknowledged_at TEXT NOT NULL,
  acknowledged_by INTEGER NOT NULL REFERENCES users(id),
  action_note TEXT NOT NULL CHECK (length(action_note) > 0)
);

CREATE TRIGGER patient_measures_no_update BEFORE UPDATE ON patient_measures
  BEGIN SELECT RAISE(ABORT, 'measures are append-only'); END;
CREATE TRIGGER patient_measures_no_delete BEFORE DELETE ON patient_measures
  BEGIN SELECT RAISE(ABORT, 'measures are append-only'); END;
CREATE TRIGGER measure_alerts_no_update BEFORE UPDATE ON measure_alerts
  BEGIN SELECT RAISE(ABORT, 'measure alerts are append-only'); END;
CREATE TRIGGER measure_alerts_no_delete BEFORE DELETE ON measure_alerts
  BEGIN SELECT RAISE(ABORT, 'measure alerts are append-only'); END;
CREATE TRIGGER measure_alert_acknowledgements_no_update BEFORE UPDATE ON measure_alert_acknowledgements
  BEGIN SELECT RAISE(ABORT, 'alert acknowledgements are append-only'); END;
CREATE TRIGGER measure_alert_acknowledgements_no_delete BEFORE DELETE ON measure_alert_acknowledgements
  BEGIN SELECT RAISE(ABORT, 'alert acknowledgements are append-only'); END;

-- Single-use, expiring links that let a patient complete a self-report
-- instrument without an account. Only the SHA-256 of the token is stored.
-- A link may change once: from unused to used (with the measure it produced).
CREATE TABLE self_report_links (
  id INTEGER PRIMARY KEY,
  clinic_id INTEGER NOT NULL REFERENCES clinics(id),
  patient_id INTEGER NOT NULL REFERENCES patients(id),
  instrument TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  created_by INTEGER NOT NULL REFERENCES users(id),
  expires_at TEXT NOT NULL,
  used_at TEXT,
  measure_id INTEGER REFERENCES patient_measures(id)
);
CREATE INDEX self_report_links_patient ON self_report_links (patient_id, id);
CREATE TRIGGER self_report_links_used_once BEFORE UPDATE ON self_report_links
  WHEN OLD.used_at IS NOT NULL OR NEW.used_at IS NULL OR NEW.measure_id IS NULL
    OR NEW.token_hash <> OLD.token_hash OR NEW.patient_id <> OLD.patient_id OR NEW.clinic_id <> OLD.clinic_id
    OR NEW.instrument <> OLD.instrument OR NEW.expires_at <> OLD.expires_at
  BEGIN SELECT RAISE(ABORT, 'a self-report link is used once and never changed otherwise'); END;
CREATE TRIGGER self_report_links_no_delete BEFORE DELETE ON self_report_links
  BEGIN SELECT RAISE(ABORT, 'self-report links are never deleted'); END;
