-- Controlled-substance ledger (DEA Schedule III), SQLite. Products, storage
-- locations and lots describe the inventory; ledger_entries is the
-- append-only, per-clinic hash-chained record of every receipt, draw,
-- wastage, return, transfer, destruction, loss, count, correction and
-- discrepancy resolution. Quantities are exact integers: micrograms of drug
-- (_ug), microlitres of volume (_ul). ledger_balances is the running balance
-- per lot and location, kept in the same transaction as each entry and
-- re-derivable from the entries (`ketachart ledger verify` compares them).
CREATE TABLE ledger_products (
  id INTEGER PRIMARY KEY,
  clinic_id INTEGER NOT NULL REFERENCES clinics(id),
  drug_name TEXT NOT NULL,
  finished_form TEXT NOT NULL,
  strength_ug_per_ml INTEGER NOT NULL CHECK (strength_ug_per_ml > 0),
  container_volume_ul INTEGER NOT NULL CHECK (container_volume_ul > 0),
  ndc TEXT NOT NULL,
  schedule TEXT NOT NULL,
  created_at TEXT NOT NULL,
  created_by INTEGER REFERENCES users(id),
  UNIQUE (clinic_id, ndc)
);

CREATE TABLE ledger_locations (
  id INTEGER PRIMARY KEY,
  clinic_id INTEGER NOT NULL REFERENCES clinics(id),
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  created_at TEXT NOT NULL,
  created_by INTEGER REFERENCES users(id),
  UNIQUE (clinic_id, name)
);

CREATE TABLE ledger_lots (
  id INTEGER PRIMARY KEY,
  clinic_id INTEGER NOT NULL REFERENCES clinics(id),
  product_id INTEGER NOT NULL REFERENCES ledger_products(id),
  lot_number TEXT NOT NULL,
  expiry_date TEXT NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (clinic_id, product_id, lot_number)
);

CREATE TABLE ledger_entries (
  clinic_id INTEGER NOT NULL REFERENCES clinics(id),
  sequence INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('receive', 'administer', 'waste', 'return', 'transfer', 'destruction',
                                     'loss', 'count', 'correction', 'resolution')),
  occurred_at TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  recorded_by INTEGER NOT NULL REFERENCES users(id),
  lot_id INTEGER REFERENCES ledger_lots(id),
  location_id INTEGER REFERENCES ledger_locations(id),
  to_location_id INTEGER REFERENCES ledger_locations(id),
  quantity_ug INTEGER NOT NULL CHECK (quantity_ug >= 0),
  drawn_ug INTEGER,
  administered_ug INTEGER,
  from_draw INTEGER NOT NULL DEFAULT 0,
  reverses_kind TEXT,
  patient_id INTEGER REFERENCES patients(id),
  dosing_session_id INTEGER,
  related_sequence INTEGER,
  witness1_user_id INTEGER REFERENCES users(id),
  witness2_user_id INTEGER REFERENCES users(id),
  details TEXT NOT NULL,
  previous_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  PRIMARY KEY (clinic_id, sequence)
);
CREATE INDEX ledger_entries_lot ON ledger_entries (clinic_id, lot_id, sequence);
CREATE INDEX ledger_entries_patient ON ledger_entries (clinic_id, patient_id, sequence);
CREATE INDEX ledger_entries_related ON ledger_entries (clinic_id, related_sequence);
-- An entry is reversed at most once; also how "corrected by" is found per entry.
CREATE UNIQUE INDEX ledger_entries_correction ON ledger_entries (clinic_id, related_sequence)
  WHERE kind = 'correction';
CREATE INDEX ledger_entries_time ON ledger_entries (clinic_id, occurred_at);
-- A stock's last count (inventory report) without scanning the lot's history.
CREATE INDEX ledger_entries_stock_kind ON ledger_entries (clinic_id, lot_id, location_id, kind, sequence);

-- Full inventories (initial and biennial counts), one row per count sheet, so
-- the date the next biennial inventory is due is found without a scan.
CREATE TABLE ledger_full_inventories (
  id INTEGER PRIMARY KEY,
  clinic_id INTEGER NOT NULL REFERENCES clinics(id),
  count_kind TEXT NOT NULL CHECK (count_kind IN ('initial', 'biennial')),
  taken_at TEXT NOT NULL,
  first_sequence INTEGER NOT NULL
);
CREATE INDEX ledger_full_inventories_clinic ON ledger_full_inventories (clinic_id, taken_at);

-- One row per clinic: its chain's head (serialises the clinic's ledger writers).
CREATE TABLE ledger_chain_heads (
  clinic_id INTEGER PRIMARY KEY REFERENCES clinics(id),
  last_sequence INTEGER NOT NULL,
  last_hash TEXT NOT NULL
);

