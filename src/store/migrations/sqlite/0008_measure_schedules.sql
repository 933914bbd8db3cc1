-- Measure schedules and the responsible clinician (issue 3). A schedule makes
-- an instrument fall due for one patient (before each dosing session, every N
-- days, N days after each session); stopping it adds one row (at most one per
-- schedule, enforced by the primary key) and never changes or drops it. The
-- patient's responsible clinician, who receives the patient's safety alerts,
-- is the latest row of patient_responsible_clinicians. All append-only.
CREATE TABLE measure_schedules (
  id INTEGER PRIMARY KEY,
  clinic_id INTEGER NOT NULL REFERENCES clinics(id),
  patient_id INTEGER NOT NULL REFERENCES patients(id),
  instrument TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('before_each_session', 'every_n_days', 'n_days_after_each_session')),
  interval_days INTEGER NOT NULL CHECK (interval_days BETWEEN 0 AND 365),
  reset_on_treatment INTEGER NOT NULL CHECK (reset_on_treatment IN (0, 1)),
  start_date TEXT NOT NULL,
  note TEXT NOT NULL,
  created_at TEXT NOT NULL,
  created_by INTEGER NOT NULL REFERENCES users(id)
);
CREATE INDEX measure_schedules_patient ON measure_schedules (patient_id, id);
CREATE INDEX measure_schedules_clinic ON measure_schedules (clinic_id, id);

CREATE TABLE measure_schedule_stops (
  schedule_id INTEGER PRIMARY KEY REFERENCES measure_schedules(id),
  clinic_id INTEGER NOT NULL REFERENCES clinics(id),
  reason TEXT NOT NULL CHECK (length(reason) > 0),
  stopped_at TEXT NOT NULL,
  stopped_by INTEGER NOT NULL REFERENCES users(id)
);

CREATE TABLE patient_responsible_clinicians (
  id INTEGER PRIMARY KEY,
  clinic_id INTEGER NOT NULL REFERENCES clinics(id),
  patient_id INTEGER NOT NULL REFERENCES patients(id),
  clinician_id INTEGER NOT NULL REFERENCES users(id),
  reason TEXT NOT NULL,
  set_at TEXT NOT NULL,
  set_by INTEGER NOT NULL REFERENCES users(id)
);
CREATE INDEX patient_responsible_clinicians_patient ON patient_responsible_clinicians (patient_id, id);
CREATE INDEX patient_responsible_clinicians_clinician ON patient_responsible_clinicians (clinic_id, clinician_id);

CREATE TRIGGER measure_schedules_no_update BEFORE UPDATE ON measure_schedules
  BEGIN SELECT RAISE(ABORT, 'measure schedules are append-only'); END;
CREATE TRIGGER measure_schedules_no_delete BEFORE DELETE ON measure_schedules
  BEGIN SELECT RAISE(ABORT, 'measure schedules are append-only'); END;
CREATE TRIGGER measure_schedule_stops_no_update BEFORE UPDATE ON measure_schedule_stops
  BEGIN SELECT RAISE(ABORT, 'measure schedule stops are append-only'); END;
CREATE TRIGGER measure_schedule_stops_no_delete BEFORE DELETE ON measure_schedule_stops
  BEGIN SELECT RAISE(ABORT, 'measure schedule stops are append-only'); END;
CREATE TRIGGER patient_responsible_clinicians_no_update BEFORE UPDATE ON patient_responsible_clinicians
  BEGIN SELECT RAISE(ABORT, 'responsible clinician assignments are append-only'); END;
CREATE TRIGGER patient_responsible_clinicians_no_delete BEFORE DELETE ON patient_responsible_clinicians
  BEGIN SELECT RAISE(ABORT, 'responsible clinician assignments are append-only'); END;
