// Tests of the eligibility helpers: grouping, citations, pending overrides and the status line.
import { describe, expect, it } from 'vitest';
import type { EligibilityDecision, EligibilityFinding } from '../api/types';
import { decisionStatus, findingCitation, findingSource, groupFindings, hardStops, outcomeLabel, pendingOverrides } from './eligibility';

function finding(rule_id: string, severity: EligibilityFinding['severity'], extra: Partial<EligibilityFinding> = {}): EligibilityFinding {
  return {
    rule_id,
    severity,
    message: `${rule_id} message`,
    source: null,
    citation: null,
    unconfirmed: false,
    needs_override: severity === 'warning',
    override: null,
    ...extra,
  };
}

function decision(findings: EligibilityFinding[], extra: Partial<EligibilityDecision> = {}): EligibilityDecision {
  return {
    id: 7,
    patient_id: 1,
    protocol_id: 'iv-racemic-ketamine',
    protocol_version: 1,
    protocol_title: 'IV racemic ketamine infusion',
    intake_id: 3,
    intake_version: 1,
    outcome: 'eligible_with_warnings',
    fingerprint: 'x',
    decided_at: '2026-06-01T10:00:00.000Z',
    decided_by: 'demo.nurse',
    current: true,
    stale_reason: null,
    cleared: false,
    findings,
    ...extra,
  };
}

describe('groupFindings', () => {
  it('puts hard stops first, then warnings, then info, keeping order and leaving out empty groups', () => {
    const groups = groupFindings([finding('i1', 'info'), finding('w1', 'warning'), finding('h1', 'hard_stop'), finding('w2', 'warning')]);
    expect(groups.map((g) => g.heading)).toEqual(['Hard stops', 'Warnings', 'Information']);
    expect(groups[1]!.findings.map((f) => f.rule_id)).toEqual(['w1', 'w2']);
    expect(groupFindings([finding('i1', 'info')]).map((g) => g.severity)).toEqual(['info']);
    expect(groupFindings([])).toEqual([]);
  });
});

describe('citations and sources', () => {
  it('prefers the finding’s citation, then the source object’s', () => {
    expect(findingCitation(finding('a', 'warning', { citation: 'Spravato PI 2023' }))).toBe('Spravato PI 2023');
    expect(findingCitation(finding('a', 'warning', { source: { reference: 'clinical-reference.md C1', citation: 'Sanacora 2017' } }))).toBe('Sanacora 2017');
    expect(findingCitation(finding('a', 'warning'))).toBe('');
    expect(findingSource(finding('a', 'warning', { source: 'spravato_contra' }))).toBe('spravato_contra');
    expect(findingSource(finding('a', 'warning', { source: { key: 'spravato_contra', citation: 'Spravato PI', reference: 'clinical-reference.md C3' } }))).toBe('clinical-reference.md C3');
    expect(findingSource(finding('a', 'warning', { source: { key: 'spravato_contra', citation: 'Spravato PI', reference: '' } }))).toBe('spravato_contra');
  });
});

describe('overrides and status', () => {
  it('lists only warnings that need an override and lack one', () => {
    const d = decision([
      finding('w1', 'warning'),
      finding('w2', 'warning', { override: { reason: 'r', by: 'demo.prescriber', at: 't' } }),
      finding('w3', 'warning', { needs_override: false }),
      finding('h1', 'hard_stop', { needs_override: false }),
    ]);
    expect(pendingOverrides(d).map((f) => f.rule_id)).toEqual(['w1']);
    expect(hardStops(d).map((f) => f.rule_id)).toEqual(['h1']);
    expect(decisionStatus(d)).toBe('1 warning needs a prescriber’s override before treatment.');
  });

  it('says why a stale decision is out of date, before anything else', () => {
    const d = decision([finding('h1', 'hard_stop')], { outcome: 'not_eligible', current: false, stale_reason: 'intake version 2 was recorded' });
    expect(decisionStatus(d)).toBe('This decision is out of date: intake version 2 was recorded. Evaluate again.');
    expect(decisionStatus({ ...d, current: true })).toBe('Not eligible: a hard stop applies.');
    expect(decisionStatus(decision([], { outcome: 'eligible', cleared: true }))).toBe('Cleared for treatment under this protocol.');
    expect(outcomeLabel('eligible_with_warnings')).toBe('Eligible with warnings');
    const gate = 'eligibility for IV racemic ketamine infusion v1: warning C4-benzodiazepine-dose needs a prescriber\'s override with a reason';
    expect(decisionStatus(decision([finding('w1', 'warning')], { gate_message: gate }))).toBe(gate);
  });
});
