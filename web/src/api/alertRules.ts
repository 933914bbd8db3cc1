// The clinic's own alert rules: list (measure.read), create and retire (protocol.admin). The
// alerts they raise are ordinary measure alerts (api/measures.ts).
import { apiRequest, withQuery } from './client';

export type AlertRuleCondition = 'total_at_least' | 'total_at_most' | 'item_at_least' | 'rise_at_least';

export interface AlertRule {
  id: number;
  code: string;
  instrument: string;
  condition: AlertRuleCondition;
  threshold: number;
  item: string | null;
  severity: 'urgent' | 'advisory';
  display: string;
  replaces: number | null;
  created_at: string;
  created_by: string;
  status: 'active' | 'retired';
  retired: { at: string; by: string; reason: string } | null;
}

export interface NewAlertRule {
  instrument: string;
  condition: AlertRuleCondition;
  threshold: number;
  item?: string;
  severity: 'urgent' | 'advisory';
  display: string;
}

export function listAlertRules(status: 'active' | 'all'): Promise<{ items: AlertRule[] }> {
  return apiRequest('GET', withQuery('/api/v1/alert-rules', { status }));
}

export function createAlertRule(body: NewAlertRule): Promise<AlertRule> {
  return apiRequest('POST', '/api/v1/alert-rules', body);
}

export function retireAlertRule(id: number, reason: string): Promise<AlertRule> {
  return apiRequest('POST', `/api/v1/alert-rules/${id}/retire`, { reason });
}
