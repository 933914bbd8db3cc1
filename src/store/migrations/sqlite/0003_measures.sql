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
