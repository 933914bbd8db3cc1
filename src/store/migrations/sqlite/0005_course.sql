-- The patient's course (issue 6): clinic versions of treatment protocols,
-- intake versions, eligibility decisions with the inputs they saw and the
-- prescribers' overrides of their warnings, versioned consent documents, the
-- patient's signed consents and their revocations, and treatment courses
-- whose state is the last of their append-only transitions. Every table is
-- append-only: corrections are new versions, overrides, revocations or
-- transitions, never edits.

-- A clinic's edit of a shipped protocol is a new version stored here; the
-- shipped versions (data/protocols, embedded) are never copied. A clinic
-- uses the highest version of each protocol, shipped or its own.
CREATE TABLE protocol_versions (
  id INTEGER PRIMARY KEY,
  clinic_id INTEGER NOT NULL REFERENCES clinics(id),
  protocol_id TEXT NOT NULL,
  version INTEGER NOT NULL CHECK (version > 0),
  document TEXT NOT NULL,
  digest TEXT NOT NULL,
  change_reason TEXT NOT NULL CHECK (length(change_reason) > 0),
  created_at TEXT NOT NULL,
  created_by INTEGER NOT NULL REFERENCES users(id),
  UNIQUE (clinic_id, protocol_id, version)
);

-- Intake and assessment, one row per version (version 1, 2, ... per patient).
CREATE TABLE patient_intakes (
  id INTEGER PRIMARY KEY,
  clinic_id INTEGER NOT NULL REFERENCES clinics(id),
  patient_id INTEGER NOT NULL REFERENCES patients(id),
  version INTEGER NOT NULL CHECK (version > 0),
  document TEXT NOT NULL,
  digest TEXT NOT NULL,
  reason TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  recorded_by INTEGER NOT NULL REFERENCES users(id),
  UNIQUE (patient_id, version)
);

-- An evaluation of one intake version against one protocol version, with
-- both digests and every finding as the engine produced it.
CREATE TABLE eligibility_decisions (
  id INTEGER PRIMARY KEY,
  clinic_id INTEGER NOT NULL REFERENCES clinics(id),
  patient_id INTEGER NOT NULL REFERENCES patients(id),
  intake_id INTEGER NOT NULL REFERENCES patient_intakes(id),
  protocol_id TEXT NOT NULL,
  protocol_version INTEGER NOT NULL,
  protocol_digest TEXT NOT NULL,
  intake_digest TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('eligible', 'eligible_with_warnings', 'not_eligible')),
  findings TEXT NOT NULL,
  decided_at TEXT NOT NULL,
  decided_by INTEGER NOT NULL REFERENCES users(id)
);
CREATE INDEX eligibility_decisions_patient ON eligibility_decisions (patient_id, protocol_id, id);

-- A prescriber's override of one warning of one decision, with the reason.
CREATE TABLE eligibility_overrides (
  id INTEGER PRIMARY KEY,
  clinic_id INTEGER NOT NULL REFERENCES clinics(id),
  decision_id INTEGER NOT NULL REFERENCES eligibility_decisions(id),
  rule_id TEXT NOT NULL,
  reason TEXT NOT NULL CHECK (length(reason) > 0),
  overridden_at TEXT NOT NULL,
  overridden_by INTEGER NOT NULL REFERENCES users(id),
  UNIQUE (decision_id, rule_id)
);