CREATE TABLE ledger_balances (
  clinic_id INTEGER NOT NULL REFERENCES clinics(id),
  lot_id INTEGER NOT NULL REFERENCES ledger_lots(id),
  location_id INTEGER NOT NULL REFERENCES ledger_locations(id),
  balance_ug INTEGER NOT NULL CHECK (balance_ug >= 0),
  last_sequence INTEGER NOT NULL,
  PRIMARY KEY (lot_id, location_id)
);
CREATE INDEX ledger_balances_clinic ON ledger_balances (clinic_id, location_id);

-- Opened by a count that differs from the expected balance, or by a loss;
-- closed only by a resolution entry with a reason.
CREATE TABLE ledger_discrepancies (
  id INTEGER PRIMARY KEY,
  clinic_id INTEGER NOT NULL REFERENCES clinics(id),
  cause TEXT NOT NULL CHECK (cause IN ('count_mismatch', 'loss')),
  lot_id INTEGER NOT NULL REFERENCES ledger_lots(id),
  location_id INTEGER NOT NULL REFERENCES ledger_locations(id),
  opened_by_sequence INTEGER NOT NULL,
  expected_ug INTEGER NOT NULL,
  counted_ug INTEGER NOT NULL,
  opened_at TEXT NOT NULL,
  resolved_by_sequence INTEGER,
  resolved_at TEXT,
  resolution_reason TEXT
);
CREATE INDEX ledger_discrepancies_open ON ledger_discrepancies (clinic_id, resolved_by_sequence, id);

-- Append-only ledger; inventory rows are never deleted; a discrepancy is
-- resolved once and is then frozen.
CREATE TRIGGER ledger_entries_no_update BEFORE UPDATE ON ledger_entries
  BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only; record a correction'); END;
CREATE TRIGGER ledger_entries_no_delete BEFORE DELETE ON ledger_entries
  BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only; record a correction'); END;
CREATE TRIGGER ledger_products_no_delete BEFORE DELETE ON ledger_products
  BEGIN SELECT RAISE(ABORT, 'ledger products are never deleted'); END;
CREATE TRIGGER ledger_products_no_update BEFORE UPDATE ON ledger_products
  BEGIN SELECT RAISE(ABORT, 'ledger products are never changed'); END;
CREATE TRIGGER ledger_locations_no_delete BEFORE DELETE ON ledger_locations
  BEGIN SELECT RAISE(ABORT, 'ledger locations are never deleted'); END;
CREATE TRIGGER ledger_lots_no_delete BEFORE DELETE ON ledger_lots
  BEGIN SELECT RAISE(ABORT, 'ledger lots are never deleted'); END;
CREATE TRIGGER ledger_lots_no_update BEFORE UPDATE ON ledger_lots
  BEGIN SELECT RAISE(ABORT, 'ledger lots are never changed'); END;
CREATE TRIGGER ledger_full_inventories_no_update BEFORE UPDATE ON ledger_full_inventories
  BEGIN SELECT RAISE(ABORT, 'inventory records are append-only'); END;
CREATE TRIGGER ledger_full_inventories_no_delete BEFORE DELETE ON ledger_full_inventories
  BEGIN SELECT RAISE(ABORT, 'inventory records are append-only'); END;
CREATE TRIGGER ledger_balances_no_delete BEFORE DELETE ON ledger_balances
  BEGIN SELECT RAISE(ABORT, 'ledger balances are never deleted'); END;
CREATE TRIGGER ledger_discrepancies_no_delete BEFORE DELETE ON ledger_discrepancies
  BEGIN SELECT RAISE(ABORT, 'discrepancy cases are never deleted'); END;
CREATE TRIGGER ledger_discrepancies_resolve_once BEFORE UPDATE ON ledger_discrepancies
  WHEN OLD.resolved_by_sequence IS NOT NULL OR NEW.resolved_by_sequence IS NULL
    OR NEW.resolution_reason IS NULL OR NEW.clinic_id <> OLD.clinic_id OR NEW.cause <> OLD.cause
    OR NEW.lot_id <> OLD.lot_id OR NEW.location_id <> OLD.location_id
    OR NEW.opened_by_sequence <> OLD.opened_by_sequence OR NEW.expected_ug <> OLD.expected_ug
    OR NEW.counted_ug <> OLD.counted_ug OR NEW.opened_at <> OLD.opened_at
  BEGIN SELECT RAISE(ABORT, 'a discrepancy case is resolved once, with a reason, and never changed'); END;
