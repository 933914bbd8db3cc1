-- A correction of a REMS Patient Monitoring Form submission (amends_id) says
-- why it corrects the earlier one (docs/sessions.md); first submissions keep ''.
ALTER TABLE rems_monitoring_forms ADD COLUMN reason TEXT NOT NULL DEFAULT '';
