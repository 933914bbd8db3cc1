// Independent-solver check of the pharmacology engine: every shipped model,
// five dosing plans each, simulated by `ketachart pk simulate` (exact matrix
// exponential) and by R's deSolve (lsoda, rtol 1e-11, atol 1e-13) integrating
// ODEs written here from the published constants in data/pk-models/*.json,
// restarted at each dosing discontinuity. Plasma concentrations must agree to
// 1e-6 relative. Nothing here reuses the C++ model builder: the unit
// conversions, structures, pauses and intranasal device rules are written
// again for R.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { REPO_ROOT, run, runCli, tempDir, writeTempFile } from '../support/ketachart.mjs';

const MODELS_DIR = join(REPO_ROOT, 'data', 'pk-models');
const PER_MIN = { '1/min': 1, '1/h': 1 / 60, 'L/min': 1, 'L/h': 1 / 60, L: 1, 'L/kg': 1, fraction: 1, h: 60, min: 1 };

function constants(model) {
  const c = {};
  for (const [name, p] of Object.entries(model.parameters)) c[name] = p.value * PER_MIN[p.unit];
  return c;
}

function grid(first, last, step) {
  const t = [];
  for (let k = 0; first + k * step <= last + 1e-9; k++) t.push(first + k * step);
  return t;
}

/** Intervals an infusion runs once pauses stop every pump (written again, not the C++ code). */
function runningIntervals(start, duration, pauses) {
  const out = [];
  let t = start;
  let left = duration;
  for (const [p0, len] of [...pauses].sort((a, b) => a[0] - b[0])) {
    const p1 = p0 + len;
    if (left <= 0 || p1 <= t) continue;
    if (p0 <= t) { t = p1; continue; }
    const run = Math.min(left, p0 - t);
    out.push([t, t + run]);
    left -= run;
    t = p1;
  }
  if (left > 0) out.push([t, t + left]);
  return out;
}

// Plans: CLI arguments plus the same plan as R inputs (state names of the R ODEs).
const IV_PLANS = [
  { weight: 70, times: grid(0, 240, 5), infuse: [[0.5, 40, 0]], bolus: [], pause: [] },
  { weight: 55, times: grid(0, 240, 5), infuse: [[0.3, 30, 20]], bolus: [[20, 0]], pause: [] },
  { weight: 92.5, times: grid(0, 300, 2.5), infuse: [[0.5, 40, 0], [0.2, 60, 10]], bolus: [], pause: [[20, 5], [50, 10]] },
  { weight: 120, times: grid(0, 480, 10), infuse: [[0.75, 100, 0]], bolus: [[12, 100]], pause: [] },
  { weight: 48, times: [0, 0.5, 1, 3, 7, 15, 30, 59, 61, 62, 63, 90, 91, 120, 180, 240], infuse: [[0.1, 2, 60]],
    bolus: [[10, 0], [15, 90]], pause: [] },
];

function ivCase(plan) {
  const args = ['--weight-kg', String(plan.weight), '--times', plan.times.join(',')];
  const segments = [];
  const boluses = [];
  for (const [mgPerKg, minutes, start] of plan.infuse) {
    args.push('--infuse', `${mgPerKg} mg/kg over ${minutes} min at ${start} min`);
    const rate = (mgPerKg * plan.weight) / minutes;
    for (const [a, b] of runningIntervals(start, minutes, plan.pause)) segments.push({ a, b, state: 'A1', rate });
  }
  for (const [mg, at] of plan.bolus) {
    args.push('--bolus', `${mg} mg at ${at} min`);
    boluses.push({ t: at, state: 'A1', mg });
  }
  for (const [at, len] of plan.pause) args.push('--pause', `${len} min at ${at} min`);
  return { args, segments, boluses, times: plan.times, weight: plan.weight };
}

