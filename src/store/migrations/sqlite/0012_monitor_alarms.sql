-- Bedside monitors at the chair (issue 5): which chair each monitor stands at,
-- what became of each observation (taken by the chair's active session,
-- assigned by staff, or discarded with a reason), the clinic's alarm policy
-- and the alarms it raises. Everything clinical is append-only:
-- * a device's chair is its latest binding row (chair_id NULL: unbound);
-- * an observation's fate is one disposition row (the primary key makes it
--   final); monitor_unassigned_queue only indexes the observations still
--   waiting, and its rows are removed in the transaction that writes their
--   disposition (it is an index, not a record);
-- * the alarm policy is versioned per clinic; the highest version is used;
-- * an alarm's state is the fold of its events (raised, tier_changed,
--   escalated, acknowledged, cleared).
CREATE TABLE monitor_device_bindings (
  id INTEGER PRIMARY KEY,
  clinic_id INTEGER NOT NULL REFERENCES clinics(id),
  device_id TEXT NOT NULL,
  chair_id INTEGER REFERENCES chairs(id),
  bound_at TEXT NOT NULL,
  bound_by INTEGER NOT NULL REFERENCES users(id)
);
CREATE INDEX monitor_device_bindings_device ON monitor_device_bindings (clinic_id, device_id, id);

CREATE TABLE monitor_observation_dispositions (
  observation_id INTEGER PRIMARY KEY REFERENCES monitor_observations(id),
  clinic_id INTEGER NOT NULL REFERENCES clinics(id),
  disposition TEXT NOT NULL CHECK (disposition IN ('session', 'discarded')),
  session_id INTEGER REFERENCES dosing_sessions(id),
  reason TEXT,
  decided_at TEXT NOT NULL,
  decided_by INTEGER REFERENCES users(id),
  CHECK ((disposition = 'session') = (session_id IS NOT NULL)),
  CHECK (disposition = 'session' OR (reason IS NOT NULL AND length(reason) > 0))
);
CREATE INDEX monitor_observation_dispositions_session
  ON monitor_observation_dispositions (session_id, observation_id);

CREATE TABLE monitor_unassigned_queue (
  observation_id INTEGER PRIMARY KEY REFERENCES monitor_observations(id),
  clinic_id INTEGER NOT NULL REFERENCES clinics(id)
);
CREATE INDEX monitor_unassigned_queue_clinic ON monitor_unassigned_queue (clinic_id, observation_id);
INSERT INTO monitor_unassigned_queue (observation_id, clinic_id) SELECT id, clinic_id FROM monitor_observations;

CREATE TABLE monitor_alarm_policies (
  id INTEGER PRIMARY KEY,
  clinic_id INTEGER NOT NULL REFERENCES clinics(id),
  version INTEGER NOT NULL CHECK (version > 0),
  document TEXT NOT NULL,
  saved_at TEXT NOT NULL,
  saved_by INTEGER NOT NULL REFERENCES users(id),
  UNIQUE (clinic_id, version)
);

CREATE TABLE monitor_alarms (
  id INTEGER PRIMARY KEY,
  clinic_id INTEGER NOT NULL REFERENCES clinics(id),
  session_id INTEGER NOT NULL REFERENCES dosing_sessions(id),
  parameter TEXT NOT NULL,
  unit TEXT NOT NULL,
  raised_at TEXT NOT NULL
);
CREATE INDEX monitor_alarms_session ON monitor_alarms (session_id, parameter, id);
CREATE INDEX monitor_alarms_clinic ON monitor_alarms (clinic_id, id);

CREATE TABLE monitor_alarm_events (
  id INTEGER PRIMARY KEY,
  clinic_id INTEGER NOT NULL REFERENCES clinics(id),
  alarm_id INTEGER NOT NULL REFERENCES monitor_alarms(id),
  sequence INTEGER NOT NULL CHECK (sequence > 0),
  kind TEXT NOT NULL CHECK (kind IN ('raised', 'tier_changed', 'escalated', 'acknowledged', 'cleared')),
  tier TEXT NOT NULL CHECK (tier IN ('advisory', 'warning', 'critical')),
  rule_id TEXT NOT NULL,
  rule_label TEXT NOT NULL,
  value TEXT,
  limit_value TEXT,
  note TEXT,
  observation_id INTEGER REFERENCES monitor_observations(id),
  occurred_at TEXT NOT NULL,
  recorded_by INTEGER REFERENCES users(id),
  UNIQUE (alarm_id, sequence)
);

CREATE INDEX dosing_sessions_chair ON dosing_sessions (clinic_id, chair, checked_in_at);

CREATE TRIGGER monitor_device_bindings_no_update BEFORE UPDATE ON monitor_device_bindings
  BEGIN SELECT RAISE(ABORT, 'device bindings are append-only'); END;
CREATE TRIGGER monitor_device_bindings_no_delete BEFORE DELETE ON monitor_device_bindings
  BEGIN SELECT RAISE(ABORT, 'device bindings are append-only'); END;
CREATE TRIGGER monitor_observation_dispositions_no_update BEFORE UPDATE ON monitor_observation_dispositions
  BEGIN SELECT RAISE(ABORT, 'observation dispositions are append-only'); END;
CREATE TRIGGER monitor_observation_dispositions_no_delete BEFORE DELETE ON monitor_observation_dispositions
  BEGIN SELECT RAISE(ABORT, 'observation dispositions are append-only'); END;
CREATE TRIGGER monitor_alarm_policies_no_update BEFORE UPDATE ON monitor_alarm_policies
  BEGIN SELECT RAISE(ABORT, 'alarm policies are append-only'); END;
CREATE TRIGGER monitor_alarm_policies_no_delete BEFORE DELETE ON monitor_alarm_policies
  BEGIN SELECT RAISE(ABORT, 'alarm policies are append-only'); END;
CREATE TRIGGER monitor_alarms_no_update BEFORE UPDATE ON monitor_alarms
  BEGIN SELECT RAISE(ABORT, 'monitor alarms are append-only'); END;
CREATE TRIGGER monitor_alarms_no_delete BEFORE DELETE ON monitor_alarms
  BEGIN SELECT RAISE(ABORT, 'monitor alarms are append-only'); END;
CREATE TRIGGER monitor_alarm_events_no_update BEFORE UPDATE ON monitor_alarm_events
  BEGIN SELECT RAISE(ABORT, 'monitor alarm events are append-only'); END;
CREATE TRIGGER monitor_alarm_events_no_delete BEFORE DELETE ON monitor_alarm_events
  BEGIN SELECT RAISE(ABORT, 'monitor alarm events are append-only'); END;
