// `ketachart pk` on the command line: the model list, CSV/JSON/SVG output of
// `simulate` (header, the Domino 0.5 mg/kg over 40 min anchor of
// clinical-reference.md A4), one-line errors with a non-zero exit for a weight
// outside 20-300 kg, an unknown model and malformed plans, `tci` holding its
// target, deterministic `population` bands, and `dose`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../support/ketachart.mjs';

const lines = (text) => text.split('\n').filter((l) => l.trim() !== '');
const SIMULATE = ['pk', 'simulate', '--model', 'domino-1984', '--weight-kg', '70'];

test('pk models lists every shipped model with its source', async () => {
  const text = await runCli(['pk', 'models']);
  assert.equal(text.code, 0, text.stderr);
  for (const id of ['domino-1984', 'clements-nimmo-1981', 'hijazi-2003', 'fanta-2015', 'simons-2022', 'perez-ruixo-2021']) {
    assert.match(text.stdout, new RegExp(`^${id}\\b`, 'm'));
  }
  const json = await runCli(['pk', 'models', '--format', 'json']);
  assert.equal(json.code, 0, json.stderr);
  const models = JSON.parse(json.stdout);
  assert.equal(models.length, 6);
  for (const m of models) {
    assert.ok(m.citation.length > 20, m.id);
    for (const [name, p] of Object.entries(m.parameters)) assert.ok(p.source, `${m.id}.${name} has a source`);
  }
});

test('pk simulate CSV has the issue header and reproduces the Domino anchor', async () => {
  const r = await runCli([...SIMULATE, '--infuse', '0.5 mg/kg over 40 min', '--times', '0:240:5', '--format', 'csv']);
  assert.equal(r.code, 0, r.stderr);
  const rows = lines(r.stdout);
  assert.equal(rows[0], 'minute,plasma_ng_per_ml');
  assert.equal(rows.length, 1 + 49);
  const at = Object.fromEntries(rows.slice(1).map((l) => l.split(',').map(Number)));
  // clinical-reference.md A4: Domino predicts ~240 ng/mL at 40 min, 71 at 50, 18 at 230.
  assert.ok(Math.abs(at[40] - 240) < 0.5, `40 min: ${at[40]}`);
  assert.ok(Math.abs(at[50] - 71) < 0.5, `50 min: ${at[50]}`);
  assert.ok(Math.abs(at[230] - 18) < 0.5, `230 min: ${at[230]}`);
  assert.equal(at[0], 0);
});

test('pk simulate with several infusions, a bolus and the effect site', async () => {
  const r = await runCli([...SIMULATE, '--infuse', '0.5 mg/kg over 40 min', '--infuse', '0.3 mg/kg over 30 min at 20 min',
    '--bolus', '20 mg at 0 min', '--times', '0:240:60', '--effect-site']);
  assert.equal(r.code, 0, r.stderr);
  const rows = lines(r.stdout);
  assert.equal(rows[0], 'minute,plasma_ng_per_ml,effect_ng_per_ml');
  assert.match(r.stderr, /ke0 .*UNCONFIRMED/);
  // 20 mg into V1 = 0.063 L/kg x 70 kg at t = 0: 20 / 4.41 L = 4535.1 ng/mL.
  assert.equal(rows[1], '0,4535.1474,0.0000');
});

test('pk simulate JSON reports AUC, time above threshold and a closed mass balance', async () => {
  const r = await runCli([...SIMULATE, '--infuse', '0.5 mg/kg over 40 min', '--pause', '5 min at 20 min',
    '--times', '0:240:1', '--format', 'json', '--threshold-ng-per-ml', '100']);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.model, 'domino-1984');
  assert.equal(out.points.length, 241);
  assert.ok(out.auc_ng_min_per_ml > 0);
  assert.ok(out.minutes_above_threshold > 30 && out.minutes_above_threshold < 50, String(out.minutes_above_threshold));
  assert.ok(Math.abs(out.mass_balance_mg.administered - 35) < 1e-9);
  assert.ok(Math.abs(out.mass_balance_mg.unaccounted) < 1e-9);
  assert.deepEqual(Object.keys(out.points[10].amounts_mg).sort(), ['central', 'peripheral 1', 'peripheral 2']);
});

test('pk simulate SVG shades the 100-250 ng/mL dissociation band', async () => {
  const r = await runCli([...SIMULATE, '--infuse', '0.5 mg/kg over 40 min', '--format', 'svg']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^<svg /);
  assert.match(r.stdout, /class="dissociation-band"/);
  assert.match(r.stdout, /<polyline class="series"/);
});

