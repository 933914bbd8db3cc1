-- Esketamine devices on the session timeline (docs/sessions.md "Esketamine
-- devices"): the event kind 'device'.
ALTER TABLE session_events DROP CONSTRAINT session_events_kind_check;
ALTER TABLE session_events ADD CONSTRAINT session_events_kind_check CHECK (kind IN ('check_in', 'readiness',
  'dose_order', 'start', 'device', 'rate_change', 'pause', 'resume', 'stop', 'rescue_medication', 'vitals', 'score',
  'adverse_event', 'ready_for_discharge', 'discharge', 'cancel'));
