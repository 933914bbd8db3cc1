// `ketachart measure`: listing the shipped instruments, scoring answers from a script (JSON shape,
// band, subscales, alerts, change against a baseline, clinic settings), one-line errors with a
// non-zero exit for an unknown instrument, a wrong number of answers, an out-of-range value and
// an answer the skip logic did not ask for. Runs from a foreign working directory to show the
// instruments are compiled into the binary.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { runCli } from '../support/ketachart.mjs';

const measure = (...args) => runCli(['measure', ...args], { cwd: tmpdir() });

async function scoreJson(...args) {
  const result = await measure('score', ...args, '--format', 'json');
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout);
}

/** Asserts a one-line error naming `pattern` and exit code 1, with nothing on stdout. */
function assertOneLineError(result, pattern) {
  assert.equal(result.code, 1, `exit code; stderr: ${result.stderr}`);
  assert.equal(result.stdout, '');
  const lines = result.stderr.split('\n').filter((l) => l !== '');
  assert.equal(lines.length, 1, result.stderr);
  assert.match(lines[0], /^ketachart: measure score: /);
  assert.match(lines[0], pattern);
}

test('measure list names every instrument with its kind and LOINC code where one is cited', async () => {
  const result = await measure('list', '--format', 'json');
  assert.equal(result.code, 0, result.stderr);
  const list = JSON.parse(result.stdout);
  const keys = list.map((i) => i.instrument).sort();
  assert.deepEqual(keys, ['aldrete', 'bprs_positive', 'cadss', 'cssrs', 'gad7', 'madrs', 'moaas', 'pcl5', 'phq9', 'qids_sr16']);
  const byKey = Object.fromEntries(list.map((i) => [i.instrument, i]));
  assert.equal(byKey.phq9.loinc, '44261-6');
  assert.equal(byKey.gad7.loinc, '70274-6');
  assert.equal(byKey.pcl5.loinc, undefined);
  assert.equal(byKey.madrs.kind, 'clinician_total');
  assert.equal(byKey.madrs.item_text_shipped, false);
  assert.equal(byKey.phq9.item_text_shipped, true);
  const text = await measure('list', '--format', 'text');
  assert.equal(text.code, 0);
  assert.match(text.stdout, /^phq9\tPatient Health Questionnaire-9/m);
});

test('PHQ-9 with item 9 positive: total, band and the same-day alert', async () => {
  const report = await scoreJson('phq9', '2,2,2,2,1,1,1,0,1');
  assert.equal(report.instrument, 'phq9');
  assert.equal(report.total, 12);
  assert.equal(report.band, 'moderate');
  assert.deepEqual(report.subscales, {});
  assert.equal(report.cutoffs.major_depression_screen.met, true);
  assert.equal(report.alerts.length, 1);
  assert.equal(report.alerts[0].code, 'phq9_item9_positive');
  assert.equal(report.alerts[0].severity, 'urgent');
  const calm = await scoreJson('phq-9', '0,0,0,0,0,0,0,0,0');
  assert.equal(calm.total, 0);
  assert.equal(calm.band, 'minimal');
  assert.deepEqual(calm.alerts, []);
});

test('PHQ-9 against a baseline: response, remission, reliable change', async () => {
  const report = await scoreJson('phq9', '1,1,1,1,0,0,0,0,0', '--baseline', '20');
  assert.equal(report.change.baseline, 20);
  assert.equal(report.change.current, 4);
  assert.equal(report.change.percent_reduction, 80);
  assert.equal(report.change.response, true);
  assert.equal(report.change.remission, true);
  assert.equal(report.change.clinically_significant, true);
  assert.equal(report.change.reliable_change, 'improved');
  assert.equal(report.change.reliable_change_threshold_points, 5.1);
});

test('PCL-5 cluster subscores, DSM-5 rule and the configurable cut-off', async () => {
  const answers = '2,0,0,0,0,2,0,2,2,0,0,0,0,0,2,2,0,0,0,0';
  const report = await scoreJson('pcl5', answers);
  assert.equal(report.total, 12);
  assert.deepEqual(report.subscales, { B: 2, C: 2, D: 4, E: 4 });
  assert.equal(report.symptom_rules.dsm5_provisional_ptsd, true);
  assert.equal(report.cutoffs.provisional_ptsd.at_least, 33);
  assert.equal(report.cutoffs.provisional_ptsd.met, false);
  const at31 = await scoreJson('pcl5', '4,4,4,4,4,4,4,3,0,0,0,0,0,0,0,0,0,0,0,0', '--setting', 'cutoff.provisional_ptsd=31');
  assert.equal(at31.total, 31);
  assert.equal(at31.cutoffs.provisional_ptsd.met, true);
  assert.equal(at31.symptom_rules.dsm5_provisional_ptsd, false);
  const refused = await measure('score', 'pcl5', answers, '--setting', 'cutoff.provisional_ptsd=38');
  assertOneLineError(refused, /cutoff\.provisional_ptsd must be between 31 and 33/);
});