-- Consent documents per protocol, versioned (an admin's edit is a new version).
CREATE TABLE consent_documents (
  id INTEGER PRIMARY KEY,
  clinic_id INTEGER NOT NULL REFERENCES clinics(id),
  protocol_id TEXT NOT NULL,
  version INTEGER NOT NULL CHECK (version > 0),
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  valid_for_days INTEGER NOT NULL CHECK (valid_for_days > 0),
  requires_reconsent INTEGER NOT NULL CHECK (requires_reconsent IN (0, 1)),
  change_reason TEXT NOT NULL,
  created_at TEXT NOT NULL,
  created_by INTEGER NOT NULL REFERENCES users(id),
  UNIQUE (clinic_id, protocol_id, version)
);

-- A patient's signature of one consent document version.
CREATE TABLE patient_consents (
  id INTEGER PRIMARY KEY,
  clinic_id INTEGER NOT NULL REFERENCES clinics(id),
  patient_id INTEGER NOT NULL REFERENCES patients(id),
  document_id INTEGER NOT NULL REFERENCES consent_documents(id),
  signed_name TEXT NOT NULL CHECK (length(signed_name) > 0),
  signature_png TEXT NOT NULL,
  signed_on TEXT NOT NULL,
  expires_on TEXT NOT NULL,
  witness_name TEXT NOT NULL CHECK (length(witness_name) > 0),
  recorded_at TEXT NOT NULL,
  recorded_by INTEGER NOT NULL REFERENCES users(id)
);
CREATE INDEX patient_consents_patient ON patient_consents (patient_id, id);

CREATE TABLE consent_revocations (
  consent_id INTEGER PRIMARY KEY REFERENCES patient_consents(id),
  clinic_id INTEGER NOT NULL REFERENCES clinics(id),
  reason TEXT NOT NULL CHECK (length(reason) > 0),
  revoked_at TEXT NOT NULL,
  revoked_by INTEGER NOT NULL REFERENCES users(id)
);

-- A treatment course under one protocol; its state is its last transition's.
CREATE TABLE treatment_courses (
  id INTEGER PRIMARY KEY,
  clinic_id INTEGER NOT NULL REFERENCES clinics(id),
  patient_id INTEGER NOT NULL REFERENCES patients(id),
  protocol_id TEXT NOT NULL,
  goal TEXT NOT NULL,
  created_at TEXT NOT NULL,
  created_by INTEGER NOT NULL REFERENCES users(id)
);
CREATE INDEX treatment_courses_patient ON treatment_courses (patient_id, id);

-- Sequence 1 is the course's creation (to 'evaluation'); concurrent
-- transitions of one course collide on (course_id, sequence).
CREATE TABLE course_transitions (
  id INTEGER PRIMARY KEY,
  clinic_id INTEGER NOT NULL REFERENCES clinics(id),
  course_id INTEGER NOT NULL REFERENCES treatment_courses(id),
  sequence INTEGER NOT NULL CHECK (sequence > 0),
  from_state TEXT,
  to_state TEXT NOT NULL CHECK (to_state IN ('evaluation', 'induction', 'maintenance', 'booster', 'discontinued')),
  reason TEXT NOT NULL,
  protocol_version INTEGER NOT NULL,
  decision_id INTEGER REFERENCES eligibility_decisions(id),
  consent_id INTEGER REFERENCES patient_consents(id),
  reevaluation_due_on TEXT,
  at TEXT NOT NULL,
  by_user INTEGER NOT NULL REFERENCES users(id),
  UNIQUE (course_id, sequence)
);

CREATE TRIGGER protocol_versions_no_update BEFORE UPDATE ON protocol_versions
  BEGIN SELECT RAISE(ABORT, 'protocol versions are append-only'); END;
CREATE TRIGGER protocol_versions_no_delete BEFORE DELETE ON protocol_versions
  BEGIN SELECT RAISE(ABORT, 'protocol versions are append-only'); END;
CREATE TRIGGER patient_intakes_no_update BEFORE UPDATE ON patient_intakes
  BEGIN SELECT RAISE(ABORT, 'patient intakes are append-only'); END;
CREATE TRIGGER patient_intakes_no_delete BEFORE DELETE ON patient_intakes
  BEGIN SELECT RAISE(ABORT, 'patient intakes are append-only'); END;
CREATE TRIGGER eligibility_decisions_no_update BEFORE UPDATE ON eligibility_decisions
  BEGIN SELECT RAISE(ABORT, 'eligibility decisions are append-only'); END;
CREATE TRIGGER eligibility_decisions_no_delete BEFORE DELETE ON eligibility_decisions
  BEGIN SELECT RAISE(ABORT, 'eligibility decisions are append-only'); END;
CREATE TRIGGER eligibility_overrides_no_update BEFORE UPDATE ON eligibility_overrides
  BEGIN SELECT RAISE(ABORT, 'eligibility overrides are append-only'); END;
CREATE TRIGGER eligibility_overrides_no_delete BEFORE DELETE ON eligibility_overrides
  BEGIN SELECT RAISE(ABORT, 'eligibility overrides are append-only'); END;
CREATE TRIGGER consent_documents_no_update BEFORE UPDATE ON consent_documents
  BEGIN SELECT RAISE(ABORT, 'consent documents are append-only'); END;
CREATE TRIGGER consent_documents_no_delete BEFORE DELETE ON consent_documents
  BEGIN SELECT RAISE(ABORT, 'consent documents are append-only'); END;
CREATE TRIGGER patient_consents_no_update BEFORE UPDATE ON patient_consents
  BEGIN SELECT RAISE(ABORT, 'patient consents are append-only'); END;
CREATE TRIGGER patient_consents_no_delete BEFORE DELETE ON patient_consents
  BEGIN SELECT RAISE(ABORT, 'patient consents are append-only'); END;
CREATE TRIGGER consent_revocations_no_update BEFORE UPDATE ON consent_revocations
  BEGIN SELECT RAISE(ABORT, 'consent revocations are append-only'); END;
CREATE TRIGGER consent_revocations_no_delete BEFORE DELETE ON consent_revocations
  BEGIN SELECT RAISE(ABORT, 'consent revocations are append-only'); END;
CREATE TRIGGER treatment_courses_no_update BEFORE UPDATE ON treatment_courses
  BEGIN SELECT RAISE(ABORT, 'treatment courses are append-only'); END;
CREATE TRIGGER treatment_courses_no_delete BEFORE DELETE ON treatment_courses
  BEGIN SELECT RAISE(ABORT, 'treatment courses are append-only'); END;
CREATE TRIGGER course_transitions_no_update BEFORE UPDATE ON course_transitions
  BEGIN SELECT RAISE(ABORT, 'course transitions are append-only'); END;
CREATE TRIGGER course_transitions_no_delete BEFORE DELETE ON course_transitions
  BEGIN SELECT RAISE(ABORT, 'course transitions are append-only'); END;