function intranasalCases(model) {
  const c = constants(model);
  const device = model.intranasal_device.mg_per_device;
  const gap = model.intranasal_device.minutes_between_devices;
  const plans = [
    { weight: 70, doses: [[1, 0]], times: grid(0, 240, 5) },
    { weight: 70, doses: [[2, 0]], times: grid(0, 240, 2.5) },
    { weight: 82, doses: [[3, 0]], times: grid(0, 480, 10), age: 72 },
    { weight: 60, doses: [[2, 0], [1, 180]], times: grid(0, 360, 5) },
    { weight: 75, doses: [[2, 60]], iv: [28, 40, 0], times: grid(0, 300, 5) },
  ];
  return plans.map((plan) => {
    const args = ['--weight-kg', String(plan.weight), '--times', plan.times.join(',')];
    if (plan.age) args.push('--age-years', String(plan.age));
    const segments = [];
    const boluses = [];
    for (const [devices, at] of plan.doses) {
      args.push('--intranasal', `${devices} devices at ${at} min`);
      for (let d = 0; d < devices; d++) {
        const t = at + d * gap;
        const nasal = Math.min(1, c.frn * (d === 0 ? 1 : c.subsequent_device_factor));
        boluses.push({ t, state: 'DN', mg: nasal * device });
        segments.push({ a: t, b: t + c.swallowed_duration, state: 'DG', rate: ((1 - nasal) * device * c.fgut) / c.swallowed_duration });
      }
    }
    if (plan.iv) {
      const [mg, minutes, start] = plan.iv;
      args.push('--infuse', `${mg} mg over ${minutes} min at ${start} min`);
      segments.push({ a: start, b: start + minutes, state: 'A1', rate: mg / minutes });
    }
    return { args, segments, boluses, times: plan.times, weight: plan.weight, age: plan.age ?? 40 };
  });
}

/** The R model: state names, parameters and derivative/concentration code for one model and patient. */
function rModel(model, weight, age) {
  const c = constants(model);
  if (model.parameterisation === 'rate_constants') {
    const k13 = c.k13 ?? 0;
    const k31 = c.k31 ?? 0;
    return {
      states: ['A1', 'A2', 'A3'],
      parms: { k10: c.k10, k12: c.k12, k21: c.k21, k13, k31, V1: c.v1 * weight },
      deriv: `c(-(k10 + k12 + k13) * y[["A1"]] + k21 * y[["A2"]] + k31 * y[["A3"]] + input[["A1"]],
                k12 * y[["A1"]] - k21 * y[["A2"]],
                k13 * y[["A1"]] - k31 * y[["A3"]])`,
    };
  }
  if (model.parameterisation === 'clearances') {
    const exps = model.allometry?.exponents ?? {};
    const scale = (name) => (c[name] ?? 0) * Math.pow(weight / (model.allometry?.reference_weight_kg ?? 70), exps[name] ?? 0);
    return {
      states: ['A1', 'A2', 'A3'],
      parms: { CL: scale('cl'), V1: scale('v1'), Q2: scale('q2'), V2: scale('v2'), Q3: scale('q3'), V3: c.v3 ? scale('v3') : 1 },
      deriv: `c(-(CL + Q2 + Q3) / V1 * y[["A1"]] + Q2 / V2 * y[["A2"]] + Q3 / V3 * y[["A3"]] + input[["A1"]],
                Q2 / V1 * y[["A1"]] - Q2 / V2 * y[["A2"]],
                Q3 / V1 * y[["A1"]] - Q3 / V3 * y[["A3"]])`,
    };
  }
  // Perez-Ruixo 2021 hepato-portal model (nlmixr2lib PerezRuixo_2020_esketamine.R structure).
  const qh = c.qh - (model.covariate_constants.qh_decrease_l_per_h_per_year_above_60 / 60) * Math.max(0, age - 60);
  return {
    states: ['DN', 'DG', 'A1', 'A2', 'A3', 'AH'],
    parms: { kan: c.ka_nasal, kasw: c.ka_swallowed, V1: c.v1, Q2: c.q2, V2: c.v2, Q3: c.q3, V3: c.v3, Qh: qh, Vh: c.vh,
      kout: c.kel + c.kmet },
    deriv: `c(-kan * y[["DN"]],
              -kasw * y[["DG"]] + input[["DG"]],
              kan * y[["DN"]] - (Q2 + Q3 + Qh) / V1 * y[["A1"]] + Q2 / V2 * y[["A2"]] + Q3 / V3 * y[["A3"]] + Qh / Vh * y[["AH"]] + input[["A1"]],
              Q2 / V1 * y[["A1"]] - Q2 / V2 * y[["A2"]],
              Q3 / V1 * y[["A1"]] - Q3 / V3 * y[["A3"]],
              kasw * y[["DG"]] + Qh / V1 * y[["A1"]] - (Qh / Vh + kout) * y[["AH"]])`,
  };
}

const num = (x) => x.toPrecision(17);
const rVector = (xs) => `c(${xs.map(num).join(', ')})`;

function rCase(id, m, kase) {
  const parms = Object.entries(m.parms).map(([k, v]) => `${k} = ${num(v)}`).join(', ');
  const seg = kase.segments;
  const bol = kase.boluses;
  return `
run_case("${id}", c(${m.states.map((s) => `${s} = 0`).join(', ')}), list(${parms}),
  function(t, y, p) with(p, list(${m.deriv})),
  data.frame(a = ${rVector(seg.map((s) => s.a))}, b = ${rVector(seg.map((s) => s.b))},
             state = c(${seg.map((s) => `"${s.state}"`).join(', ')}), rate = ${rVector(seg.map((s) => s.rate))}),
  data.frame(t = ${rVector(bol.map((b) => b.t))}, state = c(${bol.map((b) => `"${b.state}"`).join(', ')}),
             mg = ${rVector(bol.map((b) => b.mg))}),
  ${rVector(kase.times)})`;
}