test('C-SSRS screener: skip logic and high-risk triage', async () => {
  const negative = await scoreJson('cssrs', '0,0,,,,0,');
  assert.equal(negative.total, null);
  assert.equal(negative.band, 'negative');
  const high = await scoreJson('cssrs', '1,1,1,1,0,0,');
  assert.equal(high.band, 'high_risk');
  assert.deepEqual(high.alerts.map((a) => a.code), ['cssrs_high_risk']);
  const recent = await scoreJson('cssrs', '0,0,,,,1,1');
  assert.equal(recent.band, 'high_risk');
  const lifetime = await scoreJson('cssrs', '0,0,,,,1,0');
  assert.equal(lifetime.band, 'moderate_risk');
  assert.equal(lifetime.band_unconfirmed, true);
  const skipped = await measure('score', 'cssrs', '0,0,1,,,0,');
  assertOneLineError(skipped, /answers\[2\] item 3 is not asked/);
});

test('QIDS-SR16 takes the highest item of each group', async () => {
  const report = await scoreJson('qids_sr16', '3,0,1,2,2,0,1,3,0,1,1,1,1,1,2,0');
  assert.equal(report.total, 15);
  assert.equal(report.band, 'moderate');
});

test('licensed scales take a clinician-entered total or every item value', async () => {
  const total = await scoreJson('madrs', '35');
  assert.equal(total.total, 35);
  assert.equal(total.band, 'severe');
  const items = await scoreJson('madrs', ',1,1,1,1,1,1,1,1,1,1');
  assert.equal(items.total, 10);
  assert.equal(items.band, 'mild');
  const mismatch = await measure('score', 'madrs', '11,1,1,1,1,1,1,1,1,1,1');
  assertOneLineError(mismatch, /does not equal the sum/);
  const cadss = await scoreJson('cadss', '20');
  assert.equal(cadss.range_unconfirmed, true);
  assert.equal(cadss.band, null);
});

test('MOAA/S 0 and modified Aldrete discharge score', async () => {
  const moaas = await scoreJson('moaas', '0');
  assert.equal(moaas.band, 'loss_of_consciousness');
  assert.equal(moaas.alerts[0].code, 'moaas_loss_of_consciousness');
  const aldrete = await scoreJson('aldrete', '2,2,2,2,1');
  assert.equal(aldrete.total, 9);
  assert.equal(aldrete.cutoffs.discharge_ready.met, true);
});

test('bad input: one line, exit 1, nothing printed on stdout', async () => {
  assertOneLineError(await measure('score', 'phq10', '1,1,1'), /instrument 'phq10' is not a known instrument \(known: .*phq9/);
  assertOneLineError(await measure('score', 'phq9', '1,1,1,1,1,1,1,1'), /answers phq9 takes 9 answers, got 8/);
  assertOneLineError(await measure('score', 'phq9', '1,1,1,1,1,1,1,1,1,1'), /takes 9 answers, got 10/);
  assertOneLineError(await measure('score', 'phq9', '1,1,1,1,1,1,1,1,4'), /answers\[8\] item 9 must be between 0 and 3/);
  assertOneLineError(await measure('score', 'phq9', '1,1,1,,1,1,1,1,1'), /answers\[3\] item 4 is required/);
  assertOneLineError(await measure('score', 'phq9', '1,1,1,one,1,1,1,1,1'), /answers\[3\] 'one' is not a whole number/);
  assertOneLineError(await measure('score', 'gad7', '0,0,0,0,0,0,0', '--baseline', '22'), /baseline must be a gad7 total between 0 and 21/);
  // A usage error (missing ANSWERS) is exit 2 from the argument parser.
  assert.equal((await measure('score', 'phq9')).code, 2);
});

test('text format for people', async () => {
  const result = await measure('score', 'phq9', '3,3,3,3,3,3,3,3,3', '--format', 'text');
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /^phq9 total 27 \(Severe\)/);
  assert.match(result.stdout, /ALERT urgent: PHQ-9 item 9/);
});
