-- Clinic-configured alert rules (issue 3): a clinic's own conditions on an
-- instrument's score (total at or above / at or below N, an item at or above
-- N, a rise of at least N points from the previous total) raising an alert to
-- the patient's responsible clinician. A rule row is never changed or dropped:
-- changing a rule is retiring it (one row in clinic_alert_rule_retirements, at
-- most one per rule, enforced by the primary key) and creating the new
-- version, which names the rule it replaces. The alerts a rule raises are
-- ordinary measure_alerts rows with code 'clinic_rule_<id>'.
CREATE TABLE clinic_alert_rules (
  id INTEGER PRIMARY KEY,
  clinic_id INTEGER NOT NULL REFERENCES clinics(id),
  instrument TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('total_at_least', 'total_at_most', 'item_at_least', 'rise_at_least')),
  threshold INTEGER NOT NULL,
  item TEXT,
  severity TEXT NOT NULL CHECK (severity IN ('urgent', 'advisory')),
  display TEXT NOT NULL CHECK (length(display) > 0),
  replaces INTEGER REFERENCES clinic_alert_rules(id),
  created_at TEXT NOT NULL,
  created_by INTEGER NOT NULL REFERENCES users(id),
  CHECK ((kind = 'item_at_least') = (item IS NOT NULL))
);
CREATE INDEX clinic_alert_rules_clinic ON clinic_alert_rules (clinic_id, instrument, id);

CREATE TABLE clinic_alert_rule_retirements (
  rule_id INTEGER PRIMARY KEY REFERENCES clinic_alert_rules(id),
  clinic_id INTEGER NOT NULL REFERENCES clinics(id),
  reason TEXT NOT NULL CHECK (length(reason) > 0),
  retired_at TEXT NOT NULL,
  retired_by INTEGER NOT NULL REFERENCES users(id)
);

CREATE TRIGGER clinic_alert_rules_no_update BEFORE UPDATE ON clinic_alert_rules
  BEGIN SELECT RAISE(ABORT, 'clinic alert rules are append-only'); END;
CREATE TRIGGER clinic_alert_rules_no_delete BEFORE DELETE ON clinic_alert_rules
  BEGIN SELECT RAISE(ABORT, 'clinic alert rules are append-only'); END;
CREATE TRIGGER clinic_alert_rule_retirements_no_update BEFORE UPDATE ON clinic_alert_rule_retirements
  BEGIN SELECT RAISE(ABORT, 'alert rule retirements are append-only'); END;
CREATE TRIGGER clinic_alert_rule_retirements_no_delete BEFORE DELETE ON clinic_alert_rule_retirements
  BEGIN SELECT RAISE(ABORT, 'alert rule retirements are append-only'); END;
