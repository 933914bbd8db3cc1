// CLI: `ketachart protocol list|show ID` and `ketachart eligibility check`.
// The shipped protocols are listed and shown from the binary (no working-
// directory files: the tests run the CLI from an empty temporary directory);
// a contraindicated intake is not eligible with the rule and source named; a
// warning names its rule; unknown protocols and malformed intakes give one
// line on stderr and exit 1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { REPO_ROOT, runCli, tempDir, writeTempFile } from '../support/ketachart.mjs';

const PROTOCOLS = ['im-racemic-ketamine', 'intranasal-esketamine', 'iv-racemic-ketamine', 'kap-oral-sublingual-ketamine'];

const clean = () => ({
  age_years: 40,
  weight_kg: 70,
  vitals: { systolic_mmhg: 120, diastolic_mmhg: 80, heart_rate_bpm: 70, spo2_percent: 98 },
  medications: [{ name: 'Sertraline', daily_dose_mg: 100, classes: [] }],
});

async function withDir(t) {
  const dir = await tempDir('ketachart-eligibility-');
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function check(t, protocol, intake, extra = []) {
  const dir = await withDir(t);
  const file = await writeTempFile(dir, 'intake.json', typeof intake === 'string' ? intake : JSON.stringify(intake));
  return runCli(['eligibility', 'check', '--protocol', protocol, '--intake', file, ...extra], { cwd: dir });
}

const oneLine = (text) => text.split('\n').filter((l) => l.trim() !== '');

test('protocol list names the four shipped protocols, from any working directory', async (t) => {
  const dir = await withDir(t);
  const result = await runCli(['protocol', 'list', '--format', 'json'], { cwd: dir });
  assert.equal(result.code, 0, result.stderr);
  const list = JSON.parse(result.stdout);
  assert.deepEqual(list.map((p) => p.id), PROTOCOLS);
  for (const p of list) {
    assert.ok(p.version >= 1);
    assert.match(p.digest, /^[0-9a-f]{64}$/);
    assert.ok(p.eligibility_rules > 0);
  }
  const text = await runCli(['protocol', 'list'], { cwd: dir });
  assert.equal(text.code, 0, text.stderr);
  for (const id of PROTOCOLS) assert.match(text.stdout, new RegExp(id));
});

test('protocol show prints the cited document; every quantity has a listed source', async () => {
  const result = await runCli(['protocol', 'show', 'iv-racemic-ketamine']);
  assert.equal(result.code, 0, result.stderr);
  const doc = JSON.parse(result.stdout);
  assert.equal(doc.schema_version, 1);
  assert.equal(doc.id, 'iv-racemic-ketamine');
  const dose = doc.dosing.parameters.find((q) => q.id === 'default_dose');
  assert.equal(dose.value, 0.5);
  assert.equal(dose.unit, 'mg/kg');
  // Walk the document: every object with a numeric "value" names a source in "sources".
  let quantities = 0;
  const walk = (node) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node && typeof node === 'object') {
      if ('value' in node || 'unit' in node) {
        quantities += 1;
        assert.ok(doc.sources[node.source], `quantity ${node.id} cites a listed source`);
        if (!('value' in node)) assert.equal(node.unconfirmed, true, `${node.id} without value is unconfirmed`);
      }
      Object.values(node).forEach(walk);
    }
  };
  walk(doc);
  assert.ok(quantities > 20);
  const systolic = doc.monitoring.alarm_thresholds.find((q) => q.id === 'systolic_max');
  assert.equal(systolic.unconfirmed, true, 'the UNCONFIRMED IV BP threshold is flagged');
});

test('a clean intake is eligible under every protocol', async (t) => {
  for (const protocol of PROTOCOLS) {
    const result = await check(t, protocol, clean());
    assert.equal(result.code, 0, result.stderr);
    const decision = JSON.parse(result.stdout);
    assert.equal(decision.outcome, 'eligible', `${protocol}: ${result.stdout}`);
    assert.deepEqual(decision.findings, []);
    assert.equal(decision.protocol.id, protocol);
    // The shipped version of each protocol, as its data file says (esketamine is v2: the REMS check).
    const shipped = JSON.parse(await readFile(join(REPO_ROOT, 'data', 'protocols', `${protocol}.json`), 'utf8')).version;
    assert.equal(decision.protocol.version, shipped);
    assert.match(decision.fingerprint, new RegExp(`^${protocol}@${shipped}:[0-9a-f]{64}\\+[0-9a-f]{64}$`));
  }
});