test('pk simulate intranasal esketamine with Perez-Ruixo 2021', async () => {
  const r = await runCli(['pk', 'simulate', '--model', 'perez-ruixo-2021', '--weight-kg', '70', '--intranasal',
    '56 mg at 0 min', '--times', '0:240:1', '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  // Spravato Tmax 20-40 min after the last device (clinical-reference.md A3); devices at 0 and 5 min.
  assert.ok(out.peak_minute >= 25 && out.peak_minute <= 45, String(out.peak_minute));
  assert.ok(Math.abs(out.mass_balance_mg.unaccounted) < 1e-9);
  const bad = await runCli(['pk', 'simulate', '--model', 'perez-ruixo-2021', '--weight-kg', '70', '--intranasal', '50 mg']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /whole number of 28 mg devices/);
});

test('bad weight, unknown model and malformed plans: one line, non-zero exit', async () => {
  const cases = [
    [['pk', 'simulate', '--model', 'domino-1984', '--weight-kg', '19.9', '--infuse', '0.5 mg/kg over 40 min'], /weight-kg/],
    [['pk', 'simulate', '--model', 'domino-1984', '--weight-kg', '300.5', '--infuse', '0.5 mg/kg over 40 min'], /weight-kg/],
    [['pk', 'simulate', '--model', 'kamp-2020', '--weight-kg', '70', '--infuse', '0.5 mg/kg over 40 min'], /unknown model/],
    [[...SIMULATE, '--infuse', '0.5 mg/kg over'], /infuse/],
    [[...SIMULATE, '--infuse', '0.5 mg/kg over 40 min at -3 min'], /infuse/],
    [[...SIMULATE, '--bolus', 'twenty mg'], /bolus/],
    [[...SIMULATE, '--infuse', '0.5 mg/kg over 40 min', '--times', '0:240:0'], /times/],
    [[...SIMULATE], /no dose/],
    [[...SIMULATE, '--infuse', '0.5 mg/kg over 40 min', '--format', 'xml'], /format/],
    [['pk', 'tci', '--model', 'domino-1984', '--weight-kg', '70', '--target', '150 for 40 min'], /target/],
  ];
  for (const [args, pattern] of cases) {
    const r = await runCli(args);
    assert.equal(r.code, 1, `${args.join(' ')}: exit ${r.code}`);
    assert.equal(lines(r.stderr).length, 1, r.stderr);
    assert.match(r.stderr, /^ketachart: pk \w+: /);
    assert.match(r.stderr, pattern);
    assert.equal(r.stdout, '');
  }
});

test('pk tci holds 150 ng/mL at every pump update', async () => {
  const r = await runCli(['pk', 'tci', '--model', 'domino-1984', '--weight-kg', '70', '--target', '150 ng/mL for 40 min',
    '--update-interval-min', '1', '--syringe-mg-per-ml', '1']);
  assert.equal(r.code, 0, r.stderr);
  const rows = lines(r.stdout);
  assert.equal(rows[0], 'minute,rate_mg_per_h,rate_ml_per_h,predicted_plasma_ng_per_ml_at_end');
  assert.equal(rows.length, 41);
  for (const row of rows.slice(1)) {
    const [, mgPerH, mlPerH, predicted] = row.split(',').map(Number);
    assert.ok(Math.abs(predicted - 150) < 1e-3, row);
    assert.ok(Math.abs(mgPerH - mlPerH) < 1e-3, row);  // 1 mg/mL
  }
});

test('pk population is deterministic per seed and refuses to invent variability', async () => {
  const args = ['pk', 'population', '--model', 'fanta-2015', '--weight-kg', '70', '--infuse', '0.5 mg/kg over 40 min',
    '--times', '0:240:40', '--patients', '300', '--seed', '9'];
  const [a, b] = await Promise.all([runCli(args), runCli(args)]);
  assert.equal(a.code, 0, a.stderr);
  assert.equal(a.stdout, b.stdout);
  const rows = lines(a.stdout);
  assert.equal(rows[0], 'minute,p5_ng_per_ml,p50_ng_per_ml,p95_ng_per_ml');
  for (const row of rows.slice(2)) {
    const [, p5, p50, p95] = row.split(',').map(Number);
    assert.ok(p5 < p50 && p50 < p95, row);
  }
  const other = await runCli([...args.slice(0, -1), '10']);
  assert.notEqual(other.stdout, a.stdout);
  const domino = await runCli(['pk', 'population', '--model', 'domino-1984', '--weight-kg', '70', '--infuse',
    '0.5 mg/kg over 40 min', '--patients', '10']);
  assert.equal(domino.code, 1);
  assert.match(domino.stderr, /assumed-cv .*no published inter-individual variability/);
  const assumed = await runCli(['pk', 'population', '--model', 'domino-1984', '--weight-kg', '70', '--infuse',
    '0.5 mg/kg over 40 min', '--patients', '10', '--assumed-cv', '0.3']);
  assert.equal(assumed.code, 0, assumed.stderr);
  assert.match(assumed.stderr, /ASSUMED: 30% CV/);
});

test('pk dose turns mg/kg into mg, mL to draw and a pump rate', async () => {
  const r = await runCli(['pk', 'dose', '--dose-mg-per-kg', '0.5', '--weight-kg', '72.4', '--weight-date', '2026-11-20',
    '--vial-mg-per-ml', '50', '--diluent-ml', '100', '--duration-min', '40', '--round-mg', '0.5']);
  assert.equal(r.code, 0, r.stderr);
  const d = JSON.parse(r.stdout);
  assert.equal(d.dose_mg, 36);
  assert.equal(d.weight_recorded_on, '2026-11-20');
  assert.ok(Math.abs(d.volume_to_draw_ml - 0.72) < 1e-12);
  assert.ok(Math.abs(d.pump_rate_ml_per_h - 100.72 * 60 / 40) < 1e-9);
  const undiluted = await runCli(['pk', 'dose', '--dose-mg-per-kg', '0.5', '--weight-kg', '70', '--weight-date',
    '2026-11-20', '--vial-mg-per-ml', '100']);
  assert.equal(undiluted.code, 1);
  assert.match(undiluted.stderr, /^ketachart: pk dose: diluent_ml 100 mg\/mL .*undiluted/);
});
