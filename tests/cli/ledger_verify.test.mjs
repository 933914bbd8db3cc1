// `ketachart ledger verify`: passes on an intact controlled-substance ledger; after someone with
// file access drops the append-only trigger and edits one entry, deletes one, or bumps a running
// balance, it exits non-zero with one stderr line naming the first bad entry (or the balance).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { loggedIn, pythonSqlite, runCli, startServer, tempDir } from '../support/ketachart.mjs';

const lines = (text) => text.split('\n').filter((l) => l.trim() !== '');

/** A demo server's data dir holding a small ledger: 1 receipt, 3 administrations, 1 witnessed waste. */
async function ledgerData(t) {
  const server = await startServer({ keepData: true });
  t.after(() => server.stop({ removeData: true }));
  const admin = await loggedIn(server, 'demo.admin');
  const nurse = await loggedIn(server, 'demo.nurse');
  const product = await admin.post('/api/v1/ledger/products', {
    drug_name: 'Ketamine HCl', finished_form: 'injection solution', strength_mg_per_ml: '50',
    container_volume_ml: '10', ndc: '54321-123-45',
  });
  assert.equal(product.status, 201, product.text);
  const location = await admin.post('/api/v1/ledger/locations', { name: 'Verify safe' });
  const receipt = await nurse.post('/api/v1/ledger/entries', {
    kind: 'receive', product_id: product.json.id, lot_number: 'V-1', expiry_date: '2027-01-31',
    location_id: location.json.id, containers: 2, supplier_name: 'Acme', supplier_address: '1 Depot Rd',
    supplier_dea_number: 'RA1234563', invoice_number: 'I-1',
  });
  assert.equal(receipt.status, 201, receipt.text);
  let last;
  for (const patient of [1, 2, 3]) {
    last = await nurse.post('/api/v1/ledger/entries', {
      kind: 'administer', lot_id: receipt.json.lot_id, location_id: location.json.id, patient_id: patient,
      drawn_mg: '40', administered_mg: '35',
    });
    assert.equal(last.status, 201, last.text);
  }
  const waste = await nurse.post('/api/v1/ledger/entries', {
    kind: 'waste', draw_sequence: last.json.sequence, quantity_mg: '5', manner: 'disposal container',
    witness: { username: 'demo.prescriber', password: 'ketachart-demo' },
  });
  assert.equal(waste.status, 201, waste.text);
  await server.stop({ removeData: false });
  return { dataDir: server.dataDir, firstSequence: receipt.json.sequence, lastSequence: waste.json.sequence };
}

async function copyOf(t, dataDir) {
  const dir = await tempDir('ketachart-ledger-');
  t.after(() => rm(dir, { recursive: true, force: true }));
  await mkdir(dir, { recursive: true });
  // The database with its WAL files, if any are left.
  for (const name of await readdir(dataDir)) {
    if (name.startsWith('ketachart.db')) await copyFile(join(dataDir, name), join(dir, name));
  }
  return dir;
}

test('ledger verify passes, then names the entry edited, the entry deleted and a forged balance', async (t) => {
  const { dataDir, firstSequence, lastSequence } = await ledgerData(t);
  const clean = await runCli(['ledger', 'verify', '--data-dir', dataDir]);
  assert.equal(clean.code, 0, clean.stderr);
  assert.match(clean.stdout, /intact: \d+ entries/);

  // The trigger refuses a plain edit.
  const refused = await pythonSqlite(
    `db = sqlite3.connect(sys.argv[1])
try:
    db.execute("UPDATE ledger_entries SET quantity_ug = 1 WHERE sequence = 1"); db.commit(); print("updated")
except sqlite3.DatabaseError:
    print("refused")`,
    [join(dataDir, 'ketachart.db')],
  );
  assert.equal(refused.trim(), 'refused');

  // An administration's administered amount is raised to hide a diversion.
  const edited = await copyOf(t, dataDir);
  const target = firstSequence + 2;
  await pythonSqlite(
    `db = sqlite3.connect(sys.argv[1])
db.execute("DROP TRIGGER ledger_entries_no_update")
db.execute("UPDATE ledger_entries SET administered_ug = 40000 WHERE sequence = ?", (int(sys.argv[2]),))
db.commit()`,
    [join(edited, 'ketachart.db'), String(target)],
  );
  const afterEdit = await runCli(['ledger', 'verify', '--data-dir', edited]);
  assert.notEqual(afterEdit.code, 0, afterEdit.stdout);
  assert.equal(lines(afterEdit.stderr).length, 1, afterEdit.stderr);
  assert.match(afterEdit.stderr, new RegExp(`^ketachart: ledger verify: clinic \\d+ entry ${target}: .*altered`), afterEdit.stderr);

  // An entry removed from the middle.
  const deleted = await copyOf(t, dataDir);
  await pythonSqlite(
    `db = sqlite3.connect(sys.argv[1])
db.execute("DROP TRIGGER ledger_entries_no_delete")
db.execute("DELETE FROM ledger_entries WHERE sequence = ?", (int(sys.argv[2]),))
db.commit()`,
    [join(deleted, 'ketachart.db'), String(firstSequence + 1)],
  );
  const afterDelete = await runCli(['ledger', 'verify', '--data-dir', deleted]);
  assert.notEqual(afterDelete.code, 0);
  assert.match(afterDelete.stderr, new RegExp(`entry ${firstSequence + 1}: entry ${firstSequence + 1} is missing`), afterDelete.stderr);

  // The last entry removed (the chain head no longer matches).
  const truncated = await copyOf(t, dataDir);
  await pythonSqlite(
    `db = sqlite3.connect(sys.argv[1])
db.execute("DROP TRIGGER ledger_entries_no_delete")
db.execute("DELETE FROM ledger_entries WHERE sequence = ?", (int(sys.argv[2]),))
db.commit()`,
    [join(truncated, 'ketachart.db'), String(lastSequence)],
  );
  const afterTruncate = await runCli(['ledger', 'verify', '--data-dir', truncated]);
  assert.notEqual(afterTruncate.code, 0);
  assert.match(afterTruncate.stderr, /chain head/, afterTruncate.stderr);

  // A running balance raised without any entry.
  const forged = await copyOf(t, dataDir);
  await pythonSqlite(
    `db = sqlite3.connect(sys.argv[1])
db.execute("UPDATE ledger_balances SET balance_ug = balance_ug + 100000")
db.commit()`,
    [join(forged, 'ketachart.db')],
  );
  const afterForge = await runCli(['ledger', 'verify', '--data-dir', forged]);
  assert.notEqual(afterForge.code, 0);
  assert.match(afterForge.stderr, /stored balance of lot \d+ at location \d+/, afterForge.stderr);
});
