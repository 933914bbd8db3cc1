-- Esketamine REMS (issue 7): the patient's enrolment status (append-only,
-- the latest row is the status) and the Patient Monitoring Form submitted
-- after each session. A submission is final; a correction is a new row that
-- names the one it amends.
CREATE TABLE rems_enrolments (
  id INTEGER PRIMARY KEY,
  clinic_id INTEGER NOT NULL REFERENCES clinics(id),
  patient_id INTEGER NOT NULL REFERENCES patients(id),
  status TEXT NOT NULL CHECK (status IN ('enrolled', 'not_enrolled')),
  rems_patient_id TEXT NOT NULL,
  effective_on TEXT NOT NULL,
  note TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  recorded_by INTEGER NOT NULL REFERENCES users(id)
);
CREATE INDEX rems_enrolments_patient ON rems_enrolments (patient_id, id);

CREATE TABLE rems_monitoring_forms (
  id INTEGER PRIMARY KEY,
  clinic_id INTEGER NOT NULL REFERENCES clinics(id),
  session_id INTEGER NOT NULL REFERENCES dosing_sessions(id),
  amends_id INTEGER REFERENCES rems_monitoring_forms(id),
  answers TEXT NOT NULL,
  submitted_on TEXT NOT NULL,
  confirmation TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  recorded_by INTEGER NOT NULL REFERENCES users(id)
);
CREATE INDEX rems_monitoring_forms_session ON rems_monitoring_forms (session_id, id);

CREATE TRIGGER rems_enrolments_no_update BEFORE UPDATE ON rems_enrolments
  BEGIN SELECT RAISE(ABORT, 'rems enrolments are append-only'); END;
CREATE TRIGGER rems_enrolments_no_delete BEFORE DELETE ON rems_enrolments
  BEGIN SELECT RAISE(ABORT, 'rems enrolments are append-only'); END;
CREATE TRIGGER rems_monitoring_forms_no_update BEFORE UPDATE ON rems_monitoring_forms
  BEGIN SELECT RAISE(ABORT, 'rems monitoring forms are append-only'); END;
CREATE TRIGGER rems_monitoring_forms_no_delete BEFORE DELETE ON rems_monitoring_forms
  BEGIN SELECT RAISE(ABORT, 'rems monitoring forms are append-only'); END;