test('uncontrolled hypertension is a warning naming the rule, limit and source', async (t) => {
  const intake = clean();
  intake.vitals.systolic_mmhg = 182;
  intake.vitals.diastolic_mmhg = 104;
  const result = await check(t, 'iv-racemic-ketamine', intake);
  assert.equal(result.code, 0, result.stderr);
  const decision = JSON.parse(result.stdout);
  assert.equal(decision.outcome, 'eligible_with_warnings');
  assert.equal(decision.findings.length, 1);
  const [finding] = decision.findings;
  assert.equal(finding.rule_id, 'C3-uncontrolled-hypertension');
  assert.equal(finding.severity, 'warning');
  assert.equal(finding.needs_override, true);
  assert.equal(finding.unconfirmed, true);
  assert.match(finding.message, /baseline 182\/104 mmHg exceeds 180\/100 \(protocol IV racemic ketamine infusion v1/);
  assert.match(finding.source.reference, /clinical-reference\.md C1/);
});

test('an esketamine contraindication is a hard stop; text format shows it', async (t) => {
  const intake = { ...clean(), conditions: ['intracerebral_haemorrhage_history'] };
  const json = await check(t, 'intranasal-esketamine', intake);
  assert.equal(json.code, 0, json.stderr);
  const decision = JSON.parse(json.stdout);
  assert.equal(decision.outcome, 'not_eligible');
  assert.equal(decision.findings[0].rule_id, 'C3-spravato-ich');
  assert.equal(decision.findings[0].severity, 'hard_stop');
  assert.equal(decision.findings[0].needs_override, false);
  assert.match(decision.findings[0].source.citation, /Spravato PI/);
  // The same intake is not contraindicated under the racemic IV protocol (different label).
  const iv = JSON.parse((await check(t, 'iv-racemic-ketamine', intake)).stdout);
  assert.equal(iv.outcome, 'eligible');

  const text = await check(t, 'intranasal-esketamine', intake, ['--format', 'text']);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /not_eligible/);
  assert.match(text.stdout, /\[hard_stop\] history of intracerebral haemorrhage/);
});

test('an unknown protocol exits 1 with one line naming the known ones', async (t) => {
  const result = await check(t, 'iv-ketamine-v9', clean());
  assert.equal(result.code, 1);
  assert.equal(result.stdout, '');
  const lines = oneLine(result.stderr);
  assert.equal(lines.length, 1, result.stderr);
  assert.match(lines[0], /^ketachart: eligibility check: unknown protocol "iv-ketamine-v9" \(known: .*iv-racemic-ketamine/);
  const show = await runCli(['protocol', 'show', 'nope']);
  assert.equal(show.code, 1);
  assert.equal(oneLine(show.stderr).length, 1);
});

test('a malformed intake exits 1 with one line naming the field and the rule', async (t) => {
  const cases = [
    ['{"age_years": 40,', /not valid JSON/],
    [JSON.stringify({ ...clean(), conditions: ['glaucoma'] }), /conditions\[0\] must be one of: /],
    [JSON.stringify({ ...clean(), vitals: { systolic_mmhg: 140 } }), /vitals\.diastolic_mmhg is required/],
    [JSON.stringify({ ...clean(), medications: [{ name: 'X', classes: ['ssri'] }] }), /medications\[0\]\.classes\[0\]/],
    [JSON.stringify({ ...clean(), smoker: true }), /smoker is not a known field/],
    ['[]', /must be a JSON object/],
  ];
  for (const [text, pattern] of cases) {
    const result = await check(t, 'iv-racemic-ketamine', text);
    assert.equal(result.code, 1, `${text}: exit ${result.code}`);
    const lines = oneLine(result.stderr);
    assert.equal(lines.length, 1, result.stderr);
    assert.match(lines[0], /^ketachart: eligibility check: /);
    assert.match(lines[0], pattern);
  }
  const missing = await runCli(['eligibility', 'check', '--protocol', 'iv-racemic-ketamine', '--intake', '/nonexistent/intake.json']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /cannot read intake file/);
});

test('usage errors exit 2', async () => {
  for (const args of [['protocol'], ['eligibility'], ['eligibility', 'check', '--protocol', 'iv-racemic-ketamine'],
    ['eligibility', 'check', '--protocol', 'x', '--intake', 'y', '--format', 'xml']]) {
    const result = await runCli(args);
    assert.equal(result.code, 2, `ketachart ${args.join(' ')}: exit ${result.code}`);
  }
});
