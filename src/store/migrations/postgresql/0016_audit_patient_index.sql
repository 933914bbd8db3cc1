-- The by-patient lookup of the audit trail, kept off the request path (issue
-- 2). The index audit_events_patient (patient_id, id) made every audited read
-- of a random chart dirty one random index leaf in its commit; that page was
-- the largest share of the bytes written per read. It is replaced by
-- audit_patient_index, which a background indexer
-- (services/audit_patient_index.h) fills in sorted batches from the
-- high-water mark in audit_patient_index_mark, so an audit commit touches
-- only right-most pages. A by-patient query reads the indexed rows up to the
-- mark and scans the events after it by primary key, so no event is ever
-- missing from it. The events themselves, their hash chain and their
-- transaction are unchanged; `ketachart audit verify` also checks that this
-- index agrees with the trail. (SQLite keeps the same table WITHOUT ROWID.)
CREATE TABLE audit_patient_index (
  patient_id BIGINT NOT NULL,
  event_id BIGINT NOT NULL,
  PRIMARY KEY (patient_id, event_id)
);

-- One row: every event with id <= indexed_through that names a patient has
-- its row in audit_patient_index.
CREATE TABLE audit_patient_index_mark (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  indexed_through BIGINT NOT NULL
);

-- Existing events are indexed now, in index order (read from the old index).
INSERT INTO audit_patient_index (patient_id, event_id)
  SELECT patient_id, id FROM audit_events WHERE patient_id IS NOT NULL ORDER BY patient_id, id;
INSERT INTO audit_patient_index_mark (id, indexed_through)
  SELECT 1, COALESCE(MAX(id), 0) FROM audit_events;

DROP INDEX audit_events_patient;

-- Rows are only ever added (like the events they point at).
CREATE TRIGGER audit_patient_index_append_only BEFORE UPDATE OR DELETE ON audit_patient_index
  FOR EACH ROW EXECUTE FUNCTION ketachart_refuse_change();
CREATE TRIGGER audit_patient_index_mark_never_deleted BEFORE DELETE ON audit_patient_index_mark
  FOR EACH ROW EXECUTE FUNCTION ketachart_refuse_change();
CREATE FUNCTION ketachart_refuse_mark_backwards() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.indexed_through < OLD.indexed_through THEN
    RAISE EXCEPTION 'the audit patient index mark only moves forward';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER audit_patient_index_mark_forward_only BEFORE UPDATE ON audit_patient_index_mark
  FOR EACH ROW EXECUTE FUNCTION ketachart_refuse_mark_backwards();
