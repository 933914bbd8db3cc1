// Pure helpers for eligibility decisions: findings grouped by severity (hard stops first),
// the citation and source shown with each finding, the warnings still waiting for a
// prescriber's override, and the decision's headline in words.
import type { EligibilityDecision, EligibilityFinding, EligibilityOutcome, FindingSeverity } from '../api/types';

export interface FindingGroup {
  severity: FindingSeverity;
  heading: string;
  findings: EligibilityFinding[];
}

const GROUPS: readonly { severity: FindingSeverity; heading: string }[] = [
  { severity: 'hard_stop', heading: 'Hard stops' },
  { severity: 'warning', heading: 'Warnings' },
  { severity: 'info', heading: 'Information' },
];

/** Findings grouped hard stops / warnings / info, keeping the server's order inside a group; empty groups are left out. */
export function groupFindings(findings: readonly EligibilityFinding[]): FindingGroup[] {
  return GROUPS.map((g) => ({ ...g, findings: findings.filter((f) => f.severity === g.severity) })).filter(
    (g) => g.findings.length > 0,
  );
}

export function outcomeLabel(outcome: EligibilityOutcome): string {
  switch (outcome) {
    case 'eligible':
      return 'Eligible';
    case 'eligible_with_warnings':
      return 'Eligible with warnings';
    case 'not_eligible':
      return 'Not eligible';
  }
}

/** The citation shown under a finding: its own `citation`, else the source's. */
export function findingCitation(finding: EligibilityFinding): string {
  if (finding.citation) return finding.citation;
  const source = finding.source;
  if (source && typeof source === 'object' && source.citation) return source.citation;
  return '';
}

/** Where the rule's evidence is written down (a reference or source id), when the finding names one. */
export function findingSource(finding: EligibilityFinding): string {
  const source = finding.source;
  if (!source) return '';
  if (typeof source === 'string') return source;
  return source.reference || source.key || source.id || '';
}

/** Warnings that need a prescriber's override and do not have one yet. */
export function pendingOverrides(decision: EligibilityDecision): EligibilityFinding[] {
  return decision.findings.filter((f) => f.severity === 'warning' && f.needs_override && !f.override);
}

export function hardStops(decision: EligibilityDecision): EligibilityFinding[] {
  return decision.findings.filter((f) => f.severity === 'hard_stop');
}

/** One sentence saying where the decision stands. */
export function decisionStatus(decision: EligibilityDecision): string {
  if (!decision.current) return `This decision is out of date: ${decision.stale_reason ?? 'the intake or protocol changed'}. Evaluate again.`;
  if (decision.cleared) return 'Cleared for treatment under this protocol.';
  // The server's own words, which name the rule.
  if (decision.gate_message) return decision.gate_message;
  if (decision.outcome === 'not_eligible') return 'Not eligible: a hard stop applies.';
  const pending = pendingOverrides(decision).length;
  return pending === 1
    ? '1 warning needs a prescriber’s override before treatment.'
    : `${pending} warnings need a prescriber’s override before treatment.`;
}
