-- Scheduling (issue 6): treatment chairs in rooms with an append-only service
-- history, staff working hours as versioned weekly sets, appointments whose
-- slot and status are the last of their append-only events (booking,
-- reschedule with reason, cancellation with reason: an old slot stays in the
-- history), and the reminders staff sent. Nothing here is updated or deleted.

CREATE TABLE chairs (
  id INTEGER PRIMARY KEY,
  clinic_id INTEGER NOT NULL REFERENCES clinics(id),
  name TEXT NOT NULL CHECK (length(name) > 0),
  room TEXT NOT NULL CHECK (length(room) > 0),
  created_at TEXT NOT NULL,
  created_by INTEGER NOT NULL REFERENCES users(id),
  UNIQUE (clinic_id, name)
);

-- A chair's state is its last row; its creation writes the first (in service).
CREATE TABLE chair_status_changes (
  id INTEGER PRIMARY KEY,
  clinic_id INTEGER NOT NULL REFERENCES clinics(id),
  chair_id INTEGER NOT NULL REFERENCES chairs(id),
  in_service INTEGER NOT NULL CHECK (in_service IN (0, 1)),
  reason TEXT NOT NULL CHECK (length(reason) > 0),
  changed_at TEXT NOT NULL,
  changed_by INTEGER NOT NULL REFERENCES users(id)
);
CREATE INDEX chair_status_changes_chair ON chair_status_changes (chair_id, id);

-- A staff member's weekly working hours in the clinic's local time (JSON
-- {"monday":[["08:00","17:00"]],...}); the row with the highest id is current.
CREATE TABLE staff_working_hours (
  id INTEGER PRIMARY KEY,
  clinic_id INTEGER NOT NULL REFERENCES clinics(id),
  user_id INTEGER NOT NULL REFERENCES users(id),
  hours TEXT NOT NULL,
  reason TEXT NOT NULL,
  set_at TEXT NOT NULL,
  set_by INTEGER NOT NULL REFERENCES users(id)
);
CREATE INDEX staff_working_hours_user ON staff_working_hours (clinic_id, user_id, id);

CREATE TABLE appointments (
  id INTEGER PRIMARY KEY,
  clinic_id INTEGER NOT NULL REFERENCES clinics(id),
  patient_id INTEGER NOT NULL REFERENCES patients(id),
  course_id INTEGER REFERENCES treatment_courses(id),
  kind TEXT NOT NULL CHECK (kind IN ('dosing', 'integration', 'assessment', 'follow_up')),
  series_position INTEGER CHECK (series_position IS NULL OR series_position > 0),
  note TEXT NOT NULL,
  booked_at TEXT NOT NULL,
  booked_by INTEGER NOT NULL REFERENCES users(id)
);
CREATE INDEX appointments_patient ON appointments (patient_id, id);

-- Sequence 1 is the booking; each reschedule or cancellation is the next
-- sequence with the full slot, so concurrent changes collide on
-- (appointment_id, sequence) and the last row is the appointment's state.
CREATE TABLE appointment_events (
  id INTEGER PRIMARY KEY,
  clinic_id INTEGER NOT NULL REFERENCES clinics(id),
  appointment_id INTEGER NOT NULL REFERENCES appointments(id),
  sequence INTEGER NOT NULL CHECK (sequence > 0),
  action TEXT NOT NULL CHECK (action IN ('book', 'reschedule', 'cancel')),
  status TEXT NOT NULL CHECK (status IN ('booked', 'cancelled')),
  chair_id INTEGER NOT NULL REFERENCES chairs(id),
  staff_user_id INTEGER NOT NULL REFERENCES users(id),
  patient_id INTEGER NOT NULL REFERENCES patients(id),
  starts_at TEXT NOT NULL,
  ends_at TEXT NOT NULL CHECK (ends_at > starts_at),
  reason TEXT NOT NULL,
  at TEXT NOT NULL,
  by_user INTEGER NOT NULL REFERENCES users(id),
  UNIQUE (appointment_id, sequence),
  CHECK (action = 'book' OR length(reason) > 0)
);
CREATE INDEX appointment_events_clinic_start ON appointment_events (clinic_id, starts_at);

-- A reminder sent for one slot of an appointment (its event sequence), so a
-- rescheduled appointment is reminded again.
CREATE TABLE appointment_reminders (
  id INTEGER PRIMARY KEY,
  clinic_id INTEGER NOT NULL REFERENCES clinics(id),
  appointment_id INTEGER NOT NULL REFERENCES appointments(id),
  for_sequence INTEGER NOT NULL,
  channel_note TEXT NOT NULL CHECK (length(channel_note) > 0),
  sent_at TEXT NOT NULL,
  sent_by INTEGER NOT NULL REFERENCES users(id)
);
CREATE INDEX appointment_reminders_appointment ON appointment_reminders (appointment_id, for_sequence);

CREATE TRIGGER chairs_no_update BEFORE UPDATE ON chairs
  BEGIN SELECT RAISE(ABORT, 'chairs are append-only'); END;
CREATE TRIGGER chairs_no_delete BEFORE DELETE ON chairs
  BEGIN SELECT RAISE(ABORT, 'chairs are append-only'); END;
CREATE TRIGGER chair_status_changes_no_update BEFORE UPDATE ON chair_status_changes
  BEGIN SELECT RAISE(ABORT, 'chair status changes are append-only'); END;
CREATE TRIGGER chair_status_changes_no_delete BEFORE DELETE ON chair_status_changes
  BEGIN SELECT RAISE(ABORT, 'chair status changes are append-only'); END;
CREATE TRIGGER staff_working_hours_no_update BEFORE UPDATE ON staff_working_hours
  BEGIN SELECT RAISE(ABORT, 'working hours are append-only'); END;
CREATE TRIGGER staff_working_hours_no_delete BEFORE DELETE ON staff_working_hours
  BEGIN SELECT RAISE(ABORT, 'working hours are append-only'); END;
CREATE TRIGGER appointments_no_update BEFORE UPDATE ON appointments
  BEGIN SELECT RAISE(ABORT, 'appointments are append-only'); END;
CREATE TRIGGER appointments_no_delete BEFORE DELETE ON appointments
  BEGIN SELECT RAISE(ABORT, 'appointments are append-only'); END;
CREATE TRIGGER appointment_events_no_update BEFORE UPDATE ON appointment_events
  BEGIN SELECT RAISE(ABORT, 'appointment events are append-only'); END;
CREATE TRIGGER appointment_events_no_delete BEFORE DELETE ON appointment_events
  BEGIN SELECT RAISE(ABORT, 'appointment events are append-only'); END;
CREATE TRIGGER appointment_reminders_no_update BEFORE UPDATE ON appointment_reminders
  BEGIN SELECT RAISE(ABORT, 'appointment reminders are append-only'); END;
CREATE TRIGGER appointment_reminders_no_delete BEFORE DELETE ON appointment_reminders
  BEGIN SELECT RAISE(ABORT, 'appointment reminders are append-only'); END;
