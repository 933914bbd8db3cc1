// Safety alerts of rating-scale measures: the clinic's list (open ones by default) and
// acknowledging one with the action taken.
import { apiRequest, withQuery } from './client';
import type { MeasureAlert, Page } from './types';

export function listAlerts(status: 'open' | 'all', cursor: string | null, limit = 50): Promise<Page<MeasureAlert>> {
  return apiRequest<Page<MeasureAlert>>('GET', withQuery('/api/v1/measure-alerts', { status, cursor, limit }));
}

export function acknowledgeAlert(id: number, actionNote: string): Promise<MeasureAlert> {
  return apiRequest<MeasureAlert>('POST', `/api/v1/measure-alerts/${id}/acknowledge`, { action_note: actionNote });
}