const R_PRELUDE = `
suppressMessages(library(deSolve))
run_case <- function(id, y, parms, deriv, segments, boluses, times) {
  give <- function(y, t) {
    for (i in seq_len(nrow(boluses))) if (boluses$t[i] == t) y[[boluses$state[i]]] <- y[[boluses$state[i]]] + boluses$mg[i]
    y
  }
  emit <- function(t, y) cat(sprintf("%s,%.17g,%.17g\\n", id, t, y[["A1"]] / parms$V1 * 1000))
  breaks <- sort(unique(c(0, times, segments$a, segments$b, boluses$t)))
  breaks <- breaks[breaks <= max(times)]
  y <- give(y, 0)
  if (0 %in% times) emit(0, y)
  for (k in seq_along(breaks)[-1]) {
    a <- breaks[k - 1]; b <- breaks[k]
    input <- setNames(numeric(length(y)), names(y))
    for (i in seq_len(nrow(segments))) {
      if (segments$a[i] <= a && segments$b[i] >= b) input[[segments$state[i]]] <- input[[segments$state[i]]] + segments$rate[i]
    }
    p <- c(parms, list(input = input))
    solution <- ode(y, c(a, b), deriv, p, method = "lsoda", rtol = 1e-11, atol = 1e-13, maxsteps = 1e6)
    y <- setNames(as.numeric(solution[2, -1]), names(y))
    y <- give(y, b)
    if (b %in% times) emit(b, y)
  }
}
`;

test('every model agrees with deSolve to 1e-6 relative on five plans', { timeout: 300_000 }, async () => {
  const files = (await readdir(MODELS_DIR)).filter((f) => f.endsWith('.json')).sort();
  assert.ok(files.length >= 6);
  const cases = [];
  for (const file of files) {
    const model = JSON.parse(await readFile(join(MODELS_DIR, file), 'utf8'));
    const modelCases = model.routes.includes('intranasal') ? intranasalCases(model) : IV_PLANS.map(ivCase);
    assert.ok(modelCases.length >= 5, model.id);
    modelCases.forEach((kase, i) => cases.push({ id: `${model.id}#${i + 1}`, model, kase }));
  }
  const dir = await tempDir('ketachart-desolve-');
  try {
    const script = R_PRELUDE + cases.map(({ id, model, kase }) => rCase(id, rModel(model, kase.weight, kase.age), kase)).join('\n');
    const scriptFile = await writeTempFile(dir, 'pk_desolve.R', script);
    const [r, ...engine] = await Promise.all([
      run('Rscript', ['--vanilla', scriptFile], { timeout: 240_000 }),
      ...cases.map(({ model, kase }) => runCli(['pk', 'simulate', '--model', model.id, ...kase.args, '--format', 'json'])),
    ]);
    assert.equal(r.code, 0, `Rscript failed: ${r.stderr}`);
    const reference = new Map();
    for (const line of r.stdout.split('\n').filter(Boolean)) {
      const [id, t, c] = line.split(',');
      if (!reference.has(id)) reference.set(id, []);
      reference.get(id).push([Number(t), Number(c)]);
    }
    let compared = 0;
    let worst = 0;
    cases.forEach(({ id, kase }, i) => {
      assert.equal(engine[i].code, 0, `${id}: ${engine[i].stderr}`);
      const ours = JSON.parse(engine[i].stdout).points;
      const theirs = reference.get(id);
      assert.equal(ours.length, kase.times.length, id);
      assert.equal(theirs?.length, kase.times.length, `${id}: deSolve rows`);
      ours.forEach((point, k) => {
        const [t, expected] = theirs[k];
        assert.equal(point.minute, t, id);
        const error = Math.abs(point.plasma_ng_per_ml - expected);
        const relative = expected === 0 ? error : error / Math.abs(expected);
        worst = Math.max(worst, relative);
        assert.ok(error <= 1e-6 * Math.abs(expected) + 1e-12,
          `${id} at ${t} min: engine ${point.plasma_ng_per_ml} vs deSolve ${expected} (relative ${relative})`);
        compared++;
      });
    });
    assert.ok(compared > 1000);
    console.log(`deSolve comparison: ${cases.length} plans, ${compared} points, worst relative difference ${worst.toExponential(2)}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
